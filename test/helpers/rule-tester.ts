/**
 * A RuleTester in ESLint's style: tables of valid and invalid cases, each invalid case
 * listing the exact findings (rule, severity, line, column) the rule must produce.
 * Cases run through the real engine, so positions are tested end to end.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {lintText, type EngineOptions} from '../../src/engine/engine.js';
import { parseKubeVersion } from '../../src/kube-version.js';
import { DEFAULT_STATIC_POD_GLOBS, StaticPodMatcher } from '../../src/discover/static-pods.js';
import type { LintMessage } from '../../src/types.js';
import { engineOptions } from '../helpers/engine.js';

export interface CaseOptions {
  name: string;
  code: string;
  /** Defaults to manifest.yaml; use etc/kubernetes/manifests/x.yaml for a static pod. */
  filename?: string;
  kubeVersion?: string;
  engine?: Partial<EngineOptions>;
}

export interface ExpectedFinding {
  messageId?: string;
  severity: 1 | 2;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** A substring or pattern the message must contain. */
  message?: string | RegExp;
}

export interface InvalidCase extends CaseOptions {
  errors: ExpectedFinding[];
}

/** Strips the common indentation of a template literal, so cases can be indented in tables. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((text, part, i) => text + part + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length));
  return lines.map((line) => line.slice(indent)).join('\n').replace(/\s+$/, '\n');
}

export function lintCase(testCase: CaseOptions): LintMessage[] {
  const kubeVersion = testCase.kubeVersion ? parseKubeVersion(testCase.kubeVersion) : undefined;
  const options = engineOptions({
    staticPods: new StaticPodMatcher(DEFAULT_STATIC_POD_GLOBS, '/project'),
    ...(kubeVersion ? { kubeVersion } : {}),
    ...testCase.engine,
  });
  return lintText(testCase.code, testCase.filename ?? 'manifest.yaml', options).messages;
}

/** The fields of `message` that `expected` names, for an exact comparison. */
function pick(message: LintMessage, expected: ExpectedFinding): Record<string, unknown> {
  const actual: Record<string, unknown> = {
    ruleId: message.ruleId,
    severity: message.severity,
    line: message.line,
    column: message.column,
  };
  if (expected.messageId !== undefined) actual.messageId = message.messageId;
  if (expected.endLine !== undefined) actual.endLine = message.endLine;
  if (expected.endColumn !== undefined) actual.endColumn = message.endColumn;
  return actual;
}

/** Runs a table for one rule: valid cases yield none of its findings, invalid ones exactly `errors`. */
export function ruleTester(ruleId: string, cases: { valid: CaseOptions[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    describe('valid', () => {
      for (const testCase of cases.valid) {
        it(testCase.name, () => {
          const found = lintCase(testCase).filter((message) => message.ruleId === ruleId);
          assert.deepEqual(found.map((m) => `${m.line}:${m.column} ${m.message}`), []);
        });
      }
    });
    describe('invalid', () => {
      for (const testCase of cases.invalid) {
        it(testCase.name, () => {
          const found = lintCase(testCase).filter((message) => message.ruleId === ruleId);
          assert.equal(
            found.length,
            testCase.errors.length,
            `expected ${testCase.errors.length} finding(s), got:\n${found.map((m) => `  ${m.line}:${m.column} ${m.message}`).join('\n')}`,
          );
          testCase.errors.forEach((expected, index) => {
            const message = found[index]!;
            const { message: text, ...shape } = expected;
            assert.deepEqual(pick(message, expected), { ruleId, ...shape }, `finding ${index + 1}: ${message.message}`);
            if (typeof text === 'string') assert.ok(message.message.includes(text), `message "${message.message}" lacks "${text}"`);
            if (text instanceof RegExp) assert.match(message.message, text);
          });
        });
      }
    });
  });
}
