/**
 * kubelint over ../shared/corpus: real manifests written by others. It must run on every
 * file without a crash, and what it reports there is a committed, reviewed snapshot.
 * Regenerate after a deliberate change with: UPDATE_SNAPSHOTS=1 npm test
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './helpers/cli.js';
import { lintPaths } from '../src/lint/run.js';

import { DEFAULT_STATIC_POD_GLOBS, StaticPodMatcher } from '../src/discover/static-pods.js';
import { engineOptions } from './helpers/engine.js';

const CORPUS = path.resolve(PROJECT_ROOT, '..', 'shared', 'corpus');
const SNAPSHOT = path.join(PROJECT_ROOT, 'test', 'snapshots', 'corpus.json');

function corpusFiles(): string[] {
  return ['daemonsets', 'static-pods'].flatMap((dir) =>
    readdirSync(path.join(CORPUS, dir)).map((name) => path.join(CORPUS, dir, name)),
  );
}

describe('corpus', { skip: existsSync(CORPUS) ? false : `no corpus at ${CORPUS}` }, () => {
  it('lints every corpus file and matches the reviewed snapshot', async () => {
    const files = corpusFiles();
    const engine = engineOptions({ staticPods: new StaticPodMatcher(DEFAULT_STATIC_POD_GLOBS, CORPUS) });
    const results = await lintPaths(files, engine, { cwd: CORPUS });
    assert.equal(results.length, files.length);
    const findings = results.flatMap((result) =>
      result.messages.map((m) => ({
        file: path.relative(CORPUS, result.filePath),
        at: `${m.line}:${m.column}-${m.endLine}:${m.endColumn}`,
        rule: m.ruleId,
        severity: m.severity === 2 ? 'error' : 'warning',
        message: m.message,
      })),
    );
    assert.ok(!findings.some((f) => /internal error/.test(f.message)), 'a rule crashed on the corpus');
    // The corpus is valid Kubernetes where it uses served apiVersions: no schema finding is true there.
    assert.deepEqual(findings.filter((f) => f.rule === 'schema'), []);
    if (process.env.UPDATE_SNAPSHOTS) writeFileSync(SNAPSHOT, `${JSON.stringify(findings, null, 2)}\n`);
    const expected = JSON.parse(readFileSync(SNAPSHOT, 'utf8'));
    assert.deepEqual(findings, expected);
  });
});
