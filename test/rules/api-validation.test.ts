import { ruleTester } from '../helpers/rule-tester.js';

/**
 * A valid DaemonSet with `specLines` added under spec: (from line 5) and `podLines`
 * added under the pod spec. Line numbers: spec extras start at line 5.
 */
function daemonSet(specLines: string[] = [], podLines: string[] = [], labels = 'app: agent'): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata: {name: agent}',
    'spec:',
    ...specLines.map((line) => `  ${line}`),
    `  selector: {matchLabels: {${labels}}}`,
    '  template:',
    `    metadata: {labels: {${labels}}}`,
    '    spec:',
    ...podLines.map((line) => `      ${line}`),
    '      tolerations: [{operator: Exists}]',
    '      containers: [{name: agent, image: agent:1}]',
    '',
  ].join('\n');
}

const rolling = (...fields: string[]) => ['updateStrategy:', '  type: RollingUpdate', '  rollingUpdate:', ...fields.map((f) => `    ${f}`)];

ruleTester('api-validation', {
  valid: [
    { name: 'a plain DaemonSet', code: daemonSet() },
    { name: 'restartPolicy Always', code: daemonSet([], ['restartPolicy: Always']) },
    { name: 'maxUnavailable as a percentage', code: daemonSet(rolling('maxUnavailable: 10%')) },
    { name: 'maxSurge with maxUnavailable 0', code: daemonSet(rolling('maxSurge: 1', 'maxUnavailable: 0')) },
    { name: 'maxSurge 25% with maxUnavailable 0%', code: daemonSet(rolling('maxSurge: 25%', 'maxUnavailable: 0%')) },
    { name: 'OnDelete', code: daemonSet(['updateStrategy: {type: OnDelete}']) },
    { name: 'zero minReadySeconds and revisionHistoryLimit', code: daemonSet(['minReadySeconds: 0', 'revisionHistoryLimit: 0']) },
    { name: 'prefixed label keys and empty values', code: daemonSet([], [], 'app.kubernetes.io/name: agent, example.com/empty: ""') },
    {
      name: 'valid tolerations',
      code: daemonSet([], ['tolerations: [{key: a, operator: Exists}, {key: b, value: c, effect: NoExecute, tolerationSeconds: 30}]']),
    },
    { name: 'a Pod restartPolicy OnFailure', code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: OnFailure\n  containers: [{name: a, image: a}]\n' },
  ],
  invalid: [
    {
      name: 'restartPolicy other than Always in a DaemonSet template',
      code: daemonSet([], ['restartPolicy: OnFailure']),
      errors: [{ messageId: 'restartPolicy', severity: 2, line: 9, column: 22, message: 'Unsupported value: "OnFailure"' }],
    },
    {
      name: 'activeDeadlineSeconds in a DaemonSet template',
      code: daemonSet([], ['activeDeadlineSeconds: 60']),
      errors: [{ messageId: 'activeDeadlineSeconds', severity: 2, line: 9, column: 7 }],
    },
    {
      name: 'ephemeralContainers in a pod template',
      code: daemonSet([], ['ephemeralContainers: [{name: debug, image: busybox}]']),
      errors: [{ messageId: 'ephemeralInTemplate', severity: 2, line: 9, column: 7 }],
    },
    {
      name: 'ephemeralContainers in a static pod',
      filename: 'etc/kubernetes/manifests/p.yaml',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: a}]\n  ephemeralContainers: [{name: d, image: d}]\n',
      errors: [{ messageId: 'ephemeralInStaticPod', severity: 2, line: 6, column: 3 }],
    },
    {
      name: 'negative minReadySeconds and revisionHistoryLimit',
      code: daemonSet(['minReadySeconds: -1', 'revisionHistoryLimit: -5']),
      errors: [
        { messageId: 'negative', severity: 2, line: 5, column: 20 },
        { messageId: 'negative', severity: 2, line: 6, column: 25 },
      ],
    },
    {
      name: 'an unknown updateStrategy type',
      code: daemonSet(['updateStrategy: {type: Recreate}']),
      errors: [{ messageId: 'strategyType', severity: 2, line: 5, column: 26 }],
    },
    {
      name: 'maxSurge alone is rejected: maxUnavailable defaults to 1',
      code: daemonSet(rolling('maxSurge: 1')),
      errors: [{ messageId: 'bothNonZero', severity: 2, line: 8, column: 17, message: 'maxUnavailable is 1, its default' }],
    },
    {
      name: 'both maxSurge and maxUnavailable non-zero',
      code: daemonSet(rolling('maxUnavailable: 2', 'maxSurge: 10%')),
      errors: [{ messageId: 'bothNonZero', severity: 2, line: 9, column: 17 }],
    },
    {
      name: 'both zero ("0%" counts as zero)',
      code: daemonSet(rolling('maxUnavailable: 0%', 'maxSurge: 0')),
      errors: [{ messageId: 'bothZero', severity: 2, line: 8, column: 23 }],
    },
    {
      name: 'a malformed percentage',
      code: daemonSet(rolling('maxUnavailable: ten%')),
      errors: [{ messageId: 'percentSyntax', severity: 2, line: 8, column: 23 }],
    },
    {
      name: 'a percentage over 100%',
      code: daemonSet(rolling('maxUnavailable: 150%')),
      errors: [{ messageId: 'percentTooLarge', severity: 2, line: 8, column: 23 }],
    },
    {
      name: 'invalid label keys and values in the selector and the template',
      code: daemonSet([], [], 'Bad_Prefix/app: agent, app: -agent-'),
      errors: [
        { messageId: 'labelKey', severity: 2, line: 5, column: 28, message: 'prefix part must be a lowercase DNS subdomain' },
        { messageId: 'labelValue', severity: 2, line: 5, column: 56, message: '"-agent-"' },
        { messageId: 'labelKey', severity: 2, line: 7, column: 25 },
        { messageId: 'labelValue', severity: 2, line: 7, column: 53 },
      ],
    },
    {
      name: 'toleration with an empty key and no Exists',
      code: daemonSet([], ['tolerations: [{effect: NoSchedule}]']).replace('      tolerations: [{operator: Exists}]\n', ''),
      errors: [{ messageId: 'tolerationEmptyKey', severity: 2, line: 9, column: 21 }],
    },
    {
      name: 'toleration Exists with a value',
      code: daemonSet([], ['tolerations: [{key: a, operator: Exists, value: b}]']).replace('      tolerations: [{operator: Exists}]\n', ''),
      errors: [{ messageId: 'tolerationExistsValue', severity: 2, line: 9, column: 55 }],
    },
    {
      name: 'tolerationSeconds without NoExecute',
      code: daemonSet([], ['tolerations: [{key: a, operator: Exists, effect: NoSchedule, tolerationSeconds: 5}]']).replace('      tolerations: [{operator: Exists}]\n', ''),
      errors: [{ messageId: 'tolerationSeconds', severity: 2, line: 9, column: 56 }],
    },
    {
      name: 'container names: invalid and duplicated across containers and initContainers',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [{name: app, image: a}]\n  containers: [{name: app, image: a}, {name: My_App, image: a}]\n',
      errors: [
        { messageId: 'duplicateContainer', severity: 2, line: 5, column: 27 },
        { messageId: 'containerName', severity: 2, line: 6, column: 46 },
      ],
    },
    {
      name: 'a Pod restartPolicy that does not exist',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: Sometimes\n  containers: [{name: a, image: a}]\n',
      errors: [{ messageId: 'podRestartPolicy', severity: 2, line: 5, column: 18 }],
    },
  ],
});

ruleTester('api-validation', {
  valid: [
    { name: 'a DaemonSet with spec and template', code: daemonSet() },
  ],
  invalid: [
    {
      name: 'a DaemonSet without spec',
      code: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\n',
      errors: [{ messageId: 'missingSpec', severity: 2, line: 1, column: 1 }],
    },
    {
      name: 'a DaemonSet with an empty spec key',
      code: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n',
      errors: [{ messageId: 'missingSpec', severity: 2, line: 4, column: 1 }],
    },
    {
      name: 'a DaemonSet without spec.template',
      code: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: a}}\n',
      errors: [{ messageId: 'missingTemplate', severity: 2, line: 4, column: 1 }],
    },
    {
      name: 'toleration operator Lt is alpha-gated, off by default',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  tolerations: [{key: a, operator: Lt, value: "5"}]\n  containers: [{name: a, image: a}]\n',
      errors: [{ messageId: 'tolerationOperator', severity: 2, line: 5, column: 36, message: 'TaintTolerationComparisonOperators' }],
    },
  ],
});
