/** Unknown kinds in built-in groups (schema rule, src/schema/kinds.ts) and objects without a schema (schema-missing). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ruleTester, lintCase } from '../helpers/rule-tester.js';
import { lintText } from '../../src/lint/engine.js';
import { engineOptions } from '../helpers/engine.js';

const object = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n`;

ruleTester('schema', {
  valid: [
    { name: 'a custom group stays unjudged', code: object('example.com/v1', 'Widgett') },
    { name: 'a removed group/version is deprecated-api-version\'s business', code: object('extensions/v1beta1', 'DaemonSett') },
    { name: 'a kind some bundled version serves there', code: object('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema') },
  ],
  invalid: [
    {
      name: 'apps/v1 DaemonSett',
      code: object('apps/v1', 'DaemonSett'),
      errors: [{ messageId: 'unknownKind', severity: 2, line: 2, column: 7, endColumn: 17, message: '(did you mean "DaemonSet"?)' }],
    },
    {
      name: 'wrong case: daemonset',
      code: object('apps/v1', 'daemonset'),
      errors: [{ messageId: 'unknownKind', severity: 2, line: 2, column: 7, message: 'did you mean "DaemonSet"' }],
    },
    {
      name: 'v1 Pood',
      code: object('v1', 'Pood'),
      errors: [{ messageId: 'unknownKind', severity: 2, line: 2, column: 7, message: 'kind "Pood" is not served by "v1" in Kubernetes 1.36 (did you mean "Pod"?)' }],
    },
    {
      name: 'nothing close: no suggestion',
      code: object('apps/v1', 'Frobnicator'),
      errors: [{ messageId: 'unknownKind', severity: 2, line: 2, column: 7, message: /in Kubernetes 1\.36: the API server/ }],
    },
  ],
});

describe('schema-missing', () => {
  const widget = object('example.com/v1', 'Widget');
  it('is off in the bare engine: its default severity is off', () => {
    assert.deepEqual(lintCase({ name: 'x', code: widget }).filter((m) => m.ruleId === 'schema-missing'), []);
  });
  it('reports at the kind when enabled, not for built-in groups', () => {
    const engine = { rules: { 'schema-missing': 'error' as const } };
    const found = lintCase({ name: 'x', code: `${widget}---\n${object('extensions/v1beta1', 'DaemonSet')}`, engine }).filter(
      (m) => m.ruleId === 'schema-missing',
    );
    assert.deepEqual(found.map((m) => [m.line, m.column, m.severity]), [[2, 7, 2]]);
  });
  it('counts the objects no schema validated on the result', () => {
    const result = lintText(`${widget}---\n${widget}---\n${object('v1', 'ConfigMap')}`, 'a.yaml', engineOptions());
    assert.deepEqual(result.notSchemaValidated, { 'example.com/v1 Widget': 2 });
    assert.equal(lintText(object('v1', 'ConfigMap'), 'b.yaml', engineOptions()).notSchemaValidated, undefined);
  });
});
