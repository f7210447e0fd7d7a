/**
 * Hostile input: every case ends in a diagnostic with a position or a one-line error, with
 * the right exit code, fast, without a stack trace, and without writing any file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { BIN, PROJECT_ROOT, runCli, runCliInShell, unprivileged, type CliRun } from './helpers/cli.js';
import type { LintResult } from '../src/types.js';
import { tempDir, writeTree } from './helpers/temp.js';

const DAEMONSET = readFileSync(path.join(PROJECT_ROOT, 'fixtures/examples/daemonsets/cni-agent.yaml'), 'utf8');

/** Every file under `dir` with its content hash, to prove nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const full = path.join(current, name);
      let stats;
      try {
        stats = statSync(full);
      } catch {
        continue; // a dangling or looping link
      }
      if (stats.isDirectory()) {
        if (!full.includes('loop')) walk(full);
      } else if (stats.isFile() && stats.mode & 0o444) {
        try {
          out[path.relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
        } catch {
          out[path.relative(dir, full)] = 'unreadable';
        }
      }
    }
  };
  walk(dir);
  return out;
}

function scratch(files: Record<string, string | Buffer>): string {
  const dir = tempDir('kubelint-hostile-');
  writeTree(dir, files);
  return dir;
}

/** Runs kubelint in `dir` and checks the invariants every hostile case shares. */
function lintIn(dir: string, args: string[], options: { input?: string } = {}): CliRun & { results?: LintResult[] } {
  const before = snapshot(dir);
  const started = Date.now();
  const run = runCli([...args, '-f', 'json'], { cwd: dir, ...options });
  assert.ok(Date.now() - started < 20_000, 'kubelint took too long');
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'a stack trace was printed');
  assert.deepEqual(snapshot(dir), before, 'a file was written or changed');
  assert.ok(run.status === 0 || run.status === 1 || run.status === 2, `exit ${run.status}`);
  if (run.status === 2) {
    assert.equal(run.stderr.trim().split('\n').length, 1, 'exit 2 must come with a one-line message');
    return run;
  }
  const results = JSON.parse(run.stdout) as LintResult[];
  for (const result of results) {
    const lines = (result.source ?? '').split('\n').length;
    for (const message of result.messages) {
      assert.ok(message.line >= 1 && message.line <= Math.max(lines, 1), `line ${message.line} outside the file`);
      assert.ok(message.column >= 1);
    }
  }
  return { ...run, results };
}

function onlyFinding(run: { results?: LintResult[] }): { ruleId: string | null; line: number; column: number; message: string } {
  const messages = run.results!.flatMap((result) => result.messages);
  assert.equal(messages.length, 1, JSON.stringify(messages));
  const [message] = messages;
  return { ruleId: message!.ruleId, line: message!.line, column: message!.column, message: message!.message };
}

