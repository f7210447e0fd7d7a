/**
 * --cache (issue 13 item 4): a repeated run replays the results of unchanged files without
 * reading them, and lints again every file whose content, settings, Kubernetes version,
 * kubelint version or plugins changed; a broken cache file costs one warning, never a
 * wrong result; concurrent runs leave a whole cache. Reads are counted (readCounter), never timed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../src/cli/cli.js';
import { readCounter } from '../src/lint/run.js';
import { LintCache, resolveCacheLocation, settingsKey } from '../src/lint/cache.js';
import { BIN, PROJECT_ROOT, runCli } from './helpers/cli.js';
import { tempDir, writeTree } from './helpers/temp.js';
import { engineOptions } from './helpers/engine.js';

const CORPUS = path.resolve(PROJECT_ROOT, '..', 'shared', 'corpus');

function daemonSet(name: string, extra = ''): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    `  name: ${name}`,
    '  namespace: kube-system',
    'spec:',
    '  selector:',
    `    matchLabels: {app: ${name}}`,
    '  template:',
    '    metadata:',
    `      labels: {app: ${name}}`,
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    '          image: registry.k8s.io/pause:3.10',
    extra,
  ].join('\n');
}

function scratch(files: Record<string, string>): string {
  const dir = tempDir('kubelint-cache-');
  writeTree(dir, files);
  return dir;
}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
  /** Manifests read by this run to lint (on this thread: these inputs are too small for worker threads). */
  reads: number;
  /** Manifests read again, to print their findings. */
  readsAgain: number;
}

async function run(args: string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const before = { ...readCounter };
  const status = await main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), readStdin: () => '', cwd });
  return { status, stdout, stderr, reads: readCounter.files - before.files, readsAgain: readCounter.again - before.again };
}

/** The JSON report's findings as [file, rule, line, column]. */
function findings(report: string): Array<[string, string | null, number, number]> {
  return (JSON.parse(report) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; column: number }> }>).flatMap((result) =>
    result.messages.map((message) => [path.basename(result.filePath), message.ruleId, message.line, message.column] as [string, string | null, number, number]),
  );
}

const JSON_CACHE = ['-f', 'json', '--cache'];

function cacheFiles(file: string): string[] {
  return Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, unknown> }).files).map((name) => path.basename(name));
}

