/**
 * Properties of the engine over generated input: it never throws, every position lies
 * inside its file, the same input always gives the same result, the result does not
 * depend on the order of the paths given, and the fast path gives exactly the full
 * parse's result (every message and position) on hostile edits of real-looking manifests;
 * and --fix keeps every comment, changes objects only as its fixes mean to, and is stable.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { fixText } from '../src/lint/apply-fixes.js';
import { lintText } from '../src/lint/engine.js';
import { DEFAULT_STATIC_POD_GLOBS, StaticPodMatcher } from '../src/discover/static-pods.js';
import { lintPaths } from '../src/lint/run.js';
import type { LintMessage, LintResult } from '../src/types.js';
import { tempDir } from './helpers/temp.js';
import { anyText, applyEdit, edit, manifestText, style, word, workload } from './helpers/arbitraries.js';
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

/** DaemonSets with something to fix: an old apiVersion, YAML 1.1 values, a control-plane selection. */
const fixable = fc.record({
  apiVersion: fc.constantFrom('apps/v1', 'extensions/v1beta1'),
  kind: fc.constant('DaemonSet'),
  metadata: fc.record({ name: word }),
  spec: fc.record({
    template: fc.record({
      metadata: fc.record({ labels: fc.dictionary(word, word, { minKeys: 1, maxKeys: 2 }) }),
      spec: fc.record(
        {
          nodeSelector: fc.constantFrom({ 'node-role.kubernetes.io/control-plane': '' }, { 'kubernetes.io/os': 'linux' }),
          tolerations: fc.array(fc.constantFrom({ key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' }, { key: 'example.com/gpu', operator: 'Exists' }), { maxLength: 2 }),
          containers: fc.array(fc.record({ name: word, image: word, env: fc.array(fc.record({ name: word, value: fc.constantFrom('yes', 'on', 'off', '0644', 'plain') }), { maxLength: 2 }) }), { minLength: 1, maxLength: 2 }),
        },
        { requiredKeys: ['containers'] },
      ),
    }),
  }),
});

const ADDED = new Set(['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master']);

/** Every scalar as the string it is written as (failsafe schema), so quoting a value changes nothing. */
function asWritten(text: string): unknown[] {
  return parseAllDocuments(text, { schema: 'failsafe' }).map((doc) => doc.toJS());
}

/** The object after a fix, without the changes the fixes mean to make (given the object before). */
function withoutIntendedChanges(after: unknown, before: unknown): unknown {
  if (!after || typeof after !== 'object' || Array.isArray(after)) return after;
  const object = structuredClone(after) as Record<string, any>;
  const original = before as Record<string, any> | null;
  if (original?.kind === 'DaemonSet' && original.apiVersion === 'extensions/v1beta1' && object.apiVersion === 'apps/v1') object.apiVersion = original.apiVersion;
  if (object.spec && original?.spec && !('selector' in original.spec)) delete object.spec.selector;
  const podSpec = object.spec?.template?.spec;
  const originalPodSpec = original?.spec?.template?.spec;
  if (podSpec && Array.isArray(podSpec.tolerations)) {
    const kept = (originalPodSpec?.tolerations ?? []) as unknown[];
    const extra = (podSpec.tolerations as Array<Record<string, unknown>>).slice(kept.length);
    if (extra.every((item) => ADDED.has(String(item.key)) && item.operator === 'Exists' && item.effect === 'NoSchedule')) {
      if (originalPodSpec && !('tolerations' in originalPodSpec)) delete podSpec.tolerations;
      else podSpec.tolerations = podSpec.tolerations.slice(0, kept.length);
    }
  }
  return object;
}

/** Adds a unique trailing comment to some lines and a comment line before others; undefined if that changed the content. */
function withComments(text: string, every: number, crlf: boolean): string | undefined {
  const lines = text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (i % every === 1) out.push(`${/^ */.exec(line)![0]}# above ${i}`);
    out.push(i % every === 0 && line.trim() !== '' && line !== '---' ? `${line} # c${i}` : line);
  });
  const commented = `${out.join('\n')}\n`;
  try {
    if (JSON.stringify(asWritten(commented)) !== JSON.stringify(asWritten(text))) return undefined;
  } catch {
    return undefined;
  }
  return crlf ? commented.replace(/\n/g, '\r\n') : commented;
}

const commentsOf = (text: string) => text.match(/# (?:above |c)\d+/g) ?? [];

describe('fix properties', () => {
  it('applying all fixes keeps every comment, changes the objects only as the fixes mean to, and a second pass changes nothing', () => {
    let fixedCases = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ arbitrary: fixable, weight: 3 }, { arbitrary: workload, weight: 1 }), { minLength: 1, maxLength: 2 }),
        style,
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (objects, options_, every, crlf) => {
          const plain = objects.map((object) => stringify(object, { ...(options_ as object), lineWidth: 0 } as never)).join('---\n');
          const text = withComments(plain, every, crlf);
          fc.pre(text !== undefined);
          const fixed = fixText(text!, '/project/ds.yaml', options);
          if (fixed.output === undefined) return;
          fixedCases++;
          const output = fixed.output;
          assert.deepEqual(commentsOf(output), commentsOf(text!), 'every comment kept, in order');
          if (crlf) assert.doesNotMatch(output.replace(/\r\n/g, ''), /\n/, 'CRLF kept on every line');
          const before = asWritten(text!);
          const after = asWritten(output);
          assert.equal(after.length, before.length);
          after.forEach((object, i) => assert.deepEqual(withoutIntendedChanges(object, before[i]), before[i]));
          assert.equal(fixText(output, '/project/ds.yaml', options).output, undefined, 'a second pass changes nothing');
        },
      ),
      { numRuns: 150 },
    );
    assert.ok(fixedCases > 20, `the generators give files to fix (${fixedCases} of 150)`);
  });
});