describe('hostile input', () => {
  for (const [name, content] of [
    ['an empty file', ''],
    ['a whitespace-only file', '   \n\n  \n'],
    ['a comment-only file', '# nothing here\n# at all\n'],
    ['a null document', '~\n---\nnull\n'],
  ] as const) {
    it(`accepts ${name} without findings`, () => {
      const run = lintIn(scratch({ 'a.yaml': content }), ['a.yaml']);
      assert.equal(run.status, 0);
      assert.deepEqual(run.results![0]!.messages, []);
    });
  }

  it('reports non-UTF-8 content at 1:1', () => {
    const run = lintIn(scratch({ 'latin1.yaml': Buffer.from('name: caf\xe9\n', 'latin1') }), ['latin1.yaml']);
    assert.equal(run.status, 1);
    assert.deepEqual(onlyFinding(run), { ruleId: 'yaml-syntax', line: 1, column: 1, message: 'file is not valid UTF-8: Kubernetes manifests must be UTF-8 text. Re-save it as UTF-8.' });
  });

  it('reports binary content with a .yaml name at 1:1', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    const run = lintIn(scratch({ 'image.yaml': png }), ['image.yaml']);
    assert.equal(run.status, 1);
    assert.match(onlyFinding(run).message, /binary/);
  });

  it('keeps positions right with a UTF-8 byte order mark and CRLF line endings', () => {
    const text = `\ufeff${DAEMONSET.replace('k8s-app: cni-agent\n  updateStrategy', 'k8s-app: other\n  updateStrategy').replace(/\n/g, '\r\n')}`;
    const run = lintIn(scratch({ 'crlf.yaml': text }), ['crlf.yaml']);
    assert.equal(run.status, 1);
    assert.deepEqual(
      run.results![0]!.messages.map((m) => [m.ruleId, m.line, m.column, m.endColumn]),
      [['daemonset-selector-mismatch', 10, 7, 14]],
    );
  });

  it('reports tabs used as indentation at the tab', () => {
    const run = lintIn(scratch({ 'tabs.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n' }), ['tabs.yaml']);
    assert.equal(run.status, 1);
    const finding = onlyFinding(run);
    assert.equal(finding.ruleId, 'yaml-syntax');
    assert.equal(finding.line, 4);
    assert.match(finding.message, /tab/i);
  });

  it('reports documents that are a scalar or a list in a manifest', () => {
    const run = lintIn(scratch({ 'odd.yaml': 'just a string\n---\n- a\n- b\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n' }), ['odd.yaml']);
    assert.equal(run.status, 1);
    assert.deepEqual(run.results![0]!.messages.map((m) => [m.ruleId, m.line, m.column]), [
      ['invalid-manifest', 1, 1],
      ['invalid-manifest', 3, 1],
    ]);
  });

  it('skips a file of only scalars and lists of scalars: not a manifest', () => {
    const run = lintIn(scratch({ 'odd.yaml': 'just a string\n---\n- a\n- b\n' }), ['odd.yaml']);
    assert.equal(run.status, 0);
    assert.deepEqual(run.results, []);
  });

  it('bounds a billion-laughs alias bomb and reports it quickly', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = Date.now();
    const run = lintIn(scratch({ 'bomb.yaml': `${levels.join('\n')}\n` }), ['bomb.yaml']);
    assert.ok(Date.now() - started < 5000);
    assert.equal(run.status, 1);
    assert.match(onlyFinding(run).message, /alias bomb/);
  });

  it('survives deeply nested flow and block input', () => {
    const flow = `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const block = `${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')}\n`;
    const run = lintIn(scratch({ 'flow.yaml': flow, 'block.yaml': block }), ['.']);
    assert.equal(run.status, 1);
    for (const result of run.results!) {
      assert.equal(result.messages.length, 1);
      assert.match(result.messages[0]!.message, /nests too deeply|nests deeper/);
    }
  });

  it('reports a file over the 10 MB limit without parsing it', () => {
    const big = `# ${'x'.repeat(1000)}\n`.repeat(10_800);
    const run = lintIn(scratch({ 'big.yaml': big }), ['big.yaml']);
    assert.equal(run.status, 1);
    assert.deepEqual(onlyFinding(run), {
      ruleId: 'yaml-syntax',
      line: 1,
      column: 1,
      message: 'file is 10.3 MB, over the 10 MB the kubelet and kubelint read; it was not parsed. Split it into smaller files.',
    });
  });

  it('exits 2 with one line for a missing path', () => {
    const run = lintIn(scratch({ 'a.yaml': DAEMONSET }), ['a.yaml', 'missing.yaml']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^kubelint: No such file or directory: missing\.yaml\n$/);
  });

  it('reports an unreadable file and still lints the others', () => {
    const dir = scratch({ 'good.yaml': DAEMONSET, 'secret.yaml': DAEMONSET });
    chmodSync(path.join(dir, 'secret.yaml'), 0o000);
    chmodSync(dir, 0o777);
    // Root reads anything: run as nobody then.
    const asNobody = process.getuid?.() === 0;
    const run = asNobody
      ? (() => {
          const child = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, '.', '-f', 'json'], { cwd: dir, encoding: 'utf8' });
          return { status: child.status, stdout: child.stdout, stderr: child.stderr };
        })()
      : runCli(['.', '-f', 'json'], { cwd: dir });
    assert.equal(run.status, 1, run.stderr);
    const results = JSON.parse(run.stdout) as LintResult[];
    assert.deepEqual(
      results.map((r) => [path.basename(r.filePath), r.messages.map((m) => `${m.line}:${m.column} ${m.message}`)]),
      [['good.yaml', []], ['secret.yaml', ['1:1 cannot read the file: permission denied.']]],
    );
  });

  it('does not open a FIFO named as a manifest', () => {
    const dir = scratch({ 'a.yaml': DAEMONSET });
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    const run = runCli(['pipe.yaml', 'a.yaml', '-f', 'json'], { cwd: dir });
    assert.equal(run.status, 1);
    const pipe = (JSON.parse(run.stdout) as LintResult[]).find((result) => result.filePath.endsWith('pipe.yaml'));
    assert.match(pipe!.messages[0]!.message, /not a regular file/);
    const scanned = runCli(['.', '-f', 'json'], { cwd: dir });
    assert.deepEqual((JSON.parse(scanned.stdout) as LintResult[]).map((r) => path.basename(r.filePath)), ['a.yaml']);
  });

  it('does not loop on a directory symlink loop', () => {
    const dir = scratch({ 'deploy/a.yaml': DAEMONSET });
    symlinkSync('..', path.join(dir, 'deploy', 'loop'));
    const run = lintIn(dir, ['deploy']);
    assert.equal(run.status, 0);
    assert.ok(run.results!.length >= 1);
    assert.ok(run.results!.every((r) => path.basename(r.filePath) === 'a.yaml'));
  });

  it('exits 2 for a directory with no manifests', () => {
    const run = lintIn(scratch({ 'README.md': '# docs\n', 'chart/values.txt': 'x' }), ['.']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^kubelint: no manifests/);
  });

  it('lints a path given twice once', () => {
    const run = lintIn(scratch({ 'a.yaml': DAEMONSET }), ['a.yaml', './a.yaml', '.']);
    assert.equal(run.status, 0);
    assert.equal(run.results!.length, 1);
  });

  it('stops quietly when the reader closes the pipe (kubelint | head)', () => {
    const dir = scratch({ 'big.yaml': `${DAEMONSET}---\n`.repeat(2000) });
    const child = spawnSync('bash', ['-c', `node ${JSON.stringify(BIN)} big.yaml -f json | head -c 10 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], { cwd: dir, encoding: 'utf8' });
    assert.doesNotMatch(child.stderr, /EPIPE|\n\s+at /);
    assert.match(child.stdout, /status=[01]/);
  });

  it('reads garbage on standard input without crashing', () => {
    const run = lintIn(scratch({}), ['-'], { input: '\u0000\u0001{[}]: ::: "\n\t- - -\n' });
    assert.ok(run.status === 0 || run.status === 1);
  });
});

/** The single finding of a JSON report, as rule, position and message. */
function findingsOf(run: CliRun): string[] {
  return (JSON.parse(run.stdout) as LintResult[]).flatMap((result) =>
    result.messages.map((m) => `${path.basename(result.filePath)} ${m.ruleId} ${m.line}:${m.column} ${m.message}`),
  );
}

const OVERSIZE_STREAM = 'file is over the 10 MB the kubelet and kubelint read; it was not parsed. Split it into smaller files.';

describe('standard input gets the checks a file gets', () => {
  it('stops reading an endless device at the 10 MB cap (< /dev/zero)', () => {
    const run = runCli(['-', '-f', 'json'], { stdinFrom: '/dev/zero' });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingsOf(run), [`<stdin> yaml-syntax 1:1 ${OVERSIZE_STREAM}`]);
  });

  it('stops reading an endless pipe at the 10 MB cap (yes | kubelint -)', () => {
    const run = runCliInShell('- -f json', { before: 'yes | ' });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingsOf(run), [`<stdin> yaml-syntax 1:1 ${OVERSIZE_STREAM}`]);
  });

  it('gives a file redirected to standard input the finding the file path gives, at 1:1', () => {
    const dir = scratch({
      'big.yaml': `# ${'x'.repeat(1000)}\n`.repeat(10_800),
      'nul.yaml': 'a: 1\u0000\n',
      'latin1.yaml': Buffer.from('name: caf\xe9\n', 'latin1'),
    });
    for (const name of ['big.yaml', 'nul.yaml', 'latin1.yaml']) {
      const asFile = findingsOf(runCli([name, '-f', 'json'], { cwd: dir }));
      const redirected = runCli(['-', '--stdin-filename', name, '-f', 'json'], { cwd: dir, stdinFrom: path.join(dir, name) });
      const piped = runCli(['-', '--stdin-filename', name, '-f', 'json'], { cwd: dir, input: readFileSync(path.join(dir, name)) });
      assert.equal(redirected.status, 1);
      assert.equal(asFile.length, 1);
      assert.deepEqual(findingsOf(redirected), asFile, name);
      // A pipe's size is not known ahead, so only the size in the message may differ.
      if (name !== 'big.yaml') assert.deepEqual(findingsOf(piped), asFile, name);
    }
    assert.match(findingsOf(runCli(['big.yaml', '-f', 'json'], { cwd: dir }))[0]!, /^big\.yaml yaml-syntax 1:1 file is 10\.3 MB, over the 10 MB/);
  });

  for (const [name, redirect, message] of [
    ['closed standard input (<&-)', '<&-', 'kubelint: no usable input: standard input is closed (or /dev/null)\n'],
    ['a directory on standard input', '< /tmp', 'kubelint: no usable input: standard input is a directory, not a manifest\n'],
  ] as const) {
    it(`exits 2 with one line for ${name}`, () => {
      const run = runCliInShell(`- -f json ${redirect}`);
      assert.equal(run.status, 2);
      assert.equal(run.stderr, message);
      assert.equal(run.stdout, '');
    });
  }
});

