/**
 * Suggestions of the rules that offer an edit a person must choose (never applied by
 * --fix): exact output of each suggestion applied alone, comments and quoting kept, and
 * no fix (`output: null`).
 */
import { ruleTester } from '../helpers/rule-tester.js';

/** A DaemonSet with one of each problem, comments on the lines the suggestions edit. */
const BLOCK = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: "agent" # the selector
  updateStrategy:
    rollingUpdate:
      maxSurge: 1   # surge
  template:
    metadata:
      labels:
        app: agnet   # typo
    spec:
      nodeSelector:
        'node-role.kubernetes.io/master': ""
      containers:
        - name: agent
          image: agent:1
          imagePullPolice: Always # typo
`;

/** The same problems written in flow style. */
const FLOW = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  updateStrategy: {rollingUpdate: {maxUnavailable: 1, maxSurge: 10%}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions:
                  - {key: "node-role.kubernetes.io/master", operator: Exists}
      containers: [{name: agent, image: agent:1}]
`;

const crlf = (text: string) => text.replace(/\n/g, '\r\n');
const edit = (text: string, from: string, to: string) => {
  if (!text.includes(from)) throw new Error(`the case lacks ${from}`);
  return text.replace(from, to);
};
const REPLACE_MASTER = 'Replace node-role.kubernetes.io/master with node-role.kubernetes.io/control-plane';

ruleTester('daemonset-selector-mismatch', {
  valid: [],
  invalid: [
    ...[BLOCK, crlf(BLOCK)].map((code, i) => ({
      name: `two suggestions: the selector to the template's label, or the label to the selector's${i ? ' (CRLF)' : ''}`,
      code,
      output: null,
      errors: [
        {
          messageId: 'labelMismatch',
          line: 8,
          column: 7,
          suggestions: [
            { desc: /^Change the selector to app="agnet", the template's label \(spec\.selector is immutable/, output: edit(code, 'app: "agent" # the selector', 'app: "agnet" # the selector') },
            { desc: 'Change the template label to app="agent", as the selector requires', output: edit(code, 'app: agnet   # typo', 'app: agent   # typo') },
          ],
        },
      ],
    })),
    {
      name: 'a missing label gets no suggestion (nothing to align with)',
      code: edit(BLOCK, 'app: agnet   # typo', 'tier: node'),
      output: null,
      errors: [{ messageId: 'labelMissing', line: 8, column: 7, suggestions: [] }],
    },
  ],
});

ruleTester('api-validation', {
  valid: [],
  invalid: [
    {
      name: 'maxSurge with the default maxUnavailable: maxUnavailable: 0 inserted before maxSurge, in its indentation',
      code: BLOCK,
      output: null,
      errors: [
        {
          messageId: 'bothNonZero',
          line: 11,
          column: 17,
          suggestions: [{ desc: 'Set maxUnavailable: 0, so that the rollout surges', output: edit(BLOCK, '      maxSurge: 1', '      maxUnavailable: 0\n      maxSurge: 1') }],
        },
      ],
    },
    {
      name: 'CRLF: the inserted line ends in CRLF too',
      code: crlf(BLOCK),
      output: null,
      errors: [{ messageId: 'bothNonZero', line: 11, column: 17, suggestions: [{ output: edit(crlf(BLOCK), '      maxSurge: 1', '      maxUnavailable: 0\r\n      maxSurge: 1') }] }],
    },
    {
      name: 'an explicit maxUnavailable in a flow mapping: its value replaced',
      code: FLOW,
      output: null,
      errors: [{ messageId: 'bothNonZero', line: 6, column: 65, suggestions: [{ output: edit(FLOW, 'maxUnavailable: 1,', 'maxUnavailable: 0,') }] }],
    },
    {
      name: 'a flow mapping without maxUnavailable: inserted before maxSurge',
      code: edit(FLOW, 'maxUnavailable: 1, ', ''),
      output: null,
      errors: [{ messageId: 'bothNonZero', line: 6, column: 46, suggestions: [{ output: FLOW.replace('maxUnavailable: 1,', 'maxUnavailable: 0,') }] }],
    },
  ],
});

ruleTester('node-role-label-removed', {
  valid: [],
  invalid: [
    {
      name: 'a nodeSelector key: renamed in its quotes, the value kept',
      code: BLOCK,
      output: null,
      errors: [
        {
          messageId: 'selectsNothing',
          line: 18,
          column: 9,
          suggestions: [{ desc: REPLACE_MASTER, output: edit(BLOCK, "'node-role.kubernetes.io/master': \"\"", "'node-role.kubernetes.io/control-plane': \"\"") }],
        },
      ],
    },
    {
      name: 'a matchExpressions key: the value replaced in its quotes',
      code: FLOW,
      output: null,
      errors: [
        {
          messageId: 'selectsNothing',
          line: 15,
          column: 27,
          suggestions: [{ desc: REPLACE_MASTER, output: edit(FLOW, 'key: "node-role.kubernetes.io/master"', 'key: "node-role.kubernetes.io/control-plane"') }],
        },
      ],
    },
    {
      name: 'no suggestion when the nodeSelector already has the control-plane key (the rename would duplicate it)',
      code: edit(BLOCK, "'node-role.kubernetes.io/master': \"\"", "'node-role.kubernetes.io/master': \"\"\n        node-role.kubernetes.io/control-plane: \"\""),
      output: null,
      errors: [{ messageId: 'selectsNothing', line: 18, column: 9, suggestions: [] }],
    },
  ],
});

ruleTester('schema', {
  valid: [],
  invalid: [
    {
      name: 'an unknown field with a did-you-mean: renamed, its value and comment kept',
      code: BLOCK,
      output: null,
      errors: [
        {
          messageId: 'unknownField',
          line: 22,
          column: 11,
          suggestions: [{ desc: 'Rename imagePullPolice to imagePullPolicy', output: edit(BLOCK, 'imagePullPolice: Always # typo', 'imagePullPolicy: Always # typo') }],
        },
      ],
    },
    {
      name: 'an unknown field nothing is close to: no suggestion',
      code: edit(BLOCK, 'imagePullPolice: Always # typo', 'zzzzzzzzzzzz: 1'),
      output: null,
      errors: [{ messageId: 'unknownField', line: 22, column: 11, suggestions: [] }],
    },
  ],
});
