import { ruleTester } from '../helpers/rule-tester.js';

/** A DaemonSet whose pod spec key is on line 8; `body` lines start on line 9, indented by 6. */
function daemonSet(body: string[]): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata: {name: vip}',
    'spec:',
    '  selector: {matchLabels: {app: vip}}',
    '  template:',
    '    metadata: {labels: {app: vip}}',
    '    spec:',
    ...body.map((line) => `      ${line}`),
    '      containers: [{name: vip, image: vip:1}]',
    '',
  ].join('\n');
}

const required = (...terms: string[]) => [
  'affinity:',
  '  nodeAffinity:',
  '    requiredDuringSchedulingIgnoredDuringExecution:',
  '      nodeSelectorTerms:',
  ...terms.map((term) => `        - matchExpressions: [${term}]`),
];
const MASTER_EXISTS = '{key: node-role.kubernetes.io/master, operator: Exists}';
const CP_EXISTS = '{key: node-role.kubernetes.io/control-plane, operator: Exists}';

ruleTester('node-role-label-removed', {
  valid: [
    { name: 'the control-plane label', code: daemonSet(['nodeSelector: {node-role.kubernetes.io/control-plane: ""}']) },
    { name: 'before 1.24 kubeadm still applied the master label', code: daemonSet(['nodeSelector: {node-role.kubernetes.io/master: ""}']), kubeVersion: '1.23' },
    { name: 'a master toleration is not a selector', code: daemonSet(['tolerations: [{key: node-role.kubernetes.io/master, effect: NoSchedule}]']) },
    { name: 'affinity on the control-plane label', code: daemonSet(required(CP_EXISTS)) },
  ],
  invalid: [
    {
      name: 'nodeSelector on the master label: error at the key',
      code: daemonSet(['nodeSelector:', '  node-role.kubernetes.io/master: ""']),
      errors: [{ messageId: 'selectsNothing', severity: 2, line: 10, column: 9, endColumn: 39, message: 'A toleration alone does not fix it' }],
    },
    {
      name: 'at 1.24 already',
      code: daemonSet(['nodeSelector: {node-role.kubernetes.io/master: "true"}']),
      kubeVersion: '1.24',
      errors: [{ messageId: 'selectsNothing', severity: 2, line: 9, column: 22 }],
    },
    {
      name: 'every required term needs master: error at the expression key',
      code: daemonSet(required(MASTER_EXISTS)),
      errors: [{ messageId: 'selectsNothing', severity: 2, line: 13, column: 42, endColumn: 72 }],
    },
    {
      name: 'a master term ORed with a control-plane term: warning, dead term',
      code: daemonSet(required(MASTER_EXISTS, CP_EXISTS)),
      errors: [{ messageId: 'deadTerm', severity: 1, line: 13, column: 42 }],
    },
    {
      name: 'a dead term stays a warning when the rule is configured as error',
      code: daemonSet(required(MASTER_EXISTS, CP_EXISTS)),
      engine: { rules: { 'node-role-label-removed': 'error' } },
      errors: [{ messageId: 'deadTerm', severity: 1, line: 13, column: 42 }],
    },
    {
      name: 'master DoesNotExist excludes nothing any more',
      code: daemonSet(required('{key: node-role.kubernetes.io/master, operator: DoesNotExist}')),
      errors: [{ messageId: 'excludesNothing', severity: 1, line: 13, column: 42 }],
    },
    {
      name: 'preferred affinity on master has no effect',
      code: daemonSet([
        'affinity:',
        '  nodeAffinity:',
        '    preferredDuringSchedulingIgnoredDuringExecution:',
        '      - weight: 1',
        '        preference: {matchExpressions: [{key: node-role.kubernetes.io/master, operator: Exists}]}',
      ]),
      errors: [{ messageId: 'noEffect', severity: 1, line: 13, column: 53 }],
    },
    {
      name: 'topology spread on master',
      code: daemonSet(['topologySpreadConstraints:', '  - {maxSkew: 1, topologyKey: node-role.kubernetes.io/master, whenUnsatisfiable: ScheduleAnyway, labelSelector: {}}']),
      errors: [{ messageId: 'topologyKey', severity: 1, line: 10, column: 37 }],
    },
    {
      name: 'a static pod pinned to master',
      filename: 'etc/kubernetes/manifests/vip.yaml',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: vip, namespace: kube-system}\nspec:\n  nodeSelector: {node-role.kubernetes.io/master: ""}\n  containers: [{name: vip, image: vip:1}]\n',
      errors: [{ messageId: 'selectsNothing', severity: 2, line: 5, column: 18 }],
    },
  ],
});
