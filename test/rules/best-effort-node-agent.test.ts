import { ruleTester } from '../helpers/rule-tester.js';

/**
 * A log shipper DaemonSet (it mounts /var/log); `podSpec` lines go before the containers
 * key, which is on line 9 plus their count. `container` is the container's extra fields.
 */
function daemonSet(container: string[] = [], podSpec: string[] = [], volume = '/var/log'): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata: {name: shipper}',
    'spec:',
    '  selector: {matchLabels: {app: shipper}}',
    '  template:',
    '    metadata: {labels: {app: shipper}}',
    '    spec:',
    ...podSpec.map((line) => `      ${line}`),
    '      containers:',
    '        - name: shipper',
    '          image: fluent/fluent-bit:3.0',
    ...container.map((line) => `          ${line}`),
    `      volumes: [{name: v, hostPath: {path: ${volume}}}]`,
    '',
  ].join('\n');
}

ruleTester('best-effort-node-agent', {
  valid: [
    { name: 'requests set', code: daemonSet(['resources: {requests: {cpu: 10m, memory: 32Mi}}']) },
    { name: 'limits alone imply requests', code: daemonSet(['resources: {limits: {memory: 64Mi}}']) },
    { name: 'an init container with requests makes the pod Burstable', code: daemonSet([], ['initContainers: [{name: i, image: i, resources: {requests: {cpu: 1m}}}]']) },
    { name: 'pod-level resources decide', code: daemonSet([], ['resources: {requests: {memory: 64Mi}}']) },
    { name: 'system-node-critical is never evicted and gets OOM score -997', code: daemonSet([], ['priorityClassName: system-node-critical']) },
    { name: 'a device plugin serves workloads: not a node agent', code: daemonSet([], [], '/var/lib/kubelet/device-plugins') },
    { name: 'an NFD feature labeller serves workloads', code: daemonSet([], ['hostPID: true'], '/etc/kubernetes/node-feature-discovery/features.d') },
    { name: 'a demo app with no node signal', code: daemonSet([], [], '/srv/www') },
  ],
  invalid: [
    {
      name: 'no resources at all: at the containers key',
      code: daemonSet(),
      errors: [{ messageId: 'bestEffort', severity: 1, line: 9, column: 7, endColumn: 17, message: 'it reads node logs' }],
    },
    {
      name: 'zero quantities and other resources do not count',
      code: daemonSet(['resources: {requests: {cpu: "0", ephemeral-storage: 1Gi}}']),
      errors: [{ messageId: 'bestEffort', severity: 1, line: 9, column: 7 }],
    },
    {
      name: 'an ephemeral container with requests does not count',
      code: daemonSet([], ['ephemeralContainers: [{name: e, image: e, resources: {requests: {cpu: 1m}}}]']),
      errors: [{ messageId: 'bestEffort', severity: 1, line: 10, column: 7 }],
    },
    {
      name: 'system-cluster-critical still gets the BestEffort OOM score',
      code: daemonSet([], ['priorityClassName: system-cluster-critical']),
      errors: [{ messageId: 'bestEffort', severity: 1, line: 10, column: 7 }],
    },
  ],
});
