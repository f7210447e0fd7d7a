import { ruleTester, yaml } from '../helpers/rule-tester.js';

/**
 * A DaemonSet whose spec starts with `specLines` (indented as children of spec:) on line 8,
 * with the given template labels. Lines 1-7 are apiVersion..spec:.
 */
function daemonSet(specLines: string[], labels: string[] = ['app: agent', 'tier: node']): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    '  name: agent',
    '  labels:',
    '    app: something-else',
    'spec:',
    ...specLines.map((line) => `  ${line}`),
    '  template:',
    '    metadata:',
    '      labels:',
    ...labels.map((line) => `        ${line}`),
    '    spec:',
    '      tolerations:',
    '        - operator: Exists',
    '      containers:',
    '        - name: agent',
    '          image: agent:1',
    '',
  ].join('\n');
}

ruleTester('daemonset-selector-mismatch', {
  valid: [
    {
      name: 'matchLabels equal to the template labels (own metadata.labels differ)',
      code: daemonSet(['selector:', '  matchLabels:', '    app: agent']),
    },
    {
      name: 'matchExpressions In, NotIn, Exists, DoesNotExist all satisfied',
      code: daemonSet([
        'selector:',
        '  matchExpressions:',
        '    - {key: app, operator: In, values: [agent, other]}',
        '    - {key: tier, operator: NotIn, values: [db]}',
        '    - {key: tier, operator: Exists}',
        '    - {key: canary, operator: DoesNotExist}',
      ]),
    },
    {
      name: 'NotIn is satisfied by a missing label',
      code: daemonSet(['selector:', '  matchExpressions:', '    - {key: zone, operator: NotIn, values: [a]}']),
    },
    {
      name: 'numeric label values compare as text',
      code: daemonSet(['selector:', '  matchLabels:', '    version: "2"'], ['version: 2']),
    },
    {
      name: 'extensions/v1beta1 defaults a missing selector from the template',
      code: yaml`
        apiVersion: extensions/v1beta1
        kind: DaemonSet
        metadata: {name: old}
        spec:
          template:
            metadata: {labels: {app: old}}
            spec: {containers: [{name: a, image: a}]}
      `,
    },
    {
      name: 'a kustomize patch without containers is not checked',
      code: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: patch}
        spec:
          template:
            spec:
              priorityClassName: system-node-critical
      `,
    },
    {
      name: 'other kinds are ignored',
      code: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d}
        spec:
          selector: {matchLabels: {app: x}}
          template:
            metadata: {labels: {app: y}}
            spec: {containers: [{name: a, image: a}]}
      `,
    },
  ],
  invalid: [
    {
      name: 'matchLabels value differs',
      code: daemonSet(['selector:', '  matchLabels:', '    app: agent', '    tier: web']),
      errors: [{ messageId: 'labelMismatch', severity: 2, line: 11, column: 7, endLine: 11, endColumn: 11, message: 'tier="node"' }],
    },
    {
      name: 'matchLabels key missing from the template',
      code: daemonSet(['selector:', '  matchLabels:', '    role: agent']),
      errors: [{ messageId: 'labelMissing', severity: 2, line: 10, column: 7, message: 'has no role label' }],
    },
    {
      name: 'reports only the first failing requirement',
      code: daemonSet(['selector:', '  matchLabels:', '    a: "1"', '    b: "2"']),
      errors: [{ messageId: 'labelMissing', severity: 2, line: 10, column: 7 }],
    },
    {
      name: 'In expression not satisfied, reported at the item',
      code: daemonSet(['selector:', '  matchLabels:', '    app: agent', '  matchExpressions:', '    - key: tier', '      operator: In', '      values: [db, cache]']),
      errors: [{ messageId: 'expressionMismatch', severity: 2, line: 12, column: 9, message: 'tier In (db, cache)' }],
    },
    {
      name: 'DoesNotExist expression fails on a present label',
      code: daemonSet(['selector:', '  matchExpressions:', '    - {key: tier, operator: DoesNotExist}']),
      errors: [{ messageId: 'expressionMismatch', severity: 2, line: 10, column: 9, message: 'tier="node"' }],
    },
    {
      name: 'Exists expression fails on a missing label',
      code: daemonSet(['selector:', '  matchExpressions:', '    - {key: gpu, operator: Exists}']),
      errors: [{ messageId: 'expressionMismatch', severity: 2, line: 10, column: 9, message: 'no gpu label' }],
    },
    {
      name: 'NotIn expression fails when the value is listed',
      code: daemonSet(['selector:', '  matchExpressions:', '    - {key: app, operator: NotIn, values: [agent]}']),
      errors: [{ messageId: 'expressionMismatch', severity: 2, line: 10, column: 9 }],
    },
    {
      name: 'missing selector in apps/v1, reported at the spec key',
      code: daemonSet(['minReadySeconds: 0']),
      errors: [{ messageId: 'missingSelector', severity: 2, line: 7, column: 1 }],
    },
    {
      name: 'empty selector {}',
      code: daemonSet(['selector: {}']),
      errors: [{ messageId: 'emptySelector', severity: 2, line: 8, column: 3 }],
    },
    {
      name: 'template without labels',
      code: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: a}
        spec:
          selector: {matchLabels: {app: a}}
          template:
            metadata:
              annotations: {x: y}
            spec: {containers: [{name: a, image: a}]}
      `,
      errors: [{ messageId: 'templateWithoutLabels', severity: 2, line: 7, column: 5 }],
    },
    {
      name: 'In without values',
      code: daemonSet(['selector:', '  matchExpressions:', '    - key: app', '      operator: In']),
      errors: [{ messageId: 'valuesRequired', severity: 2, line: 11, column: 19 }],
    },
    {
      name: 'Exists with values',
      code: daemonSet(['selector:', '  matchExpressions:', '    - key: app', '      operator: Exists', '      values: [agent]']),
      errors: [{ messageId: 'valuesForbidden', severity: 2, line: 12, column: 9 }],
    },
    {
      name: 'unknown operator, and the match is not evaluated',
      code: daemonSet(['selector:', '  matchExpressions:', '    - {key: app, operator: Equals, values: [x]}']),
      errors: [{ messageId: 'unknownOperator', severity: 2, line: 10, column: 30, message: '"Equals"' }],
    },
    {
      name: 'an item of a kind: List, with absolute lines',
      code: yaml`
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: ServiceAccount
            metadata: {name: agent}
          - apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent}
            spec:
              selector:
                matchLabels: {app: agent}
              template:
                metadata: {labels: {app: other}}
                spec: {containers: [{name: a, image: a}], tolerations: [{operator: Exists}]}
      `,
      errors: [{ messageId: 'labelMismatch', severity: 2, line: 12, column: 23 }],
    },
  ],
});
