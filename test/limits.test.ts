import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { lintText, MAX_FINDINGS } from '../src/lint/engine.js';
import { flowNestsDeeperThan, MAX_DOCUMENTS } from '../src/parse/parse.js';
import { lintInWorkers } from '../src/lint/parallel.js';
import { lintRun } from '../src/lint/run.js';
import { discover } from '../src/discover/discover.js';
import { tempDir } from './helpers/temp.js';
import { engineOptions } from './helpers/engine.js';

/** Milliseconds to lint `text` (the fastest of `runs`, to keep noise out of the ratio). */
function cost(text: string, runs: number): number {
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    lintText(text, 'x.yaml', engineOptions());
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

/**
 * Work grows linearly: 8 times the input takes less than 24 times as long (quadratic
 * work would take 64 times). Sizes are chosen so the big case took seconds when quadratic.
 */
function assertLinear(make: (n: number) => string, n: number): void {
  cost(make(n), 2); // warm up the JIT
  const small = cost(make(n), 3);
  const big = cost(make(8 * n), 1);
  assert.ok(big < 24 * Math.max(small, 1), `8x input took ${(big / small).toFixed(1)}x as long (${small.toFixed(0)} ms, then ${big.toFixed(0)} ms)`);
}

const configMap = (keys: string[], eol = '\n') => ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a', 'data:', ...keys].join(eol) + eol;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('parsing in linear time where the fast path gives up', () => {
  it('duplicate keys, in a CRLF ConfigMap of many keys (still found, at the same place)', () => {
    assertLinear((n) => configMap(range(n).map((i) => `  k${i}: v${i}`), '\r\n'), 2000);
    const result = lintText(configMap(['  a: p', '  b: q', '  a: r'], '\r\n'), 'x.yaml', engineOptions());
    assert.deepEqual(result.messages.map((m) => [m.ruleId, m.messageId, m.line, m.column, m.endColumn]), [['yaml-syntax', 'duplicateKey', 8, 3, 4]]);
  });

  it('a single-line JSON object of many keys', () => {
    assertLinear((n) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{${range(n).map((i) => `"k${i}":"v${i}"`).join(',')}}}`, 2000);
  });

  it('many anchors and aliases', () => {
    assertLinear((n) => configMap(range(n).flatMap((i) => [`  k${i}: &a${i} v${i}`, `  j${i}: *a${i}`])), 1000);
  });

  it('many under-indented quoted strings, repaired in one pass', () => {
    const make = (n: number) => configMap(range(n).flatMap((i) => [`  q${i}: 'first`, '  second\'', ...range(40).map((j) => `  p${i}x${j}: v`)]));
    assertLinear(make, 12);
    // The repair still works: no syntax error, and the value is the folded string.
    assert.deepEqual(lintText(make(96), 'x.yaml', engineOptions()).messages, []);
  });

  it('many rest-of-document directives in one document', () => {
    const make = (n: number) => configMap(range(n).flatMap((i) => ['  # kubelint-disable yaml-syntax', `  k${i}: v`]));
    assertLinear(make, 1500);
    const result = lintText(make(3), 'x.yaml', engineOptions());
    assert.deepEqual(result.messages.map((m) => [m.ruleId, m.line, m.column]), [
      ['unused-suppression', 6, 3],
      ['unused-suppression', 8, 3],
      ['unused-suppression', 10, 3],
    ]);
  });
});

describe('bounded work per file', () => {
  it(`lints at most ${MAX_DOCUMENTS} documents, and says where it stopped`, () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' + '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n'.repeat(MAX_DOCUMENTS + 5);
    for (const fullParse of [false, true]) {
      const result = lintText(text, 'x.yaml', engineOptions({ fullParse }));
      // Document MAX_DOCUMENTS + 1 starts with the MAX_DOCUMENTS-th `---`, on line 4 * MAX_DOCUMENTS.
      assert.deepEqual(
        result.messages.map((m) => [m.ruleId, m.messageId, m.severity, m.line, m.column]),
        [['yaml-syntax', 'tooManyDocuments', 2, 4 * MAX_DOCUMENTS, 1]],
        fullParse ? 'full parse' : 'fast path',
      );
      assert.match(result.messages[0]!.message, /more than 10000 YAML documents/);
    }
  });

  it('cuts the shortest text that holds one document marker too many', () => {
    // Every marker on a line of its own, the last without a line break: 4 * (max + 1) - 1 characters.
    const text = '---\n'.repeat(MAX_DOCUMENTS) + '---';
    for (const fullParse of [false, true]) {
      const result = lintText(text, 'x.yaml', engineOptions({ fullParse }));
      assert.deepEqual(result.messages.map((m) => [m.messageId, m.line]), [['tooManyDocuments', MAX_DOCUMENTS + 1]]);
      assert.deepEqual(lintText(text.slice(4), 'x.yaml', engineOptions({ fullParse })).messages, []);
    }
  });

  it('a file of a million tiny documents finishes, with the cap and the summary', () => {
    const result = lintText('---\na: 1\n'.repeat(1_200_000), 'x.yaml', engineOptions());
    assert.equal(result.messages.length, MAX_FINDINGS + 2);
    const [summary, stopped] = result.messages.slice(-2);
    // Each linted document lacks apiVersion and kind: 2 * 10,000 findings, 1,000 shown.
    assert.deepEqual([summary!.ruleId, summary!.severity, summary!.line, summary!.column], [null, 2, 1002, 1]);
    assert.equal(summary!.message, '19000 more problems in this file were not shown (19000 errors): kubelint shows at most 1000 per file. Fix the ones shown and run again.');
    assert.deepEqual([stopped!.messageId, stopped!.line], ['tooManyDocuments', 2 * MAX_DOCUMENTS + 1]);
    assert.equal(result.errorCount, MAX_FINDINGS + 2);
  });

  it('the summary of findings not shown is a warning when all of them are warnings', () => {
    // Each directive suppresses nothing: one unused-suppression warning each.
    const text = configMap(range(MAX_FINDINGS + 3).flatMap((i) => ['  # kubelint-disable-next-line schema', `  k${i}: v`]));
    const result = lintText(text, 'x.yaml', engineOptions());
    assert.equal(result.messages.length, MAX_FINDINGS + 1);
    const summary = result.messages.at(-1)!;
    assert.deepEqual([summary.ruleId, summary.severity, summary.line, summary.column], [null, 1, 6 + 2 * MAX_FINDINGS, 3]);
    assert.equal(summary.message, '3 more problems in this file were not shown (3 warnings): kubelint shows at most 1000 per file. Fix the ones shown and run again.');
    assert.equal(result.errorCount, 0);
  });
});

