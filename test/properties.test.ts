/**
 * Properties of the engine over generated input: it never throws, every position lies
 * inside its file, the same input always gives the same result, the result does not
 * depend on the order of the paths given, and the fast path gives exactly the full
 * parse's result (every message and position) on hostile edits of real-looking manifests.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { lintText } from '../src/lint/engine.js';
import { DEFAULT_STATIC_POD_GLOBS, StaticPodMatcher } from '../src/discover/static-pods.js';
import { lintPaths } from '../src/lint/run.js';
import type { LintMessage, LintResult } from '../src/types.js';
import { tempDir } from './helpers/temp.js';
import { anyText, applyEdit, edit, manifestText, style, workload } from './helpers/arbitraries.js';
import { engineOptions } from './helpers/engine.js';

const options = engineOptions({ staticPods: new StaticPodMatcher(DEFAULT_STATIC_POD_GLOBS, '/') });
const fullParseOptions = { ...options, fullParse: true };
const FILES = ['a.yaml', 'etc/kubernetes/manifests/pod.yaml', 'x.json'];

function assertInside(text: string, message: LintMessage): void {
  const lines = text.replace(/^\ufeff/, '').split('\n');
  const where = `${message.ruleId} ${message.line}:${message.column}-${message.endLine}:${message.endColumn}`;
  assert.ok(Number.isInteger(message.line) && message.line >= 1 && message.line <= lines.length, where);
  assert.ok(Number.isInteger(message.endLine) && message.endLine >= message.line && message.endLine <= lines.length, where);
  assert.ok(message.column >= 1 && message.column <= lines[message.line - 1]!.length + 1, where);
  assert.ok(message.endColumn >= 1 && message.endColumn <= lines[message.endLine - 1]!.length + 1, where);
  if (message.endLine === message.line) assert.ok(message.endColumn >= message.column, where);
}

function checkAll(text: string, file: string): LintResult {
  const result = lintText(text, file, options);
  for (const message of [...result.messages, ...result.suppressedMessages]) assertInside(text, message);
  assert.deepEqual(lintText(text, file, options), result, 'the same input gave another result');
  return result;
}

describe('engine properties', () => {
  it('never throws on arbitrary text, and every position lies inside the file', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...FILES), (text, file) => {
        checkAll(text, file);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on generated Kubernetes-like objects; positions inside; deterministic', () => {
    fc.assert(
      fc.property(fc.array(workload, { minLength: 1, maxLength: 3 }), style, fc.constantFrom(...FILES), (objects, options_, file) => {
        const text = file.endsWith('.json')
          ? JSON.stringify(objects[0], null, 2)
          : manifestText(objects, options_);
        checkAll(text, file);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same complete result on the fast path as on the full parse, for hostile edits, under LF and CRLF', () => {
    let differentFromClean = 0; // edited manifests with a syntax error
    fc.assert(
      fc.property(fc.array(workload, { minLength: 1, maxLength: 2 }), style, fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.constantFrom(...FILES.slice(0, 2)), (objects, options_, edits, crlf, file) => {
        const lines = manifestText(objects, options_).split('\n');
        for (const change of edits) applyEdit(lines, change);
        let text = lines.join('\n');
        if (crlf) text = text.replaceAll('\n', '\r\n');
        const fast = lintText(text, file, options);
        const full = lintText(text, file, fullParseOptions);
        assert.deepEqual(fast, full, `the fast path and the full parse differ for:\n${JSON.stringify(text)}`);
        if (fast.messages.some((message) => message.ruleId === 'yaml-syntax')) differentFromClean++;
      }),
      { numRuns: 500 },
    );
    // The edits reach the parser's error paths, not only values it reads either way.
    assert.ok(differentFromClean > 200, `only ${differentFromClean} of 500 edited manifests had a syntax error`);
  });

  it('gives the same results whatever the order of the paths', async () => {
    const dir = tempDir('kubelint-order-');
    const files = await fc.sample(fc.array(workload, { minLength: 1, maxLength: 2 }), 6).map((objects, i) => {
      const file = path.join(dir, `m${i}.yaml`);
      writeFileSync(file, manifestText(objects, {}));
      return file;
    });
    const expected = await lintPaths(files, options, { cwd: dir });
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(files, { minLength: files.length }), async (order) => {
        assert.deepEqual(await lintPaths([...order, dir], options, { cwd: dir }), expected);
      }),
      { numRuns: 20 },
    );
  });
});
