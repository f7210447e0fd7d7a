import { ruleTester } from '../helpers/rule-tester.js';

/**
 * A DaemonSet whose pod spec holds `podSpecLines` (indented as children of the pod
 * spec) from line 13 on; lines 1-12 are fixed, the pod spec key is on line 12.
 */
function daemonSet(podSpecLines: string[]): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    '  name: agent',
    'spec:',
    '  selector:',
    '    matchLabels: {app: agent}',
    '  template:',
    '    metadata:',
    '      labels: {app: agent}',
    '    # the pod spec',
    '    spec:',
    ...podSpecLines.map((line) => `      ${line}`),
    '      containers:',
    '        - {name: agent, image: agent:1}',
    '',
  ].join('\n');
}

const tolerations = (...items: string[]) => ['tolerations:', ...items.map((item) => `  - ${item}`)];
const CONTROL_PLANE = '{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}';
const MASTER = '{key: node-role.kubernetes.io/master, operator: Exists, effect: NoSchedule}';

ruleTester('daemonset-control-plane-toleration', {
  valid: [
    { name: 'tolerates the control-plane taint', code: daemonSet(tolerations(CONTROL_PLANE)) },
    { name: 'Exists with no key tolerates every taint', code: daemonSet(tolerations('{operator: Exists}')) },
    {
      name: 'a toleration without effect matches every effect',
      code: daemonSet(tolerations('{key: node-role.kubernetes.io/control-plane, operator: Exists}')),
    },
    {
      name: 'no operator means Equal, and the taint value is empty',
      code: daemonSet(tolerations('{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}')),
    },
    { name: '1.23 needs only the master toleration', code: daemonSet(tolerations(MASTER)), kubeVersion: '1.23' },
    { name: '1.24 with both tolerations', code: daemonSet(tolerations(MASTER, CONTROL_PLANE)), kubeVersion: '1.24' },
    {
      name: 'nodeSelector on a worker role keeps pods off control-plane nodes',
      code: daemonSet(['nodeSelector:', '  node-role.kubernetes.io/worker: ""']),
    },
    {
      name: 'nodeSelector on a GPU feature label',
      code: daemonSet(['nodeSelector:', '  feature.node.kubernetes.io/pci-10de.present: "true"', '  kubernetes.io/os: linux']),
    },
    {
      name: 'a Windows-only DaemonSet never lands on the (Linux) control plane',
      code: daemonSet(['nodeSelector:', '  kubernetes.io/os: windows']),
    },
    {
      name: 'required affinity control-plane DoesNotExist',
      code: daemonSet([
        'affinity:',
        '  nodeAffinity:',
        '    requiredDuringSchedulingIgnoredDuringExecution:',
        '      nodeSelectorTerms:',
        '        - matchExpressions:',
        '            - {key: kubernetes.io/os, operator: In, values: [linux]}',
        '            - {key: node-role.kubernetes.io/control-plane, operator: DoesNotExist}',
      ]),
    },
    {
      name: 'every affinity term excludes control-plane nodes',
      code: daemonSet([
        'affinity:',
        '  nodeAffinity:',
        '    requiredDuringSchedulingIgnoredDuringExecution:',
        '      nodeSelectorTerms:',
        '        - matchExpressions: [{key: node-role.kubernetes.io/master, operator: DoesNotExist}]',
        '        - matchExpressions: [{key: nvidia.com/gpu.present, operator: Exists}]',
      ]),
    },
    {
      name: 'a kustomize patch without containers is not checked',
      code: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: p}\nspec:\n  template:\n    spec:\n      priorityClassName: x\n',
    },
  ],
  invalid: [
    {
      name: 'no tolerations at all: reported at the pod spec key',
      code: daemonSet(['hostNetwork: true']),
      errors: [{ messageId: 'missing', severity: 1, line: 12, column: 5, message: 'node-role.kubernetes.io/control-plane:NoSchedule' }],
    },
    {
      name: 'tolerations for other taints: reported at the tolerations key',
      code: daemonSet(tolerations('{key: CriticalAddonsOnly, operator: Exists}')),
      errors: [{ messageId: 'missing', severity: 1, line: 13, column: 7 }],
    },
    {
      name: 'a NoExecute-only toleration does not tolerate NoSchedule',
      code: daemonSet(tolerations('{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoExecute}')),
      errors: [{ messageId: 'wrongEffect', severity: 1, line: 14, column: 82, endColumn: 91 }],
    },
    {
      name: 'Equal with a value does not match the empty taint value',
      code: daemonSet(tolerations('{key: node-role.kubernetes.io/control-plane, operator: Equal, value: "true"}')),
      errors: [{ messageId: 'missing', severity: 1, line: 13, column: 7 }],
    },
    {
      name: 'master-only toleration on 1.25 and later: the legacy message',
      code: daemonSet(tolerations(MASTER)),
      kubeVersion: '1.25',
      errors: [{ messageId: 'legacyMasterOnly', severity: 1, line: 14, column: 11, message: 'since Kubernetes 1.25' }],
    },
    {
      name: 'master-only toleration on 1.24 misses the control-plane taint both carry',
      code: daemonSet(tolerations(MASTER)),
      kubeVersion: '1.24',
      errors: [{ messageId: 'missing', severity: 1, line: 13, column: 7, message: 'Kubernetes 1.24' }],
    },
    {
      name: 'control-plane-only toleration on 1.23 misses the master taint',
      code: daemonSet(tolerations(CONTROL_PLANE)),
      kubeVersion: '1.23',
      errors: [{ messageId: 'missing', severity: 1, line: 13, column: 7, message: 'node-role.kubernetes.io/master:NoSchedule' }],
    },
    {
      name: '1.24 without any toleration misses both taints',
      code: daemonSet(['hostNetwork: true']),
      kubeVersion: '1.24',
      errors: [
        { messageId: 'missing', severity: 1, line: 12, column: 5, message: 'node-role.kubernetes.io/master:NoSchedule' },
        { messageId: 'missing', severity: 1, line: 12, column: 5, message: 'node-role.kubernetes.io/control-plane:NoSchedule' },
      ],
    },
    {
      name: 'kubernetes.io/os and arch selectors do not keep pods off control-plane nodes',
      code: daemonSet(['nodeSelector:', '  kubernetes.io/os: linux', '  kubernetes.io/arch: amd64']),
      errors: [{ messageId: 'missing', severity: 1, line: 12, column: 5 }],
    },
    {
      name: 'one affinity term that admits control-plane nodes is enough to need the toleration',
      code: daemonSet([
        'affinity:',
        '  nodeAffinity:',
        '    requiredDuringSchedulingIgnoredDuringExecution:',
        '      nodeSelectorTerms:',
        '        - matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: DoesNotExist}]',
        '        - matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux]}]',
      ]),
      errors: [{ messageId: 'missing', severity: 1, line: 12, column: 5 }],
    },
    {
      name: 'affinity that targets control-plane nodes still needs the toleration',
      code: daemonSet([
        'affinity:',
        '  nodeAffinity:',
        '    requiredDuringSchedulingIgnoredDuringExecution:',
        '      nodeSelectorTerms:',
        '        - matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]',
      ]),
      errors: [{ messageId: 'missing', severity: 1, line: 12, column: 5 }],
    },
    {
      name: 'severity follows configuration',
      code: daemonSet(['hostNetwork: true']),
      engine: { rules: { 'daemonset-control-plane-toleration': 'error' } },
      errors: [{ messageId: 'missing', severity: 2, line: 12, column: 5 }],
    },
  ],
});