describe('--cache: hits', () => {
  it('replays every result of an unchanged tree without reading a file, identical to the first run', async () => {
    // b.yaml has a finding (and so a source in the report), a suppressed one, and c.json is not a manifest.
    const dir = scratch({
      'a.yaml': daemonSet('a'),
      'b.yaml': `${daemonSet('b')}\n          bogusField: 1\n`,
      'c.json': '{"name": "not a manifest"}\n',
    });
    const first = await run([...JSON_CACHE, '.'], dir);
    assert.equal(first.reads, 3);
    assert.ok(existsSync(path.join(dir, '.kubelintcache')), 'the default cache file is .kubelintcache in the working directory');
    const written = statSync(path.join(dir, '.kubelintcache'));
    const second = await run([...JSON_CACHE, '--debug', '.'], dir);
    // Nothing changed, so the cache is not written again (an atomic write would give a new inode).
    const after = statSync(path.join(dir, '.kubelintcache'));
    assert.deepEqual([after.ino, after.mtimeMs], [written.ino, written.mtimeMs]);
    assert.equal(second.reads, 0, 'a hit lints no manifest');
    // The report's source of b.yaml, read again as it is printed (as in the first run): no result holds it.
    assert.deepEqual([first.readsAgain, second.readsAgain], [1, 1]);
    assert.match(second.stderr, /kubelint:debug cache: 3 of 3 files from the cache/);
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.status, first.status);
    assert.ok(findings(first.stdout).length > 0, 'the tree has findings to replay');
    // Not a manifest stays skipped, from the cache too.
    assert.match(second.stderr, /skipped .*c\.json: not a manifest/);
  });

  it('replays a file whose metadata changed but not its content, under --cache-strategy content', async () => {
    const dir = scratch({ 'a.yaml': `${daemonSet('a')}\n          bogusField: 1\n` });
    const first = await run([...JSON_CACHE, '--cache-strategy', 'content', '.'], dir);
    utimesSync(path.join(dir, 'a.yaml'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const touched = await run([...JSON_CACHE, '--cache-strategy', 'content', '.'], dir);
    assert.equal(touched.reads, 0);
    assert.equal(touched.stdout, first.stdout);
    // Under metadata, the new time is a change.
    assert.equal((await run([...JSON_CACHE, '.'], dir)).reads, 1);
  });
});

describe('--cache: misses', () => {
  it('lints again a file whose content changed, and only that one', async () => {
    const dir = scratch({ 'a.yaml': daemonSet('a'), 'b.yaml': daemonSet('b') });
    await run([...JSON_CACHE, '.'], dir);
    writeFileSync(path.join(dir, 'b.yaml'), `${daemonSet('b')}\n          bogusField: 1\n`);
    const changed = await run([...JSON_CACHE, '.'], dir);
    assert.equal(changed.reads, 1);
    assert.ok(findings(changed.stdout).some(([file]) => file === 'b.yaml'), 'the new finding is reported');
    // Same size, new time (metadata strategy): still a change.
    const text = readFileSync(path.join(dir, 'a.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'a.yaml'), text.replace('name: a\n', 'name: z\n'));
    utimesSync(path.join(dir, 'a.yaml'), new Date(2030, 1, 1), new Date(2030, 1, 1));
    assert.equal((await run([...JSON_CACHE, '.'], dir)).reads, 1);
  });

  it('lints everything again when the configuration, --rule or --kubernetes-version changes', async () => {
    const dir = scratch({ 'a.yaml': `${daemonSet('a')}\n          bogusField: 1\n`, 'b.yaml': daemonSet('b') });
    const base = await run([...JSON_CACHE, '.'], dir);
    assert.equal((await run([...JSON_CACHE, '.'], dir)).reads, 0);
    const rule = findings(base.stdout).find(([file]) => file === 'a.yaml')![1]!;
    writeFileSync(path.join(dir, '.kubelint.yaml'), `rules:\n  ${rule}: off\n`);
    const configured = await run([...JSON_CACHE, '.'], dir);
    assert.equal(configured.reads, 2);
    assert.ok(!findings(configured.stdout).some(([, id]) => id === rule), `${rule} is off now`);
    assert.equal((await run([...JSON_CACHE, '.'], dir)).reads, 0);
    assert.equal((await run([...JSON_CACHE, '--rule', `${rule}=warn`, '.'], dir)).reads, 2);
    assert.equal((await run([...JSON_CACHE, '--kubernetes-version', '1.30', '.'], dir)).reads, 2);
    assert.equal((await run([...JSON_CACHE, '--kubernetes-version', '1.30', '.'], dir)).reads, 0);
    assert.equal((await run([...JSON_CACHE, '--no-strict', '--kubernetes-version', '1.30', '.'], dir)).reads, 2);
  });

  it('lints everything again for another kubelint version: the old cache is foreign (one warning)', async () => {
    const dir = scratch({ 'a.yaml': daemonSet('a'), 'b.yaml': daemonSet('b') });
    await run([...JSON_CACHE, '.'], dir);
    const file = path.join(dir, '.kubelintcache');
    const cache = JSON.parse(readFileSync(file, 'utf8')) as { version: string };
    writeFileSync(file, JSON.stringify({ ...cache, version: '0.0.1-older' }));
    const upgraded = await run([...JSON_CACHE, '.'], dir);
    assert.equal(upgraded.reads, 2);
    assert.match(upgraded.stderr, /^kubelint: ignoring the cache file \.kubelintcache: it was written by kubelint 0\.0\.1-older \(cache format 1\); it will be rebuilt\n$/);
    assert.equal((await run([...JSON_CACHE, '.'], dir)).reads, 0, 'rebuilt for this version');
    // And the version is in every entry's key.
    const engine = engineOptions();
    assert.notEqual(settingsKey(engine, 'metadata', '1.0.0'), settingsKey(engine, 'metadata', '1.0.1'));
    assert.equal(settingsKey(engine, 'metadata', '1.0.0'), settingsKey(engine, 'metadata', '1.0.0'));
  });

  it('lints everything again when a plugin changes version or code', async () => {
    const dir = scratch({ '.kubelint.yaml': 'plugins:\n  corp: kubelint-plugin-corp\n', 'a.yaml': daemonSet('a') });
    const plugin = path.join(dir, 'node_modules', 'kubelint-plugin-corp');
    cpSync(path.join(PROJECT_ROOT, 'fixtures', 'plugins', 'packages', 'kubelint-plugin-corp'), plugin, { recursive: true });
    const first = await run([...JSON_CACHE, 'a.yaml'], dir);
    assert.ok(findings(first.stdout).some(([, id]) => id === 'corp/team-label'), first.stdout);
    assert.equal((await run([...JSON_CACHE, 'a.yaml'], dir)).reads, 0);
    const manifest = path.join(plugin, 'package.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"version": "1.0.0"', '"version": "1.0.1"'));
    assert.equal((await run([...JSON_CACHE, 'a.yaml'], dir)).reads, 1, 'new plugin version');
    assert.equal((await run([...JSON_CACHE, 'a.yaml'], dir)).reads, 0);
    writeFileSync(path.join(plugin, 'index.mjs'), `${readFileSync(path.join(plugin, 'index.mjs'), 'utf8')}\n// changed\n`);
    assert.equal((await run([...JSON_CACHE, 'a.yaml'], dir)).reads, 1, 'same version, new code');
  });

  it('lints again a file that became a kustomize patch, and a --schema-dir whose schemas changed', async () => {
    const dir = scratch({ 'base/ds.yaml': daemonSet('a'), 'base/patch.yaml': 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: a\n' });
    const plain = await run([...JSON_CACHE, '.'], dir);
    assert.ok(findings(plain.stdout).some(([file]) => file === 'patch.yaml'), 'a partial DaemonSet has findings');
    writeFileSync(path.join(dir, 'base', 'kustomization.yaml'), 'resources: [ds.yaml]\npatches:\n  - path: patch.yaml\n');
    const patched = await run([...JSON_CACHE, '.'], dir);
    assert.ok(!findings(patched.stdout).some(([file]) => file === 'patch.yaml'), `a patch is partial by design: ${patched.stdout}`);
    const schemas = path.join(dir, 'schemas');
    mkdirSync(schemas);
    assert.equal((await run([...JSON_CACHE, '--schema-dir', schemas, 'base'], dir)).reads, 2);
    assert.equal((await run([...JSON_CACHE, '--schema-dir', schemas, 'base'], dir)).reads, 0);
    writeFileSync(path.join(schemas, 'widget-acme-v1.json'), '{"type": "object"}');
    assert.equal((await run([...JSON_CACHE, '--schema-dir', schemas, 'base'], dir)).reads, 2);
  });
});

describe('--cache: the cache file', () => {
  for (const [what, text] of [
    ['corrupt', 'not json at all {'],
    ['truncated', '{"tool":"kubelint","format":1,"version":"0.1.0","files":{"/x":{"si'],
    ['another tool\'s', '{"version":"8.0.0","results":[]}'],
    ['empty', ''],
  ] as const) {
    it(`a ${what} cache file is ignored with one warning, the results are right, and it is rebuilt`, async () => {
      const dir = scratch({ 'a.yaml': `${daemonSet('a')}\n          bogusField: 1\n`, 'b.yaml': daemonSet('b') });
      const expected = await run(['-f', 'json', '.'], dir);
      writeFileSync(path.join(dir, '.kubelintcache'), text);
      const broken = await run([...JSON_CACHE, '.'], dir);
      assert.equal(broken.stdout, expected.stdout);
      assert.equal(broken.status, expected.status);
      assert.equal(broken.stderr.split('\n').filter(Boolean).length, 1, broken.stderr);
      assert.match(broken.stderr, /^kubelint: ignoring the cache file \.kubelintcache: it (is corrupt or truncated|is not a kubelint cache); it will be rebuilt\n$/);
      const again = await run([...JSON_CACHE, '.'], dir);
      assert.deepEqual([again.reads, again.stderr, again.stdout], [0, '', expected.stdout]);
    });
  }

  it('a cache entry of another shape is a miss, never a crash', async () => {
    const dir = scratch({ 'a.yaml': daemonSet('a') });
    await run([...JSON_CACHE, '.'], dir);
    const file = path.join(dir, '.kubelintcache');
    const cache = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, unknown> };
    for (const key of Object.keys(cache.files)) cache.files[key] = { key: 'x', result: 7 };
    writeFileSync(file, JSON.stringify(cache));
    const rerun = await run([...JSON_CACHE, '.'], dir);
    assert.deepEqual([rerun.status, rerun.reads, rerun.stderr], [0, 1, '']);
  });

  it('--cache-location: a file as given, or a file inside a directory; written by rename, never through a symbolic link', async () => {
    const dir = scratch({ 'a.yaml': daemonSet('a') });
    await run([...JSON_CACHE, '--cache-location', 'custom.cache', '.'], dir);
    assert.ok(statSync(path.join(dir, 'custom.cache')).isFile());
    mkdirSync(path.join(dir, 'caches'));
    await run([...JSON_CACHE, '--cache-location', 'caches', '.'], dir);
    const inside = readdirSync(path.join(dir, 'caches'));
    assert.equal(inside.length, 1);
    assert.match(inside[0]!, /^\.cache_[0-9a-f]+$/);
    assert.equal(resolveCacheLocation('new-dir/', dir), path.join(dir, 'new-dir', inside[0]!));
    assert.equal((await run([...JSON_CACHE, '--cache-location', 'caches', '.'], dir)).reads, 0);
    // A symbolic link at the location is replaced; its target is untouched.
    writeFileSync(path.join(dir, 'precious.txt'), 'keep me');
    symlinkSync(path.join(dir, 'precious.txt'), path.join(dir, 'linked.cache'));
    const linked = await run([...JSON_CACHE, '--cache-location', 'linked.cache', '.'], dir);
    assert.equal(readFileSync(path.join(dir, 'precious.txt'), 'utf8'), 'keep me');
    assert.ok(lstatSync(path.join(dir, 'linked.cache')).isFile());
    assert.match(linked.stderr, /ignoring the cache file linked\.cache: it is corrupt or truncated/);
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [], 'no temporary file left');
  });

  it('a cache that cannot be written is one warning; the run still reports and exits as without it', async () => {
    const dir = scratch({ 'a.yaml': `${daemonSet('a')}\n          bogusField: 1\n` });
    const expected = await run(['-f', 'json', '.'], dir);
    const result = await run([...JSON_CACHE, '--cache-location', 'missing/dir/cache', '.'], dir);
    assert.deepEqual([result.status, result.stdout], [expected.status, expected.stdout]);
    assert.match(result.stderr, /^kubelint: cannot write the cache file missing\/dir\/cache \(ENOENT\); the next run lints every file again\n$/);
  });

  it('drops the entries of files that no longer exist, and keeps those of files a run did not look at', async () => {
    const dir = scratch({ 'a.yaml': daemonSet('a'), 'b.yaml': daemonSet('b'), 'c.yaml': daemonSet('c') });
    await run([...JSON_CACHE, '.'], dir);
    const file = path.join(dir, '.kubelintcache');
    assert.deepEqual(cacheFiles(file), ['a.yaml', 'b.yaml', 'c.yaml']);
    rmSync(path.join(dir, 'b.yaml'));
    await run([...JSON_CACHE, 'a.yaml'], dir);
    assert.deepEqual(cacheFiles(file), ['a.yaml', 'c.yaml']);
    assert.equal((await run([...JSON_CACHE, '.'], dir)).reads, 0);
  });

  it('--cache-strategy takes metadata or content', async () => {
    const dir = scratch({ 'a.yaml': daemonSet('a') });
    const bad = await run([...JSON_CACHE, '--cache-strategy', 'contents', '.'], dir);
    assert.deepEqual([bad.status, bad.stdout, bad.stderr], [2, '', 'kubelint: --cache-strategy takes metadata or content, not "contents" (did you mean content?)\n']);
  });

  it('standard input is never cached', async () => {
    const dir = scratch({});
    let stdout = '';
    const status = await main(['--cache', '-f', 'json', '-'], { stdout: (text) => (stdout += text), stderr: () => {}, readStdin: () => daemonSet('a'), cwd: dir });
    assert.equal(status, 0, stdout);
    assert.equal(existsSync(path.join(dir, '.kubelintcache')), false);
  });
});

describe('--cache with --fix', () => {
  it('a file --fix rewrote is linted again next time, never replayed from before the fix', async () => {
    const broken = daemonSet('a').replace('apiVersion: apps/v1', 'apiVersion: extensions/v1beta1');
    const dir = scratch({ 'a.yaml': broken, 'b.yaml': daemonSet('b') });
    const before = await run([...JSON_CACHE, '.'], dir);
    assert.ok(JSON.parse(before.stdout).some((result: { messages: Array<{ fix?: unknown }> }) => result.messages.some((message) => message.fix)), 'a.yaml has a fix');
    const fixed = await run([...JSON_CACHE, '--fix', '.'], dir);
    assert.notEqual(readFileSync(path.join(dir, 'a.yaml'), 'utf8'), broken, 'the file was fixed');
    assert.deepEqual(cacheFiles(path.join(dir, '.kubelintcache')), ['b.yaml'], 'the fixed file has no entry');
    const after = await run([...JSON_CACHE, '.'], dir);
    assert.equal(after.reads, 1);
    assert.equal(after.stdout, (await run(['-f', 'json', '.'], dir)).stdout);
    assert.equal(fixed.status, after.status);
  });
});

/** Runs the CLI as its own process, asynchronously, for runs at the same time. */
function spawnCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('--cache on the corpus', () => {
  it('gives the same report without the cache, with it (cold and warm, both strategies), with and without worker threads', { timeout: 300_000 }, async () => {
    const work = tempDir('kubelint-cache-corpus-');
    const cache = path.join(work, 'cache');
    const args = ['-f', 'json', '--kubernetes-version', '1.34', CORPUS];
    const plain = runCli(args, { cwd: work, env: { KUBELINT_WORKERS: '0' } });
    assert.ok(plain.stdout.length > 1000, plain.stderr);
    const runs = [
      runCli([...args, '--cache', '--cache-location', cache], { cwd: work, env: { KUBELINT_WORKERS: '2' } }),
      runCli([...args, '--cache', '--cache-location', cache], { cwd: work, env: { KUBELINT_WORKERS: '0' } }),
      runCli([...args, '--cache', '--cache-location', cache], { cwd: work, env: { KUBELINT_WORKERS: '2' } }),
      runCli([...args, '--cache', '--cache-location', `${cache}-c`, '--cache-strategy', 'content'], { cwd: work, env: { KUBELINT_WORKERS: '0' } }),
      runCli([...args, '--cache', '--cache-location', `${cache}-c`, '--cache-strategy', 'content', '--debug'], { cwd: work, env: { KUBELINT_WORKERS: '2' } }),
      runCli(args, { cwd: work, env: { KUBELINT_WORKERS: '2' } }),
    ];
    for (const [index, result] of runs.entries()) {
      assert.equal(result.status, plain.status, `run ${index}: ${result.stderr}`);
      assert.equal(result.stdout, plain.stdout, `run ${index} differs`);
    }
    const files = JSON.parse(plain.stdout).length as number;
    assert.match(runs[4]!.stderr, new RegExp(`kubelint:debug cache: ${files} of ${files} files from the cache`));
  });

  it('concurrent runs on one cache file leave a whole cache, and every run reports correctly', { timeout: 300_000 }, async () => {
    const work = tempDir('kubelint-cache-concurrent-');
    const cache = path.join(work, 'cache');
    const args = ['-f', 'json', '--cache', '--cache-location', cache, CORPUS];
    const expected = runCli(['-f', 'json', CORPUS], { cwd: work });
    const together = await Promise.all([0, 1, 2, 3].map(() => spawnCli(args, work)));
    for (const result of together) assert.deepEqual([result.status, result.stdout, result.stderr], [expected.status, expected.stdout, '']);
    const parsed = JSON.parse(readFileSync(cache, 'utf8')) as { tool: string; files: Record<string, unknown> };
    assert.equal(parsed.tool, 'kubelint');
    const warm = runCli([...args, '--debug'], { cwd: work });
    assert.equal(warm.stdout, expected.stdout);
    assert.match(warm.stderr, /kubelint:debug cache: (\d+) of \1 files from the cache/);
    assert.deepEqual(readdirSync(work).filter((name) => name.endsWith('.tmp')), []);
  });
});

describe('LintCache', () => {
  it('a lookup under another key or of a changed file misses; a stored result comes back whole, private fields included', () => {
    const dir = scratch({ 'a.yaml': daemonSet('a') });
    const file = path.join(dir, 'a.yaml');
    const location = path.join(dir, 'c');
    const warnings: string[] = [];
    const open = () => new LintCache({ location, strategy: 'metadata', runKey: 'k', warn: (message) => warnings.push(message) });
    const first = open();
    assert.equal(first.lookup(file, 'k'), undefined);
    const stats = statSync(file);
    const result = { filePath: file, messages: [], suppressedMessages: [], errorCount: 0, fatalErrorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0, objects: 1, facts: { anything: [1, 2] } };
    first.store(file, 'k', { size: stats.size, mtimeMs: stats.mtimeMs }, result);
    first.save();
    const second = open();
    assert.deepEqual(second.lookup(file, 'k'), result);
    assert.equal(second.lookup(file, 'other'), undefined);
    assert.deepEqual(second.counts, { hits: 1, misses: 1, contentReads: 0 });
    assert.deepEqual(warnings, []);
  });
});