describe('directory scans and symbolic links', () => {
  it('does not follow a link out of the scanned directory; says so under --debug; lints it when named', () => {
    const outside = scratch({ 'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: leaked-secret}\n' });
    const dir = scratch({ 'a.yaml': DAEMONSET });
    symlinkSync('/etc/passwd', path.join(dir, 'passwd.yaml'));
    symlinkSync(outside, path.join(dir, 'elsewhere'));
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'secret.yaml'));
    mkdirSync(path.join(dir, 'sub'));
    symlinkSync('../a.yaml', path.join(dir, 'sub', 'inside.yaml')); // stays inside: followed
    const run = runCli(['.', '-f', 'json', '--debug'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as LintResult[]).map((r) => path.relative(dir, r.filePath)), ['a.yaml', 'sub/inside.yaml']);
    assert.doesNotMatch(run.stdout, /root:|leaked-secret/);
    const debugLines = run.stderr.split('\n').filter((line) => line.startsWith('kubelint:debug not following'));
    assert.deepEqual(debugLines, [
      `kubelint:debug not following ${path.join(dir, 'elsewhere')}: a symbolic link to ${outside}, outside the scanned directory`,
      `kubelint:debug not following ${path.join(dir, 'passwd.yaml')}: a symbolic link to /etc/passwd, outside the scanned directory`,
      `kubelint:debug not following ${path.join(dir, 'secret.yaml')}: a symbolic link to ${path.join(outside, 'secret.yaml')}, outside the scanned directory`,
    ]);
    // Without --debug nothing is said; a glob scan is bounded the same way.
    assert.equal(runCli(['.'], { cwd: dir }).stderr, '');
    const globbed = runCli(['*.yaml', '-f', 'json'], { cwd: dir });
    assert.deepEqual((JSON.parse(globbed.stdout) as LintResult[]).map((r) => path.relative(dir, r.filePath)), ['a.yaml']);
    // Named explicitly, a link is the user's choice.
    const named = runCli(['secret.yaml', '-f', 'json'], { cwd: dir });
    assert.equal((JSON.parse(named.stdout) as LintResult[])[0]!.filePath, path.join(dir, 'secret.yaml'));
  });
});

