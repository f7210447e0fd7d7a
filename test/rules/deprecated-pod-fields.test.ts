import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleTester } from '../helpers/rule-tester.js';
import { isFractionalBytes } from '../../rules/deprecated-pod-fields.js';

/**
 * A DaemonSet with `annotations` under the template's metadata and `spec` lines in its pod
 * spec (before one container, agent). Lines are indented for their place; a `^` line under a
 * line marks the expected finding's line and column (indent carets by the same amount).
 */
function daemonSet({ annotations = [], spec = [], own = [] }: { annotations?: string[]; spec?: string[]; own?: string[] }): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    '  name: agent',
    ...(own.length ? ['  annotations:', ...own.map((line) => `    ${line}`)] : []),
    'spec:',
    '  selector: {matchLabels: {app: agent}}',
    '  template:',
    '    metadata:',
    '      labels: {app: agent}',
    ...(annotations.length ? ['      annotations:', ...annotations.map((line) => `        ${line}`)] : []),
    '    spec:',
    '      tolerations: [{operator: Exists}]',
    ...spec.map((line) => `      ${line}`),
    ...(spec.some((line) => line.startsWith('containers:')) ? [] : ['      containers: [{name: agent, image: agent:1}]']),
    '',
  ].join('\n');
}

/** A static pod in /etc/kubernetes/manifests with `annotations` and `spec` lines. */
function staticPod({ annotations = [], spec = [] }: { annotations?: string[]; spec?: string[] }): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: etcd',
    '  namespace: kube-system',
    ...(annotations.length ? ['  annotations:', ...annotations.map((line) => `    ${line}`)] : []),
    'spec:',
    '  hostNetwork: true',
    ...spec.map((line) => `  ${line}`),
    '  containers: [{name: etcd, image: registry.k8s.io/etcd:3.5.9-0}]',
    '',
  ].join('\n');
}

const STATIC = 'etc/kubernetes/manifests/etcd.yaml';

