/**
 * daemonset-control-plane-toleration's fix and suggestion: input -> exact output, one pass
 * (the tester also checks that fixing the output again changes nothing). The toleration
 * goes into the existing list in its style, or into a new list before `containers:`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ruleTester } from '../helpers/rule-tester.js';
import { fixText } from '../../src/lint/apply-fixes.js';
import { engineOptions } from '../helpers/engine.js';

/** A kube-vip DaemonSet pinned to control-plane nodes; `tolerations` lines go after hostNetwork. */
const CONTAINERS = ['      containers:', '        - name: kube-vip', '          image: ghcr.io/kube-vip/kube-vip:v0.8.0'];

function vip(tolerationLines: string[] = [], containers = CONTAINERS): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    '  name: kube-vip # VIP for the API server',
    'spec:',
    '  selector:',
    '    matchLabels: {app: kube-vip}',
    '  template:',
    '    metadata:',
    '      labels: {app: kube-vip}',
    '    spec:',
    '      nodeSelector:',
    '        node-role.kubernetes.io/control-plane: ""',
    '      hostNetwork: true',
    ...tolerationLines,
    '      # the VIP agent',
    ...containers,
    '',
  ].join('\n');
}

const NEW_LIST = [
  '      tolerations:',
  '        - key: node-role.kubernetes.io/control-plane',
  '          operator: Exists',
  '          effect: NoSchedule',
];
const MASTER_BLOCK = ['        - key: node-role.kubernetes.io/master', '          operator: Exists', '          effect: NoSchedule'];
const crlf = (text: string) => text.replace(/\n/g, '\r\n');

/** A log shipper (mounts /var/log): a node agent that misses control-plane nodes. */
const SHIPPER = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: fluent-bit}
spec:
  selector: {matchLabels: {app: fluent-bit}}
  template:
    metadata: {labels: {app: fluent-bit}}
    spec:
      containers:
      - name: fluent-bit   # ships /var/log
        image: fluent/fluent-bit:3.0
      volumes:
      - {name: varlog, hostPath: {path: /var/log}}
`;
const SHIPPER_TOLERATING = SHIPPER.replace(
  '      containers:\n',
  '      tolerations:\n      - key: node-role.kubernetes.io/control-plane\n        operator: Exists\n        effect: NoSchedule\n      containers:\n',
);

const targets = { messageId: 'targetsNoToleration', line: 11, column: 5 } as const;

ruleTester('daemonset-control-plane-toleration', {
  valid: [],
  invalid: [
    {
      name: 'fix: no tolerations -> a new list before containers (and its comment), in the containers list\'s indentation',
      code: vip(),
      output: vip(NEW_LIST),
      errors: [targets],
    },
    {
      name: 'fix: the same with CRLF line ends',
      code: crlf(vip()),
      output: crlf(vip(NEW_LIST)),
      errors: [targets],
    },
    {
      name: 'fix: `- ` at the key\'s column and flow items, as the containers list writes them',
      code: vip([], ['      containers:', '      - {name: kube-vip, image: ghcr.io/kube-vip/kube-vip:v0.8.0}']),
      output: vip(
        ['      tolerations:', '      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}'],
        ['      containers:', '      - {name: kube-vip, image: ghcr.io/kube-vip/kube-vip:v0.8.0}'],
      ),
      errors: [targets],
    },
    {
      name: 'fix: appended to a block list in its field order and quoting, comments kept',
      code: vip(['      tolerations:', '        # our own taint', '        - effect: "NoExecute"  # evict others', '          key: "example.com/vip"', '          operator: "Exists"']),
      output: vip([
        '      tolerations:',
        '        # our own taint',
        '        - effect: "NoExecute"  # evict others',
        '          key: "example.com/vip"',
        '          operator: "Exists"',
        '        - effect: "NoSchedule"',
        '          key: "node-role.kubernetes.io/control-plane"',
        '          operator: "Exists"',
      ]),
      errors: [{ messageId: 'targetsNoToleration', line: 15, column: 7 }],
    },
    {
      name: 'fix: appended to a flow list, in its items\' field order',
      code: vip(['      tolerations: [{key: example.com/vip, operator: Exists}] # ours']),
      output: vip(['      tolerations: [{key: example.com/vip, operator: Exists}, {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}] # ours']),
      errors: [{ messageId: 'targetsNoToleration', line: 15, column: 7 }],
    },
    {
      name: 'fix: into an empty flow list',
      code: vip(['      tolerations: []']),
      output: vip(['      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]']),
      errors: [{ messageId: 'targetsNoToleration', line: 15, column: 7 }],
    },
    {
      name: 'fix: master-only toleration on 1.36 -> the control-plane one added, the master one kept (older clusters)',
      code: vip(['      tolerations:', ...MASTER_BLOCK]),
      output: vip(['      tolerations:', ...MASTER_BLOCK, ...NEW_LIST.slice(1)]),
      errors: [{ messageId: 'legacyMasterOnly', line: 16, column: 11 }],
    },
    {
      name: 'fix: 1.24 needs both: the master toleration is added too, in one pass',
      kubeVersion: '1.24',
      code: vip(),
      output: vip(['      tolerations:', ...MASTER_BLOCK, ...NEW_LIST.slice(1)]),
      errors: [targets, targets],
    },
    {
      name: 'fix: 1.23 needs only the master toleration',
      kubeVersion: '1.23',
      code: vip(),
      output: vip(['      tolerations:', ...MASTER_BLOCK]),
      errors: [targets],
    },
    {
      name: 'fix: the last line of the file without a line break',
      code: vip([], [...CONTAINERS, '      tolerations:', '        - {key: example.com/vip, operator: Exists}']).replace(/\n$/, ''),
      output: vip([], [...CONTAINERS, '      tolerations:', '        - {key: example.com/vip, operator: Exists}', '        - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}']),
      errors: [{ messageId: 'targetsNoToleration', line: 19, column: 7 }],
    },
    {
      name: 'no fix: the toleration with the wrong effect is the user\'s to correct',
      code: vip(['      tolerations:', '        - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoExecute}']),
      output: null,
      errors: [{ messageId: 'wrongEffect', line: 16, column: 82 }],
    },
    {
      name: 'suggestion, not a fix: a node agent that misses control-plane nodes (running there is a decision)',
      code: SHIPPER,
      output: null,
      errors: [
        {
          messageId: 'missing',
          line: 8,
          column: 5,
          suggestions: [{ desc: 'Tolerate the control-plane taint, so that this DaemonSet runs on control-plane nodes too', output: SHIPPER_TOLERATING }],
        },
      ],
    },
  ],
});

describe('daemonset-control-plane-toleration under --fix', () => {
  it('fixes the control-plane DaemonSet to a stable text, and leaves the node agent as it is', () => {
    const engine = engineOptions();
    const fixed = fixText(vip(), '/project/vip.yaml', engine);
    assert.equal(fixed.output, vip(NEW_LIST));
    assert.deepEqual(fixed.messages.filter((message) => message.ruleId === 'daemonset-control-plane-toleration'), []);
    assert.equal(fixText(fixed.output!, '/project/vip.yaml', engine).output, undefined, 'a second --fix changes nothing');
    const shipper = fixText(SHIPPER, '/project/shipper.yaml', engine);
    assert.equal(shipper.output, undefined);
    assert.deepEqual(shipper.messages.filter((message) => message.ruleId === 'daemonset-control-plane-toleration').map((message) => [message.messageId, 'fix' in message, message.suggestions?.length]), [['missing', false, 1]]);
  });
});
