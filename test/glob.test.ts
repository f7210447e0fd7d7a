/** Glob matching (static pod paths, ignore patterns) and its linear-time guarantee (issue 15, item 7). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileGlob } from '../src/discover/glob.js';
import { DEFAULT_STATIC_POD_GLOBS, StaticPodMatcher } from '../src/discover/static-pods.js';
import { formatCompact } from '../src/report/compact.js';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/temp.js';

const EXPLODING = '**/a**a**a**a**a**b';

describe('compileGlob', () => {
  const cases: Array<[string, string, boolean]> = [
    ['**/etc/kubernetes/manifests/*', 'etc/kubernetes/manifests/kube-apiserver.yaml', true],
    ['**/etc/kubernetes/manifests/*', '/node/etc/kubernetes/manifests/etcd.yaml', true],
    ['**/etc/kubernetes/manifests/*', 'etc/kubernetes/manifests/sub/etcd.yaml', false],
    ['**/static-pods/**', 'deploy/static-pods/a/b.yaml', true],
    ['**/static-pods/**', 'static-pods/b.yaml', true],
    ['**/static-pods/**', 'static-podsx/b.yaml', false],
    ['*.yaml', 'a.yaml', true],
    ['*.yaml', 'dir/a.yaml', false],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['**/*.{yaml,yml}', 'x/y.yml', true],
    ['**/*.{yaml,yml}', 'x/y.json', false],
    ['{a*,b}/c', 'abc/c', true],
    ['a**b', 'a/x/b', true], // `**` inside a segment crosses `/`, as before
    ['[ab].yaml', '[ab].yaml', true], // brackets are literal
    ['[ab].yaml', 'a.yaml', false],
    ['vendor/**', 'vendor/', true],
    ['vendor/**', 'vendor', false],
  ];
  for (const [glob, file, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${file}`, () => assert.equal(compileGlob(glob).test(file), expected));
  }

  it(`matches ${EXPLODING} in work linear in the name (it backtracked for 42 s on 200 characters)`, () => {
    const stepsFor = (length: number) => {
      const matcher = compileGlob(EXPLODING);
      assert.equal(matcher.test('a'.repeat(length)), false);
      assert.equal(matcher.test(`${'a'.repeat(length)}b`), true);
      return matcher.steps;
    };
    const small = stepsFor(200);
    const large = stepsFor(800);
    assert.ok(large <= small * 4 * 1.5, `800 characters: ${large} steps, 200: ${small}`);
    assert.ok(small <= 201 * 2 * EXPLODING.length * 4, `${small} steps`); // (n + 1) × states, with room
  });

  it('keeps linear work with many brace groups and segment globstars', () => {
    const glob = '**/{a,b}/**/{a,b}/**/{a,b}/**/{a,b}/**/{a,b}/**/{a,b}/**/c';
    const stepsFor = (segments: number) => {
      const matcher = compileGlob(glob);
      assert.equal(matcher.test('a/'.repeat(segments) + 'd'), false);
      return matcher.steps;
    };
    assert.ok(stepsFor(400) <= stepsFor(100) * 4 * 1.5);
  });
});

describe('StaticPodMatcher', () => {
  // The path as given, relative to the working directory (/project), or absolute; globs with a
  // literal run are answered by a substring search first, those without (or with "..") are not.
  const cases: Array<[readonly string[], string, boolean]> = [
    [DEFAULT_STATIC_POD_GLOBS, '/project/etc/kubernetes/manifests/kube-apiserver.yaml', true],
    [DEFAULT_STATIC_POD_GLOBS, 'etc/kubernetes/manifests/etcd', true],
    [DEFAULT_STATIC_POD_GLOBS, './node/kubelet.d/pod.json', true],
    [DEFAULT_STATIC_POD_GLOBS, '/project/deploy/static-pods/a/b.yaml', true],
    [DEFAULT_STATIC_POD_GLOBS, '/project/etc/kubernetes/manifests/.swp', false],
    [DEFAULT_STATIC_POD_GLOBS, '/project/etc/kubernetes/manifests/sub/pod.yaml', false],
    [DEFAULT_STATIC_POD_GLOBS, '/project/deploy/daemonset.yaml', false],
    [['nodes/*/pods/*'], '/project/nodes/a/pods/p.yaml', true],
    [['nodes/*/pods/*'], 'nodes/a/pods/p.yaml', true],
    [['nodes/*/pods/*'], '/elsewhere/nodes/a/pods/p.yaml', false],
    [['/srv/pods/*'], '/srv/pods/p.yaml', true],
    [['../shared/pods/*'], '/shared/pods/p.yaml', true],
    [['../shared/pods/*'], '/project/shared/pods/p.yaml', false],
    [['*'], 'p.yaml', true],
    [['*', 'nodes/*/pods/*'], '/project/p.yaml', true],
  ];
  for (const [globs, file, expected] of cases) {
    it(`${globs.join(' ')} ${expected ? 'matches' : 'does not match'} ${file}`, () => {
      const matcher = new StaticPodMatcher(globs, '/project');
      assert.equal(matcher.test(file), expected);
      assert.equal(matcher.matches(file), expected);
    });
  }
});

describe('the exploding glob end to end', () => {
  it('--static-pod-path and ignorePatterns with it lint a 200-character file name', () => {
    const dir = tempDir('kubelint-glob-');
    try {
      mkdirSync(path.join(dir, '.git'));
      const name = `${'a'.repeat(200)}.yaml`;
      writeFileSync(path.join(dir, name), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
      const run = runCli(['--static-pod-path', EXPLODING, '-f', 'json', name], { cwd: dir });
      assert.equal(run.stderr, '');
      assert.equal(run.status, 0);
      assert.equal((JSON.parse(run.stdout) as unknown[]).length, 1);
      writeFileSync(path.join(dir, '.kubelint.yaml'), `ignorePatterns: ["${EXPLODING}"]\nstaticPodPaths: ["${EXPLODING}"]\n`);
      const scan = runCli(['-f', 'json', '.'], { cwd: dir });
      assert.equal(scan.stderr, '');
      assert.equal((JSON.parse(scan.stdout) as unknown[]).length, 1); // not ignored: the name has no b
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compact output of long whitespace runs', () => {
  it('is linear in the message (a 100,000-space value took 24 s)', () => {
    const timeFor = (spaces: number) => {
      const message = `${' '.repeat(spaces)}\n${' '.repeat(spaces)}`;
      const results = [{ filePath: '/a.yaml', messages: [{ ruleId: 'schema', severity: 2 as const, message, line: 1, column: 1, endLine: 1, endColumn: 2 }], suppressedMessages: [], errorCount: 1, fatalErrorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0 }];
      let best = Infinity;
      let output = '';
      for (let i = 0; i < 5; i++) {
        const start = process.hrtime.bigint();
        output = formatCompact(results);
        best = Math.min(best, Number(process.hrtime.bigint() - start));
      }
      assert.equal(output, `/a.yaml: line 1, col 1, Error - ${' '.repeat(spaces)}\\n${' '.repeat(spaces)} (schema)\n\n1 problem`);
      return best;
    };
    timeFor(25_000); // warm up
    const small = timeFor(25_000);
    const large = timeFor(100_000);
    // Four times the input: about four times the time when linear, sixteen when quadratic.
    assert.ok(large < small * 10 + 5_000_000, `25,000 spaces: ${small} ns, 100,000: ${large} ns`);
  });
});
