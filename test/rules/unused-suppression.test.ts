import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintCase, ruleTester } from '../helpers/rule-tester.js';
import { lintText } from '../../src/lint/engine.js';
import { engineOptions } from '../helpers/engine.js';

/**
 * A DaemonSet whose selector does not match (line 8) and that lacks the control-plane toleration
 * (line 12; hostPID makes it a node agent, its requests keep it out of best-effort-node-agent).
 */
function daemonSet({ before = '', annotations = '', templateAnnotations = '' } = {}): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    `  name: a${annotations ? `\n  annotations:\n${annotations}` : ''}`,
    'spec:',
    '  selector:',
    '    matchLabels:',
    `${before}      app: a`,
    '  template:',
    `    metadata:${templateAnnotations ? `\n      annotations:\n${templateAnnotations}` : ''}`,
    '      labels: {app: b}',
    '    spec: {hostPID: true, containers: [{name: a, image: a, resources: {requests: {cpu: 1m}}}]}',
    '',
  ].join('\n');
}

describe('suppressions', () => {
  it('kubelint-disable-next-line hides the next line\'s finding, with its reason', () => {
    const result = lintText(daemonSet({ before: '      # kubelint-disable-next-line daemonset-selector-mismatch -- PLAT-1 relabel\n' }), 'ds.yaml', engineOptions());
    assert.deepEqual(result.messages.map((m) => m.ruleId), ['daemonset-control-plane-toleration']);
    assert.deepEqual(result.suppressedMessages.map((m) => [m.ruleId, m.line, m.suppressions]), [
      ['daemonset-selector-mismatch', 9, [{ kind: 'directive', justification: 'PLAT-1 relabel' }]],
    ]);
    assert.equal(result.errorCount, 0);
  });

  it('kubelint-disable without rules hides every rule to the end of the document only', () => {
    const code = `# kubelint-disable\n${daemonSet()}---\n${daemonSet()}`;
    const result = lintText(code, 'ds.yaml', engineOptions());
    assert.equal(result.suppressedMessages.length, 2);
    assert.deepEqual(result.messages.map((m) => [m.ruleId, m.line]), [
      ['daemonset-selector-mismatch', 22],
      ['daemonset-control-plane-toleration', 26],
    ]);
  });

  it('annotations on the object and on the pod template', () => {
    const onObject = lintText(daemonSet({ annotations: '    kubelint.io/ignore.daemonset-selector-mismatch: "migrating"' }), 'ds.yaml', engineOptions());
    assert.deepEqual(onObject.suppressedMessages.map((m) => [m.ruleId, m.suppressions]), [
      ['daemonset-selector-mismatch', [{ kind: 'annotation', justification: 'migrating' }]],
    ]);
    // On the template, only findings inside the template are covered: the selector is not.
    const onTemplate = lintText(
      daemonSet({ templateAnnotations: '        kubelint.io/ignore.daemonset-control-plane-toleration: "workers only"' }),
      'ds.yaml',
      engineOptions(),
    );
    assert.deepEqual(onTemplate.suppressedMessages.map((m) => m.ruleId), ['daemonset-control-plane-toleration']);
    assert.deepEqual(onTemplate.messages.map((m) => m.ruleId), ['daemonset-selector-mismatch']);
  });

  it('does not count suppressed errors for the exit status', () => {
    const found = lintCase({ name: 'x', code: daemonSet({ annotations: '    kubelint.io/ignore.daemonset-selector-mismatch: ""\n    kubelint.io/ignore.daemonset-control-plane-toleration: ""' }) });
    assert.deepEqual(found, []);
  });
});

ruleTester('unused-suppression', {
  valid: [
    { name: 'a used directive', code: daemonSet({ before: '      # kubelint-disable-next-line daemonset-selector-mismatch\n' }) },
    { name: 'a used annotation', code: daemonSet({ annotations: '    kubelint.io/ignore.daemonset-selector-mismatch: "x"' }) },
    { name: 'text that mentions kubelint-disable inside a value is no directive', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {note: "use kubelint-disable-next-line"}\n' },
  ],
  invalid: [
    {
      name: 'a directive with nothing to suppress on the next line',
      code: daemonSet({ before: '      # kubelint-disable-next-line schema -- old\n' }),
      errors: [{ messageId: 'unusedDirective', severity: 1, line: 8, column: 7, endColumn: 49, message: 'kubelint-disable-next-line schema suppresses no schema finding here' }],
    },
    {
      name: 'a directive naming a rule that does not exist',
      code: daemonSet({ before: '      # kubelint-disable-next-line daemonset-selector-mismatch, no-such-rule\n' }),
      errors: [{ messageId: 'unknownRule', severity: 1, line: 8, column: 7, message: 'names "no-such-rule"' }],
    },
    {
      name: 'an annotation that suppresses nothing, at its key',
      code: daemonSet({ annotations: '    kubelint.io/ignore.api-validation: "x"' }),
      errors: [{ messageId: 'unusedAnnotation', severity: 1, line: 6, column: 5 }],
    },
  ],
});