ruleTester('deprecated-pod-fields', {
  valid: [
    { name: 'current node labels', code: daemonSet({ spec: ['nodeSelector: {kubernetes.io/os: linux, topology.kubernetes.io/zone: a}'] }) },
    {
      name: 'node-role.kubernetes.io/master belongs to node-role-label-removed',
      code: daemonSet({ spec: ['nodeSelector: {node-role.kubernetes.io/master: ""}'] }),
      engine: { rules: { 'node-role-label-removed': 'off' } },
    },
    { name: 'priorityClassName instead of the critical-pod annotation', code: daemonSet({ spec: ['priorityClassName: system-node-critical'] }) },
    {
      name: 'seccomp annotation with the field set',
      code: daemonSet({ annotations: ['seccomp.security.alpha.kubernetes.io/pod: runtime/default'], spec: ['securityContext: {seccompProfile: {type: RuntimeDefault}}'] }),
    },
    {
      name: 'container seccomp annotation with the container field set',
      code: daemonSet({
        annotations: ['container.seccomp.security.alpha.kubernetes.io/agent: runtime/default'],
        spec: ['containers: [{name: agent, image: agent:1, securityContext: {seccompProfile: {type: RuntimeDefault}}}]'],
      }),
    },
    {
      name: 'seccomp annotations still worked before 1.19',
      code: daemonSet({ annotations: ['seccomp.security.alpha.kubernetes.io/pod: docker/default'] }),
      kubeVersion: '1.18',
    },
    {
      name: 'AppArmor annotation with the pod field set',
      code: daemonSet({ annotations: ['container.apparmor.security.beta.kubernetes.io/agent: runtime/default'], spec: ['securityContext: {appArmorProfile: {type: RuntimeDefault}}'] }),
    },
    { name: 'AppArmor annotation before 1.30', code: daemonSet({ annotations: ['container.apparmor.security.beta.kubernetes.io/agent: runtime/default'] }), kubeVersion: '1.29' },
    {
      name: 'AppArmor annotation for a container the pod does not have',
      code: daemonSet({ annotations: ['container.apparmor.security.beta.kubernetes.io/other: runtime/default'] }),
    },
    {
      name: 'AppArmor annotation on a Windows Pod',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {container.apparmor.security.beta.kubernetes.io/a: runtime/default}\nspec:\n  os: {name: windows}\n  containers: [{name: a, image: a:1}]\n',
    },
    { name: 'an emptyDir cloned into by an init container', code: daemonSet({ spec: ['volumes: [{name: src, emptyDir: {}}]'] }) },
    { name: 'cephfs before its deprecation (1.27)', code: daemonSet({ spec: ['volumes: [{name: fs, cephfs: {monitors: [m:6789]}}]'] }), kubeVersion: '1.27' },
    { name: 'created-by label before 1.31', code: daemonSet({ spec: ['nodeSelector: {app.kubernetes.io/created-by: me}'] }), kubeVersion: '1.30' },
    {
      name: 'a later env entry that builds on the earlier one is kept',
      code: daemonSet({ spec: ['containers: [{name: agent, image: agent:1, env: [{name: P, value: /a}, {name: P, value: "$(P):/b"}]}]'] }),
    },
    { name: 'same containerPort, different protocol', code: daemonSet({ spec: ['containers: [{name: agent, image: agent:1, ports: [{containerPort: 53}, {containerPort: 53, protocol: UDP}]}]'] }) },
    {
      name: 'same containerPort, different hostPorts',
      code: daemonSet({ spec: ['containers: [{name: agent, image: agent:1, ports: [{containerPort: 80, hostPort: 80}, {containerPort: 80, hostPort: 8080}]}]'] }),
    },
    { name: 'hostIP with hostPort', code: daemonSet({ spec: ['containers: [{name: agent, image: agent:1, ports: [{containerPort: 80, hostPort: 80, hostIP: 127.0.0.1}]}]'] }) },
    { name: 'whole-byte quantities', code: daemonSet({ spec: ['containers: [{name: agent, image: agent:1, resources: {requests: {memory: 0.5Ki, cpu: 100m}, limits: {memory: 128Mi}}}]'] }) },
    { name: 'terminationGracePeriodSeconds 0', code: daemonSet({ spec: ['terminationGracePeriodSeconds: 0'] }) },
    { name: 'an empty labelSelector matches every pod', code: daemonSet({ spec: ['topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {}}]'] }) },
    { name: 'distinct hostAliases and pull secrets', code: daemonSet({ spec: ['hostAliases: [{ip: 10.0.0.1, hostnames: [a]}, {ip: 10.0.0.2, hostnames: [b]}]', 'imagePullSecrets: [{name: a}, {name: b}]'] }) },
    { name: 'a non-pod annotation on the DaemonSet', code: daemonSet({ own: ['deprecated.daemonset.template.generation: "1"'] }) },
  ],
  invalid: [
    {
      name: 'a deprecated nodeSelector label: at the key',
      code: daemonSet({ spec: ['nodeSelector:', '  beta.kubernetes.io/os: linux', '  ^'] }),
      errors: [{ messageId: 'nodeLabel', severity: 1, endColumn: 30, message: 'Node label beta.kubernetes.io/os is deprecated since v1.14; use "kubernetes.io/os" instead' }],
    },
    {
      name: 'deprecated labels in required and preferred node affinity, and a topology key',
      code: daemonSet({
        spec: [
          'affinity:',
          '  nodeAffinity:',
          '    requiredDuringSchedulingIgnoredDuringExecution:',
          '      nodeSelectorTerms:',
          '        - matchExpressions: [{key: beta.kubernetes.io/arch, operator: In, values: [amd64]}]',
          '                                   ^',
          '    preferredDuringSchedulingIgnoredDuringExecution:',
          '      - weight: 1',
          '        preference: {matchExpressions: [{key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [a]}]}',
          '                                              ^',
          'topologySpreadConstraints:',
          '  - {maxSkew: 1, topologyKey: beta.kubernetes.io/instance-type, whenUnsatisfiable: ScheduleAnyway, labelSelector: {}}',
          '                              ^',
        ],
      }),
      errors: [
        { messageId: 'nodeLabel', message: 'kubernetes.io/arch' },
        { messageId: 'nodeLabel', message: 'topology.kubernetes.io/zone' },
        { messageId: 'nodeLabel', message: 'node.kubernetes.io/instance-type' },
      ],
    },
    {
      name: 'preferAvoidPods from 1.31',
      code: daemonSet({ spec: ['nodeSelector: {scheduler.alpha.kubernetes.io/preferAvoidPods: "x"}', '               ^'] }),
      kubeVersion: '1.31',
      errors: [{ messageId: 'nodeLabel', message: 'use Taints and Tolerations instead' }],
    },
    {
      name: 'the critical-pod annotation on the template, no priorityClassName',
      code: daemonSet({ annotations: ["scheduler.alpha.kubernetes.io/critical-pod: ''", '^'] }),
      errors: [{ messageId: 'criticalPod', severity: 1, message: 'Set priorityClassName: system-node-critical' }],
    },
    {
      name: 'the critical-pod annotation next to priorityClassName: remove it',
      code: daemonSet({ annotations: ["scheduler.alpha.kubernetes.io/critical-pod: ''", '^'], spec: ['priorityClassName: system-node-critical'] }),
      errors: [{ messageId: 'criticalPodRedundant', message: 'remove the annotation' }],
    },
    {
      name: 'the sysctls annotations',
      code: daemonSet({ annotations: ['security.alpha.kubernetes.io/sysctls: kernel.shm_rmid_forced=1', '^', 'security.alpha.kubernetes.io/unsafe-sysctls: net.core.somaxconn=1024', '^'] }),
      errors: [{ messageId: 'sysctls' }, { messageId: 'sysctls', message: 'unsafe-sysctls' }],
    },
    {
      name: 'pod and container seccomp annotations without the fields',
      code: daemonSet({
        annotations: ['seccomp.security.alpha.kubernetes.io/pod: docker/default', '^', 'container.seccomp.security.alpha.kubernetes.io/agent: docker/default', '^'],
      }),
      errors: [
        { messageId: 'seccompIgnored', message: 'on the pod instead' },
        { messageId: 'seccompIgnored', message: 'on the container instead' },
      ],
    },
    {
      name: 'seccomp annotation between 1.19 and 1.26: deprecated, not yet ignored',
      code: daemonSet({ annotations: ['seccomp.security.alpha.kubernetes.io/pod: docker/default', '^'] }),
      kubeVersion: '1.26',
      errors: [{ messageId: 'seccompDeprecated', message: 'stops working in 1.27' }],
    },
    {
      name: 'AppArmor annotation without the field, from 1.30',
      code: daemonSet({ annotations: ['container.apparmor.security.beta.kubernetes.io/agent: runtime/default', '^'] }),
      kubeVersion: '1.30',
      errors: [{ messageId: 'appArmor' }],
    },
    {
      name: 'a static pod: critical-pod and seccomp annotations',
      filename: STATIC,
      code: staticPod({ annotations: ["scheduler.alpha.kubernetes.io/critical-pod: ''", '^', 'seccomp.security.alpha.kubernetes.io/pod: docker/default', '^'] }),
      errors: [{ messageId: 'criticalPod' }, { messageId: 'seccompIgnored' }],
    },
    {
      name: 'pod annotations on the DaemonSet itself affect nothing',
      code: daemonSet({ own: ["scheduler.alpha.kubernetes.io/critical-pod: ''", '^', 'container.apparmor.security.beta.kubernetes.io/agent: runtime/default', '^'] }),
      errors: [
        { messageId: 'onWorkload', severity: 1, message: 'Move it to spec.template.metadata.annotations, or better, set priorityClassName' },
        { messageId: 'onWorkload', message: 'appArmorProfile' },
      ],
    },
    {
      name: 'a CronJob names its own template path',
      code: [
        'apiVersion: batch/v1',
        'kind: CronJob',
        'metadata:',
        '  name: c',
        '  annotations: {seccomp.security.alpha.kubernetes.io/pod: runtime/default}',
        '                ^',
        'spec:',
        '  schedule: "* * * * *"',
        '  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: a, image: a:1}]}}}}',
        '',
      ].join('\n'),
      errors: [{ messageId: 'onWorkload', message: 'spec.jobTemplate.spec.template.metadata.annotations' }],
    },
    {
      name: 'gitRepo before 1.33: deprecated',
      code: daemonSet({ spec: ['volumes:', '  - name: src', '    gitRepo: {repository: https://example.com/r.git}', '    ^'] }),
      kubeVersion: '1.32',
      errors: [{ messageId: 'volumeType', message: 'The gitRepo volume type is deprecated in v1.11' }],
    },
    {
      name: 'gitRepo from 1.33: disabled by default',
      code: daemonSet({ spec: ['volumes: [{name: src, gitRepo: {repository: https://example.com/r.git}}]', '                      ^'] }),
      errors: [{ messageId: 'gitRepoDisabled', message: 'init container into an emptyDir' }],
    },
    {
      name: 'removed volume plugins',
      code: daemonSet({
        spec: [
          'volumes:',
          '  - {name: a, glusterfs: {endpoints: e, path: p}}',
          '              ^',
          '  - {name: b, rbd: {monitors: [m], image: i}}',
          '              ^',
          '  - {name: c, flocker: {datasetName: d}}',
          '              ^',
        ],
      }),
      errors: [
        { messageId: 'volumeType', message: 'deprecated in v1.25, non-functional in v1.26+' },
        { messageId: 'volumeType', message: 'deprecated in v1.28, non-functional in v1.31+' },
        { messageId: 'volumeType', message: 'flocker' },
      ],
    },
    {
      name: 'duplicate hostAliases IP and imagePullSecrets, and an empty pull secret',
      code: daemonSet({
        spec: [
          'hostAliases: [{ip: 10.0.0.1, hostnames: [a]}, {ip: 10.0.0.1, hostnames: [b]}]',
          '                                                   ^',
          'imagePullSecrets:',
          '  - name: reg',
          '  - name: reg',
          '          ^',
          '  - {}',
          '    ^',
        ],
      }),
      errors: [{ messageId: 'duplicateHostAlias', message: '10.0.0.1' }, { messageId: 'duplicatePullSecret', message: 'reg' }, { messageId: 'emptyPullSecret' }],
    },
    {
      name: 'fractional bytes in container resources and overhead',
      code: daemonSet({
        spec: [
          'overhead: {memory: 0.1Gi}',
          '                   ^',
          'containers:',
          '  - name: agent',
          '    image: agent:1',
          '    resources:',
          '      requests: {memory: 100m, ephemeral-storage: "1.5"}',
          '                         ^',
          '                                                  ^',
        ],
      }),
      errors: [
        { messageId: 'fractionalBytes', message: 'memory 0.1Gi is not a whole number of bytes' },
        { messageId: 'fractionalBytes', message: 'for mebibytes write Mi' },
        { messageId: 'fractionalBytes', message: 'ephemeral-storage 1.5' },
      ],
    },
    {
      name: 'an env entry that hides the earlier one',
      code: daemonSet({
        spec: [
          'containers:',
          '  - name: agent',
          '    image: agent:1',
          '    env:',
          '      - {name: A, value: "1"}',
          '      - {name: A, value: "2"}',
          '               ^',
          '      - {name: B, value: x}',
          '      - name: B',
          '              ^',
          '        valueFrom: {fieldRef: {fieldPath: spec.nodeName}}',
          '      - {name: C, value: x}',
          '      - {name: C, value: $(C)}',
          '               ^',
        ],
      }),
      errors: [{ messageId: 'envHides', message: 'Env variable A' }, { messageId: 'envHides', message: 'Env variable B' }, { messageId: 'envHides', message: 'Env variable C' }],
    },
    {
      name: 'ports: hostIP without hostPort, duplicate, overlapping and ambiguous definitions across containers',
      code: daemonSet({
        spec: [
          'initContainers:',
          '  - {name: init, image: i:1, ports: [{containerPort: 90, hostIP: 10.0.0.1}]}',
          '                                                                 ^',
          'containers:',
          '  - name: agent',
          '    image: agent:1',
          '    ports:',
          '      - {containerPort: 80}',
          '      - {containerPort: 80, protocol: TCP}',
          '                        ^',
          '      - {containerPort: 90, hostPort: 9090}',
          '                        ^',
          '      - {containerPort: 91, hostPort: 91}',
          '      - {containerPort: 91, hostPort: 91, hostIP: 127.0.0.1}',
          '                        ^',
        ],
      }),
      errors: [
        { messageId: 'hostIPWithoutHostPort' },
        { messageId: 'duplicatePort', message: 'repeats spec.template.spec.containers[0].ports[0] (80/TCP) (the API server warns: duplicate port definition)' },
        { messageId: 'duplicatePort', message: 'spec.template.spec.initContainers[0].ports[0] (90/TCP) (the API server warns: overlapping' },
        { messageId: 'duplicatePort', message: 'dangerously ambiguous' },
      ],
    },
    {
      name: 'a negative terminationGracePeriodSeconds',
      code: daemonSet({ spec: ['terminationGracePeriodSeconds: -1', '                               ^'] }),
      errors: [{ messageId: 'negativeGrace', message: 'treats as 1' }],
    },
    {
      name: 'null labelSelectors in topology spread and pod (anti-)affinity terms',
      code: daemonSet({
        spec: [
          'topologySpreadConstraints:',
          '  - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway}',
          '    ^',
          'affinity:',
          '  podAffinity:',
          '    requiredDuringSchedulingIgnoredDuringExecution:',
          '      - {topologyKey: kubernetes.io/hostname, labelSelector: null}',
          '        ^',
          '  podAntiAffinity:',
          '    preferredDuringSchedulingIgnoredDuringExecution:',
          '      - weight: 1',
          '        podAffinityTerm: {topologyKey: kubernetes.io/hostname}',
          '                         ^',
        ],
      }),
      errors: [
        { messageId: 'nullLabelSelector', message: 'This topology spread constraint has no labelSelector' },
        { messageId: 'nullLabelSelector', message: 'required pod affinity term' },
        { messageId: 'nullLabelSelector', message: 'preferred pod anti-affinity term' },
      ],
    },
    {
      name: 'a kustomize patch that only adds the annotation is where the fix goes',
      code: [
        'apiVersion: apps/v1',
        'kind: DaemonSet',
        'metadata: {name: agent}',
        'spec:',
        '  template:',
        '    metadata:',
        "      annotations: {scheduler.alpha.kubernetes.io/critical-pod: ''}",
        '                    ^',
        '    spec:',
        '      priorityClassName: system-node-critical',
        '',
      ].join('\n'),
      errors: [{ messageId: 'criticalPodRedundant' }],
    },
  ],
});

test('isFractionalBytes: MilliValue() % 1000 != 0, computed exactly', () => {
  for (const whole of ['128Mi', '1Gi', '0.5Ki', '1k', '1e3', '1.5k', '0', '100', 100, '1E']) assert.equal(isFractionalBytes(whole), false, String(whole));
  for (const fraction of ['100m', '0.1Gi', '1.5', '1n', '1.0001k', '1e-1', 1.5, '0.3Ki']) assert.equal(isFractionalBytes(fraction), true, String(fraction));
  for (const malformed of ['', 'abc', '1Qi', undefined, null, {}]) assert.equal(isFractionalBytes(malformed), false, String(malformed));
});