describe('a worker thread that dies', () => {
  it('costs only the file it was linting; the other files keep their results', async () => {
    const dir = tempDir('kubelint-workers-');
    const files = range(40).map((i) => {
      const file = path.join(dir, `f${i}.yaml`);
      writeFileSync(file, i === 7 ? 'a: [\n' : 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
      return file;
    });
    const crash = path.join(dir, 'crash.yaml');
    writeFileSync(crash, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    files.splice(20, 0, crash);
    process.env.KUBELINT_TEST_WORKER_CRASH_ON = 'crash.yaml';
    try {
      let online = 0;
      const results = await lintInWorkers(files, engineOptions(), 2, { onWorkerOnline: () => online++ });
      assert.deepEqual(results.map((r) => r.filePath), files);
      // The two workers, and the one that took the dead one's place.
      assert.equal(online, 3);
      const crashed = results[20]!;
      assert.deepEqual(crashed.messages.map((m) => [m.ruleId, m.severity, m.line, m.column]), [['yaml-syntax', 2, 1, 1]]);
      assert.match(crashed.messages[0]!.message, /^kubelint could not lint this file: the thread linting it stopped \(it crashed\)/);
      // File 7 keeps its real syntax error; every other file is clean.
      assert.deepEqual(results[7]!.messages.map((m) => m.messageId), ['syntax']);
      assert.equal(results.filter((r) => r.messages.length === 0).length, files.length - 2);
    } finally {
      delete process.env.KUBELINT_TEST_WORKER_CRASH_ON;
    }
  });
});

describe('where files are linted', () => {
  it('is told before this thread lints, and as each worker thread comes online', async () => {
    const dir = tempDir('kubelint-threads-');
    for (const i of range(20)) writeFileSync(path.join(dir, `f${i}.yaml`), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    const told = async (workers: string) => {
      const where: string[] = [];
      process.env.KUBELINT_WORKERS = workers;
      try {
        await lintRun(await discover([dir], { cwd: dir }), engineOptions(), { onLinting: (linting) => where.push(linting) });
      } finally {
        delete process.env.KUBELINT_WORKERS;
      }
      return where;
    };
    assert.deepEqual(await told('0'), ['here']);
    assert.deepEqual(await told('2'), ['on workers', 'on workers']);
  });
});

describe('flow nesting pre-check', () => {
  it('refuses flow nesting past the limit before the yaml package recurses into it', () => {
    assert.equal(flowNestsDeeperThan(`${'['.repeat(600)}${']'.repeat(600)}`, 512), true);
    assert.equal(flowNestsDeeperThan(`${'['.repeat(500)}${']'.repeat(500)}`, 512), false);
    // Brackets in quotes and comments do not count; a quote inside a word does not open a string.
    assert.equal(flowNestsDeeperThan(`a: "${'['.repeat(600)}"\nb: '${'{'.repeat(600)}'\n# ${'['.repeat(600)}\n`, 512), false);
    assert.equal(flowNestsDeeperThan(`a: don't\nb: ${'['.repeat(600)}\n`, 512), true);
  });

  it('reports 20,000 levels of flow nesting after a first parse warmed the parser up (V8 aborted there)', () => {
    const code = `${'['.repeat(20000)}${']'.repeat(20000)}\n`;
    for (let run = 0; run < 3; run++) {
      const result = lintText(code, 'deep.yaml', engineOptions());
      assert.equal(result.messages.length, 1);
      assert.match(result.messages[0]!.message, /nests too deeply/);
    }
  });
});
