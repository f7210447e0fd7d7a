import path from 'node:path';
import { ruleTester } from '../helpers/rule-tester.js';
import { PROJECT_ROOT } from '../helpers/cli.js';

const SCHEMA_DIR = path.join(PROJECT_ROOT, 'fixtures', 'schemas');

/** A Pod whose single container has `containerLines` (children of the container) from line 7. */
function pod(containerLines: string[], specLines: string[] = []): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: agent',
    'spec:',
    '  containers:',
    '    - name: agent',
    ...containerLines.map((line) => `      ${line}`),
    ...specLines.map((line) => `  ${line}`),
    '',
  ].join('\n');
}

const CERTIFICATE = (spec: string) =>
  `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c}\nspec:\n${spec}\n`;

ruleTester('schema', {
  valid: [
    { name: 'a complete Pod', code: pod(['image: agent:1', 'imagePullPolicy: IfNotPresent']) },
    {
      name: 'int-or-string accepts both forms',
      code: pod(['image: a', 'ports: [{containerPort: 80, name: http}]', 'livenessProbe: {httpGet: {port: http}}', 'readinessProbe: {httpGet: {port: 8080}}']),
    },
    {
      name: 'quantities accept strings and plain numbers',
      code: pod(['image: a', 'resources:', '  limits: {cpu: 1, memory: 1Gi}', '  requests: {cpu: 0.5, memory: "512Mi", ephemeral-storage: 1e9}']),
    },
    {
      name: 'null for optional fields is "not set"',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  creationTimestamp: null\nspec:\n  containers: [{name: a, image: a, resources: {}}]\n  nodeSelector: null\nstatus: {}\n',
    },
    {
      name: 'null inside a list item is "not set" too',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: a\n    image: a\n    resources: null\n    env: [{name: A, value: null}]\n',
    },
    { name: 'a quoted "yes" is a string', code: pod(['image: a', 'env: [{name: A, value: "yes"}]']) },
    {
      name: 'with strict off, unknown fields are allowed',
      code: pod(['image: a', 'imagePullPolice: Always']),
      engine: { ruleOptions: { schema: { strict: false } } },
    },
    { name: 'custom resources without a schema are skipped', code: CERTIFICATE('  anything: [goes]') },
    {
      name: 'a custom resource valid against its --schema-dir schema',
      code: CERTIFICATE('  secretName: tls\n  dnsNames: [example.com]'),
      engine: { ruleOptions: { schema: { schemaDirs: [SCHEMA_DIR] } } },
    },
    { name: 'a field added in 1.32 is known to 1.32', kubeVersion: '1.32', code: pod(['image: a'], ['resources: {limits: {cpu: 1}}']) },
    {
      name: 'a kustomize patch is not missing fields by design',
      code: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: p}\nspec:\n  template:\n    spec:\n      priorityClassName: x\n',
    },
    { name: 'a DaemonSet without selector is left to daemonset-selector-mismatch', code: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: a, image: a}]}\n' },
  ],
  invalid: [
    {
      name: 'an unknown field is reported at its key, with a suggestion',
      code: pod(['image: agent:1', 'imagePullPolice: Always']),
      errors: [{ messageId: 'unknownField', severity: 2, line: 9, column: 7, endColumn: 22, message: 'unknown field "imagePullPolice" in Container (did you mean "imagePullPolicy"?)' }],
    },
    {
      name: 'a wrong type is reported at the value',
      code: pod(['image: a', 'ports:', '  - containerPort: eighty']),
      errors: [{ messageId: 'wrongType', severity: 2, line: 10, column: 26, endColumn: 32, message: 'containerPort must be an integer, got the string "eighty"' }],
    },
    {
      name: 'YAML 1.1 booleans and octals in string fields',
      code: pod(['image: a', 'env:', '  - {name: A, value: yes}', '  - {name: B, value: on}', '  - {name: C, value: 0644}', '  - {name: D, value: 8080}']),
      errors: [
        { messageId: 'yaml11', severity: 2, line: 10, column: 28, message: 'unquoted yes is the boolean true in YAML 1.1' },
        { messageId: 'yaml11', severity: 2, line: 11, column: 28, message: 'unquoted on is the boolean true in YAML 1.1' },
        { messageId: 'yaml11', severity: 2, line: 12, column: 28, message: 'unquoted 0644 is the number 420 in YAML 1.1' },
        { messageId: 'yaml11', severity: 2, line: 13, column: 28, message: 'Quote it: value: "8080"' },
      ],
    },
    {
      name: 'a missing required field is reported at the key of the object that lacks it',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n    - name: a\n      ports:\n        - name: http\n',
      errors: [{ messageId: 'missingField', severity: 2, line: 8, column: 11, message: 'missing required field "containerPort" in ContainerPort' }],
    },
    {
      name: 'a field added in 1.32 is unknown to 1.31',
      kubeVersion: '1.31',
      code: pod(['image: a'], ['resources: {limits: {cpu: 1}}']),
      errors: [{ messageId: 'unknownField', severity: 2, line: 9, column: 3, message: 'unknown field "resources" in PodSpec' }],
    },
    {
      name: 'a list where a mapping belongs',
      code: pod(['image: a', 'resources: [cpu]']),
      errors: [{ messageId: 'wrongType', severity: 2, line: 9, column: 18, message: 'resources must be a mapping, got a list' }],
    },
    {
      name: 'DaemonSet typos deep in the pod template',
      code: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      tolerations: [{operator: Exists, efect: NoSchedule}]\n      containers: [{name: a, image: a}]\n',
      errors: [{ messageId: 'unknownField', severity: 2, line: 9, column: 40, message: 'in Toleration (did you mean "effect"?)' }],
    },
    {
      name: 'a custom resource checked against its --schema-dir schema',
      code: CERTIFICATE('  dnsNames: [example.com]\n  durashun: 1h'),
      engine: { ruleOptions: { schema: { schemaDirs: [SCHEMA_DIR] } } },
      errors: [
        { messageId: 'missingField', severity: 2, line: 4, column: 1, message: 'missing required field "secretName"' },
        { messageId: 'unknownField', severity: 2, line: 6, column: 3, message: '"durashun" in Certificate (did you mean "duration"?)' },
      ],
    },
  ],
});