describe('permission denied', () => {
  /** A scratch tree nobody can read except `locked/`, which only its owner (root) can. */
  function lockedTree(): string {
    const dir = scratch({ 'good.yaml': DAEMONSET, 'locked/hidden.yaml': DAEMONSET });
    chmodSync(dir, 0o755);
    chmodSync(path.join(dir, 'good.yaml'), 0o644);
    chmodSync(path.join(dir, 'locked'), 0o000);
    return dir;
  }

  it('reports a directory a scan cannot read as an unreadable input, at 1:1, and lints the rest', () => {
    const dir = lockedTree();
    const run = runCli(['.', '-f', 'json'], { cwd: dir, ...unprivileged() });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingsOf(run), ['locked yaml-syntax 1:1 cannot read the directory: permission denied.']);
    assert.deepEqual((JSON.parse(run.stdout) as LintResult[]).map((r) => path.basename(r.filePath)), ['good.yaml', 'locked']);
    const globbed = runCli(['**/*.yaml', '-f', 'json'], { cwd: dir, ...unprivileged() });
    assert.equal(globbed.status, 1, globbed.stderr);
    assert.deepEqual(findingsOf(globbed), ['locked yaml-syntax 1:1 cannot read the directory: permission denied.']);
  });

  it('reports a denied path named directly as permission denied, not as missing', () => {
    const dir = lockedTree();
    const run = runCli(['locked/hidden.yaml', 'good.yaml', '-f', 'json'], { cwd: dir, ...unprivileged() });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingsOf(run), ['hidden.yaml yaml-syntax 1:1 cannot read the file: permission denied.']);
    const directory = runCli(['locked', '-f', 'json'], { cwd: dir, ...unprivileged() });
    assert.equal(directory.status, 1, directory.stderr);
    assert.deepEqual(findingsOf(directory), ['locked yaml-syntax 1:1 cannot read the directory: permission denied.']);
  });
});
