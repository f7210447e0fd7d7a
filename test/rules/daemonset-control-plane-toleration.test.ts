import { ruleTester } from '../helpers/rule-tester.js';

/**
 * A DaemonSet whose pod spec holds `podSpecLines` (indented as children of the pod
 * spec) from line 13 on; lines 1-12 are fixed, the pod spec key is on line 12. Its pods
 * mount /var/log (after the containers), so it is a node agent: a log shipper.
 */
function daemonSet(podSpecLines: string[], volumes = ['  - {name: log, hostPath: {path: /var/log}}']): string {
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
    ...(volumes.length ? ['volumes:', ...volumes].map((line) => `      ${line}`) : []),
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
      errors: [{ messageId: 'legacyMasterOnly', severity: 1, line: 14, column: 11, message: 'since 1.25 kubeadm taints' }],
    },
    {
      name: 'master-only toleration on 1.24 misses the control-plane taint both carry',
      code: daemonSet(tolerations(MASTER)),
      kubeVersion: '1.24',
      errors: [{ messageId: 'missing', severity: 1, line: 13, column: 7, message: 'there in 1.24' }],
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
      errors: [{ messageId: 'targetsNoToleration', severity: 1, line: 12, column: 5 }],
    },
    {
      name: 'severity follows configuration',
      code: daemonSet(['hostNetwork: true']),
      engine: { rules: { 'daemonset-control-plane-toleration': 'error' } },
      errors: [{ messageId: 'missing', severity: 2, line: 12, column: 5 }],
    },
  ],
});

/**
 * Real-world shapes, each as its project ships it (trimmed): what it does to the node
 * decides whether it must run on control-plane nodes. The pod spec key is on line 8;
 * `body` lines start on line 9.
 */
function shape(name: string, body: string[]): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    `metadata: {name: ${name}}`,
    'spec:',
    `  selector: {matchLabels: {app: ${name}}}`,
    '  template:',
    `    metadata: {labels: {app: ${name}}}`,
    '    spec:',
    ...body.map((line) => `      ${line}`),
    '',
  ].join('\n');
}

const LOG_SHIPPER = shape('fluent-bit', [
  'containers: [{name: fluent-bit, image: fluent/fluent-bit:3.0}]',
  'volumes:',
  '  - {name: varlog, hostPath: {path: /var/log}}',
]);
const NODE_EXPORTER = (extra: string[] = []) =>
  shape('node-exporter', [
    ...extra,
    'hostPID: true',
    'hostNetwork: true',
    'containers: [{name: node-exporter, image: quay.io/prometheus/node-exporter:v1.8.0}]',
    'volumes:',
    '  - {name: proc, hostPath: {path: /proc}}',
    '  - {name: sys, hostPath: {path: /sys}}',
  ]);
const DEVICE_PLUGIN = shape('nvidia-device-plugin', [
  'containers: [{name: plugin, image: nvcr.io/nvidia/k8s-device-plugin:v0.15.0}]',
  'volumes:',
  '  - {name: device-plugin, hostPath: {path: /var/lib/kubelet/device-plugins}}',
]);
const CSI_NODE = (registry = '/var/lib/kubelet/plugins_registry') =>
  shape('csi-node', [
    'containers:',
    '  - {name: driver, image: registry.k8s.io/sig-storage/hostpathplugin:v1.14.0, securityContext: {privileged: true}}',
    'volumes:',
    `  - {name: registration, hostPath: {path: '${registry}', type: Directory}}`,
    '  - {name: sys, hostPath: {path: /sys}}',
    '  - {name: dev, hostPath: {path: /dev}}',
  ]);
const EKS_NODE_INIT = (placement: string[]) =>
  shape('node-init', [
    ...placement,
    'hostPID: true',
    'containers: [{name: init, image: public.ecr.aws/x/init:1, securityContext: {privileged: true}}]',
  ]);
const VIP_AGENT = (tolerationLines: string[] = []) =>
  shape('kube-vip', [
    'nodeSelector: {node-role.kubernetes.io/control-plane: ""}',
    ...tolerationLines,
    'hostNetwork: true',
    'containers: [{name: vip, image: ghcr.io/kube-vip/kube-vip:v0.8.0, securityContext: {capabilities: {add: [NET_ADMIN, NET_RAW]}}}]',
  ]);
const DEMO_APP = shape('demo', [
  'hostNetwork: true',
  'containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 80, hostPort: 80}]}]',
]);
const ALL = { engine: { ruleOptions: { 'daemonset-control-plane-toleration': { scope: 'all' } } } };

