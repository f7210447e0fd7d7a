/**
 * JSON and SARIF reports are produced in chunks of bounded size, so a report of any size
 * is written without building one string past V8's limit ("Invalid string length").
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jsonChunks, formatJson } from '../src/report/json.js';
import { sarifChunks, formatSarif } from '../src/report/sarif.js';
import { format } from '../src/index.js';
import type { LintMessage, LintResult } from '../src/types.js';
import { BUILT_IN_META } from './helpers/engine.js';

const CONTEXT = { cwd: '/repo', version: '0.0.0', rulesMeta: BUILT_IN_META };

function results(files: number, perFile: number, message = 'selector does not match the template labels'): LintResult[] {
  return Array.from({ length: files }, (_, f) => {
    const messages: LintMessage[] = Array.from({ length: perFile }, (_, i) => ({
      ruleId: 'daemonset-selector-mismatch',
      severity: 2,
      message,
      line: i + 1,
      column: 3,
      endLine: i + 1,
      endColumn: 9,
    }));
    return {
      filePath: `/repo/f${f}.yaml`,
      messages,
      suppressedMessages: f === 0 ? [{ ...messages[0]!, suppressions: [{ kind: 'directive', justification: 'x' }] }] : [],
      errorCount: perFile,
      fatalErrorCount: 0,
      warningCount: 0,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      source: 'a: 1\n',
    } as LintResult;
  });
}

/** Length of the longest chunk and of them all, without keeping them. */
function measure(chunks: Iterable<string>): { longest: number; total: number } {
  let longest = 0;
  let total = 0;
  for (const chunk of chunks) {
    longest = Math.max(longest, chunk.length);
    total += chunk.length;
  }
  return { longest, total };
}

describe('streamed reports', () => {
  it('join to exactly what JSON.stringify gives (json: compact, sarif: two-space indent)', () => {
    const sample = [...results(3, 2), { ...results(1, 0)[0]!, filePath: '/repo/clean.yaml' }];
    const eslintShape = sample.map(({ source, ...rest }) => (rest.messages.length > 0 ? { ...rest, source } : rest));
    assert.equal([...jsonChunks(sample)].join(''), JSON.stringify(eslintShape));
    assert.equal(formatJson(sample), JSON.stringify(eslintShape));
    assert.equal(format(sample, 'json', '/repo'), JSON.stringify(eslintShape));
    assert.equal(formatJson([]), '[]');
    // A result with more findings than one chunk takes is written finding by finding: the same text.
    const many = [...results(1, 1001), ...results(2, 1000)];
    assert.equal(formatJson(many), JSON.stringify(many.map(({ source, ...rest }) => ({ ...rest, source }))));
    for (const input of [sample, [] as LintResult[]]) {
      const text = [...sarifChunks(input, CONTEXT)].join('');
      assert.equal(text, formatSarif(input, CONTEXT));
      assert.equal(text, `${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      assert.equal(JSON.parse(text).runs[0].results.length, input.reduce((n, r) => n + r.messages.length + r.suppressedMessages.length, 0));
    }
  });

  it('keep every chunk small however many findings there are', () => {
    for (const [name, chunksOf] of [
      ['json', (input: LintResult[]) => jsonChunks(input)],
      ['sarif', (input: LintResult[]) => sarifChunks(input, CONTEXT)],
    ] as const) {
      const small = measure(chunksOf(results(2, 200)));
      const large = measure(chunksOf(results(2, 20_000)));
      assert.ok(large.total > 50 * small.total, name);
      // The largest chunk is the log around the results (SARIF: the rule table), one finding,
      // or (JSON) one result of up to a thousand findings: it does not grow with the findings.
      assert.ok(large.longest <= small.longest, `${name}: ${large.longest} > ${small.longest}`);
    }
  });

  it('writes a JSON report longer than the longest string V8 allows', () => {
    // 280,000 findings of 2,000 characters: about 570 million characters, over V8's 2^29 - 24.
    const message = 'x'.repeat(2000);
    const { total } = measure(jsonChunks(results(28, 10_000, message)));
    assert.ok(total > 2 ** 29, String(total));
  });
});