ruleTester('daemonset-control-plane-toleration', {
  valid: [
    { name: 'node exporter tolerating every taint', code: NODE_EXPORTER(['tolerations: [{operator: Exists}]']) },
    { name: 'device plugin: serves GPU workloads, none run on the control plane', code: DEVICE_PLUGIN },
    { name: 'CSI node plugin: mounts /sys too, but volume plumbing wins', code: CSI_NODE() },
    { name: 'Windows CSI node plugin path is normalised', code: CSI_NODE('C:\\var\\lib\\kubelet\\plugins_registry\\') },
    { name: 'EKS-only node-init: no control-plane Node on EKS', code: EKS_NODE_INIT(['nodeSelector: {eks.amazonaws.com/nodegroup: ng-1}']) },
    {
      name: 'GKE node-pool affinity',
      code: EKS_NODE_INIT([
        'affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: cloud.google.com/gke-nodepool, operator: Exists}]}]}}}',
      ]),
    },
    { name: 'AKS agent pool', code: EKS_NODE_INIT(['nodeSelector: {kubernetes.azure.com/agentpool: user}']) },
    {
      name: 'VIP agent selecting control planes, with the toleration',
      code: VIP_AGENT(['tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]']),
    },
    { name: 'demo app with hostNetwork only: not a node agent', code: DEMO_APP },
    {
      name: 'workerOnlyLabels: key=value marks a label the rule would not trust',
      code: NODE_EXPORTER(['nodeSelector: {node.kubernetes.io/instance-type: m5.large}']),
      engine: { ruleOptions: { 'daemonset-control-plane-toleration': { workerOnlyLabels: ['node.kubernetes.io/instance-type=m5.large'] } } },
    },
    {
      name: 'an unknown scope falls back to node-agents',
      code: DEVICE_PLUGIN,
      engine: { ruleOptions: { 'daemonset-control-plane-toleration': { scope: 'everything', workerOnlyLabels: 'x' } } },
    },
  ],
  invalid: [
    {
      name: 'log shipper without tolerations',
      code: LOG_SHIPPER,
      errors: [{ messageId: 'missing', severity: 1, line: 8, column: 5, message: 'This node agent (it reads node logs) skips control-plane nodes' }],
    },
    {
      name: 'node exporter without tolerations',
      code: NODE_EXPORTER(),
      errors: [{ messageId: 'missing', severity: 1, line: 8, column: 5, message: 'it observes the node' }],
    },
    {
      name: 'workerOnlyLabels with another value does not match',
      code: NODE_EXPORTER(['nodeSelector: {node.kubernetes.io/instance-type: m5.xlarge}']),
      engine: { ruleOptions: { 'daemonset-control-plane-toleration': { workerOnlyLabels: ['node.kubernetes.io/instance-type=m5.large'] } } },
      errors: [{ messageId: 'missing', severity: 1, line: 8, column: 5 }],
    },
    {
      name: 'EKS NotIn on a provider label admits other nodes: not provider-only',
      code: EKS_NODE_INIT([
        'affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: eks.amazonaws.com/compute-type, operator: NotIn, values: [fargate]}]}]}}}',
      ]),
      errors: [{ messageId: 'missing', severity: 1, line: 8, column: 5, message: 'it observes the node' }],
    },
    {
      name: 'VIP agent selecting control planes without the toleration runs nowhere',
      code: VIP_AGENT(),
      errors: [{ messageId: 'targetsNoToleration', severity: 1, line: 8, column: 5, message: 'These pods run nowhere' }],
    },
    {
      name: 'targeting the control plane is reported whatever the pod does (affinity form)',
      code: shape('ccm', [
        'affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]}]}}}',
        'tolerations: [{key: CriticalAddonsOnly, operator: Exists}]',
        'containers: [{name: ccm, image: registry.k8s.io/cloud-controller-manager:v1.30.0}]',
      ]),
      errors: [{ messageId: 'targetsNoToleration', severity: 1, line: 10, column: 7 }],
    },
    {
      name: 'CCM pinned with the legacy master label, tolerating only the master taint',
      code: shape('ccm', [
        'nodeSelector: {node-role.kubernetes.io/master: ""}',
        'tolerations:',
        '  - {key: node-role.kubernetes.io/master, effect: NoSchedule}',
        'containers: [{name: ccm, image: registry.k8s.io/cloud-controller-manager:v1.30.0}]',
      ]),
      errors: [{ messageId: 'legacyMasterOnly', severity: 1, line: 11, column: 11 }],
    },
    {
      name: 'scope all: a device plugin is reported too',
      code: DEVICE_PLUGIN,
      ...ALL,
      errors: [{ messageId: 'missing', severity: 1, line: 8, column: 5, message: 'This DaemonSet skips control-plane nodes' }],
    },
    { name: 'scope all: a demo app is reported too', code: DEMO_APP, ...ALL, errors: [{ messageId: 'missing', severity: 1, line: 8, column: 5 }] },
  ],
});
