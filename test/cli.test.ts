import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, statSync, readFileSync, readdirSync, readlinkSync, symlinkSync, linkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, PROJECT_ROOT, runCli } from './helpers/cli.js';
import type { LintResult } from '../src/types.js';
import { tempDir, writeTree } from './helpers/temp.js';

const EXAMPLES = 'fixtures/examples';
const CLEAN = 'fixtures/examples/daemonsets/cni-agent.yaml';
const WARN_ONLY = 'fixtures/examples/daemonsets/node-exporter.yaml';

function scratch(files: Record<string, string>): string {
  const dir = tempDir('kubelint-cli-');
  writeTree(dir, files);
  return dir;
}

describe('kubelint CLI', () => {
  it('exits 0 on a clean manifest and says so in a summary line', () => {
    const run = runCli([CLEAN]);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, '✔ 1 file, 1 object: no problems\n');
  });

  it('exits 1 on errors, with friendly output linking kubelint rule docs', () => {
    const run = runCli([EXAMPLES]);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^fixtures\/examples\/daemonsets\/log-shipper\.yaml\n  14:7  error    selector requires label tier="node-agent".* daemonset-selector-mismatch\n/m);
    assert.match(run.stdout, /\n  Rule docs: https:\/\/github\.com\/kubelint\/kubelint\/blob\/main\/docs\/rules\n$/);
    assert.doesNotMatch(run.stdout, /eslint\.org/);
    assert.match(run.stdout, /> 14 \|\s+tier: node-agent/); // the code frame
  });

  it('exits 0 with warnings only, and 1 when they exceed --max-warnings', () => {
    assert.equal(runCli([WARN_ONLY]).status, 0);
    const over = runCli([WARN_ONLY, '--max-warnings', '0']);
    assert.equal(over.status, 1);
    assert.match(over.stderr, /too many warnings \(maximum: 0\)/);
    assert.equal(runCli([WARN_ONLY, '--max-warnings', '1']).status, 0);
  });

  it('--quiet reports errors only', () => {
    const run = runCli([EXAMPLES, '--quiet', '--format', 'json']);
    const results = JSON.parse(run.stdout) as LintResult[];
    assert.ok(results.flatMap((r) => r.messages).every((m) => m.severity === 2));
    assert.equal(run.status, 1);
    // The file's text, read again from disk as each file is printed, survives the filtering.
    const shipper = results.find((r) => r.filePath.endsWith('log-shipper.yaml'))!;
    assert.equal(shipper.source, readFileSync(path.join(EXAMPLES, 'daemonsets/log-shipper.yaml'), 'utf8'));
    assert.match(runCli([EXAMPLES, '--quiet']).stdout, /^ {4}> 14 \|       tier: node-agent$/m);
  });

  it('--format json prints ESLint LintResult[] with absolute paths', () => {
    const run = runCli([EXAMPLES, '--format', 'json']);
    assert.equal(run.status, 1);
    const results = JSON.parse(run.stdout) as LintResult[];
    assert.equal(results.length, 6);
    const shipper = results.find((r) => r.filePath.endsWith('log-shipper.yaml'))!;
    assert.equal(shipper.filePath, path.join(PROJECT_ROOT, 'fixtures/examples/daemonsets/log-shipper.yaml'));
    assert.deepEqual(Object.keys(shipper).sort(), [
      'errorCount', 'fatalErrorCount', 'filePath', 'fixableErrorCount', 'fixableWarningCount',
      'messages', 'source', 'suppressedMessages', 'warningCount',
    ]);
    assert.equal(shipper.errorCount, 1);
    assert.equal(shipper.warningCount, 1);
    assert.deepEqual(
      shipper.messages.map((m) => [m.ruleId, m.severity, m.line, m.column, m.endLine, m.endColumn]),
      [
        ['daemonset-selector-mismatch', 2, 14, 7, 14, 11],
        ['daemonset-control-plane-toleration', 1, 20, 5, 20, 9],
      ],
    );
  });

  it('reads standard input, named and matched as a static pod by --stdin-filename', () => {
    const input = readFileSync(path.join(PROJECT_ROOT, 'fixtures/examples/etc/kubernetes/manifests/kube-vip.yaml'), 'utf8');
    const run = runCli(['-', '--stdin-filename', 'etc/kubernetes/manifests/vip.yaml', '-f', 'json'], { input });
    assert.equal(run.status, 1);
    const [result] = JSON.parse(run.stdout) as LintResult[];
    assert.equal(result!.filePath, path.join(PROJECT_ROOT, 'etc/kubernetes/manifests/vip.yaml'));
    assert.deepEqual(result!.messages.map((m) => [m.ruleId, m.line]), [
      ['static-pod-api-reference', 9],
      ['static-pod-api-reference', 20],
    ]);
    // Without a static pod name the same text is an ordinary Pod.
    assert.equal(runCli(['-'], { input }).status, 0);
  });

  it('--kube-version changes what the rules know', () => {
    const run = runCli([WARN_ONLY, '--kube-version', '1.23', '-f', 'json']);
    assert.equal(run.status, 0);
    assert.deepEqual((JSON.parse(run.stdout) as LintResult[])[0]!.messages, []);
  });

  it('--static-pod-path adds globs, relative to the working directory', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  serviceAccountName: a\n  containers: [{name: a, image: a}]\n';
    const dir = scratch({ 'edge/pods/a.yaml': pod });
    assert.equal(runCli(['.'], { cwd: dir }).status, 0);
    assert.equal(runCli(['.', '--static-pod-path', 'edge/pods/*'], { cwd: dir }).status, 1);
    assert.equal(runCli(['edge/pods/a.yaml', '--static-pod-path', 'edge/pods/*'], { cwd: dir }).status, 1);
  });

  it('honours .gitignore, skips node_modules and expands globs', () => {
    const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n';
    const dir = scratch({
      '.gitignore': 'rendered/\n',
      'rendered/x.yaml': bad,
      'node_modules/pkg/x.yaml': bad,
      'ok/a.yml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n',
      'bad/b.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "name": "b"}}',
    });
    const all = JSON.parse(runCli(['-f', 'json'], { cwd: dir }).stdout) as LintResult[];
    assert.deepEqual(all.map((r) => path.relative(dir, r.filePath)).sort(), ['bad/b.json', 'ok/a.yml']);
    const globbed = JSON.parse(runCli(['ok/*.yml', '-f', 'json'], { cwd: dir }).stdout) as LintResult[];
    assert.deepEqual(globbed.map((r) => path.relative(dir, r.filePath)), ['ok/a.yml']);
  });

  it('writes the report to --output-file without colour codes', () => {
    const dir = scratch({});
    const out = path.join(dir, 'report.txt');
    const run = runCli([EXAMPLES, '--output-file', out], { env: { FORCE_COLOR: '1' } });
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    const text = readFileSync(out, 'utf8');
    assert.match(text, /daemonset-selector-mismatch/);
    assert.doesNotMatch(text, /\u001b\[/);
  });

  it('--no-strict allows unknown fields; --schema-dir validates custom resources', () => {
    const typo = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndatta: {a: b}\n';
    assert.equal(runCli(['-'], { input: typo }).status, 1);
    assert.equal(runCli(['-', '--no-strict'], { input: typo }).status, 0);
    const certificate = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c}\nspec: {dnsNames: [a]}\n';
    assert.equal(runCli(['-'], { input: certificate }).status, 0);
    const run = runCli(['-', '--schema-dir', 'fixtures/schemas', '-f', 'json'], { input: certificate });
    assert.equal(run.status, 1);
    assert.match((JSON.parse(run.stdout) as LintResult[])[0]!.messages[0]!.message, /missing required field "secretName" in Certificate/);
    const missing = runCli(['-', '--schema-dir', 'no/such/dir'], { input: certificate });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^kubelint: schema directory not found: .*no\/such\/dir$/m);
  });

  it('runs as an executable, the way npx and npm link run it', () => {
    // tsc writes files without the executable bit: the build must set it on the bin.
    const run = spawnSync(BIN, ['--version'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('lists rules, prints --version and --help', () => {
    const rules = runCli(['--list-rules']);
    assert.equal(rules.status, 0);
    for (const id of ['daemonset-selector-mismatch', 'daemonset-control-plane-toleration', 'static-pod-api-reference', 'static-pod-manifest']) {
      assert.match(rules.stdout, new RegExp(id));
    }
    const version = runCli(['--version']);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version);
    assert.match(runCli(['--help']).stdout, /--kube-version/);
  });

  for (const [name, args, pattern] of [
    ['a path that does not exist', ['no/such/file.yaml'], /^kubelint: No such file or directory: no\/such\/file\.yaml\n$/],
    ['an unknown option', ['--frobnicate'], /^kubelint: unknown option --frobnicate; see kubelint --help\n$/],
    ['an unknown format', ['-f', 'xml', CLEAN], /^kubelint: unknown format "xml"/],
    ['a bad --kube-version', ['--kube-version', 'latest', CLEAN], /^kubelint: --kube-version takes a version like/],
    ['a bad --max-warnings', ['--max-warnings', 'many', CLEAN], /^kubelint: --max-warnings takes a whole number/],
    ['a glob that matches nothing', ['nothing/**/*.yaml'], /^kubelint: No files matching the pattern/],
  ] as const) {
    it(`exits 2 with a one-line message for ${name}`, () => {
      const run = runCli([...args]);
      assert.equal(run.status, 2);
      assert.match(run.stderr, pattern);
      assert.equal(run.stderr.trim().split('\n').length, 1);
      assert.equal(run.stdout, '');
    });
  }

  it('exits 2 for a directory without manifests', () => {
    const run = runCli([scratch({ 'README.md': '# nothing here\n' })]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^kubelint: no manifests/);
  });

  it('accepts --debug: one kubelint:debug line per event on stderr, the report unchanged', () => {
    const plain = runCli([CLEAN, '-f', 'json']);
    const debug = runCli([CLEAN, '-f', 'json', '--debug']);
    assert.equal(debug.stdout, plain.stdout);
    assert.ok(debug.stderr.length > 0);
    for (const line of debug.stderr.trimEnd().split('\n')) assert.match(line, /^kubelint:debug /);
  });
});

describe('report files', () => {
  const VICTIM = readFileSync(path.join(PROJECT_ROOT, 'fixtures/examples/daemonsets/log-shipper.yaml'), 'utf8');

  /** Each entry of `dir`: a file's text, a link's target, or a directory's listing. */
  function listing(dir: string): Record<string, unknown> {
    return Object.fromEntries(
      readdirSync(dir).map((name) => {
        const full = path.join(dir, name);
        const stats = lstatSync(full);
        return [name, stats.isSymbolicLink() ? `-> ${readlinkSync(full)}` : stats.isDirectory() ? listing(full) : readFileSync(full, 'utf8')];
      }),
    );
  }

  /** Runs kubelint and asserts the one-line usage error, exit 2, and that no file changed. */
  function refused(dir: string, args: string[], message: string) {
    const before = listing(dir);
    const run = runCli(args, { cwd: dir });
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stderr, `kubelint: ${message}\n`);
    assert.equal(run.stdout, '');
    const after = listing(dir);
    assert.deepEqual(after, before, 'a file was written or changed');
  }

  it('refuses a report file that is one of the inputs, by any spelling or link', () => {
    const dir = scratch({ 'victim.yaml': VICTIM });
    symlinkSync('victim.yaml', path.join(dir, 'alias.txt'));
    linkSync(path.join(dir, 'victim.yaml'), path.join(dir, 'hard-link.txt'));
    const is = (name: string) => `the report file ${name} is one of the files being linted; writing it would replace that manifest. Choose another file name`;
    refused(dir, ['-o', 'victim.yaml', 'victim.yaml'], is('victim.yaml'));
    refused(dir, ['-o', './victim.yaml', 'victim.yaml'], is('./victim.yaml'));
    refused(dir, ['-o', path.join(dir, 'victim.yaml'), '.'], is(path.join(dir, 'victim.yaml')));
    refused(dir, ['-f', 'sarif:victim.yaml', '.'], is('victim.yaml'));
    refused(dir, ['-o', 'alias.txt', 'victim.yaml'], is('alias.txt'));
    refused(dir, ['-o', 'hard-link.txt', 'victim.yaml'], is('hard-link.txt'));
    refused(dir, ['-o', 'victim.yaml', '-', '--stdin-filename', 'victim.yaml'], is('victim.yaml'));
    // kubelint - -o victim.yaml < victim.yaml
    const redirected = runCli(['-', '-o', 'victim.yaml'], { cwd: dir, stdinFrom: path.join(dir, 'victim.yaml') });
    assert.equal(redirected.status, 2);
    assert.equal(redirected.stderr, `kubelint: ${is('victim.yaml')}\n`);
    assert.equal(readFileSync(path.join(dir, 'victim.yaml'), 'utf8'), VICTIM);
  });

  it('writes a report inside an input directory when it is not a file that is linted', () => {
    const dir = scratch({ 'victim.yaml': VICTIM, 'report.txt': 'old report\n' });
    const run = runCli(['.', '-o', 'report.txt', '-f', 'compact'], { cwd: dir });
    assert.equal(run.status, 1, run.stderr);
    assert.match(readFileSync(path.join(dir, 'report.txt'), 'utf8'), /victim\.yaml: line 14, col 7, Error/);
    assert.equal(readFileSync(path.join(dir, 'victim.yaml'), 'utf8'), VICTIM);
  });

  it('replaces a symbolic link at the report path, never writing through it', () => {
    const home = scratch({ '.bashrc': 'export PATH=/usr/bin\n' });
    const dir = scratch({ 'victim.yaml': VICTIM });
    symlinkSync(path.join(home, '.bashrc'), path.join(dir, 'kubelint.sarif'));
    const run = runCli(['victim.yaml', '-f', 'sarif:kubelint.sarif'], { cwd: dir });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(readFileSync(path.join(home, '.bashrc'), 'utf8'), 'export PATH=/usr/bin\n');
    assert.ok(!lstatSync(path.join(dir, 'kubelint.sarif')).isSymbolicLink());
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'kubelint.sarif'), 'utf8')).version, '2.1.0');
    assert.deepEqual(readdirSync(dir).sort(), ['kubelint.sarif', 'victim.yaml'], 'no temporary file left behind');
  });

  it('refuses two reports to one file', () => {
    const dir = scratch({ 'victim.yaml': VICTIM });
    refused(dir, ['victim.yaml', '-f', 'json:out.txt', '-f', 'sarif:./out.txt'], 'two reports would be written to one file (out.txt and ./out.txt); give each format its own file');
    refused(dir, ['victim.yaml', '-o', 'out.txt', '-f', 'json', '-f', 'sarif:out.txt'], 'two reports would be written to one file (out.txt); give each format its own file');
  });

  it('says in plain words that the report directory does not exist', () => {
    const dir = scratch({ 'victim.yaml': VICTIM });
    refused(dir, ['victim.yaml', '-o', 'reports/kubelint.txt'], `cannot write the report to reports/kubelint.txt: the directory ${path.join(dir, 'reports')} does not exist`);
    mkdirSync(path.join(dir, 'reports'));
    refused(dir, ['victim.yaml', '-o', 'reports'], 'cannot write the report to reports: it is a directory');
  });
});

describe('report files that are devices', () => {
  it('writes through -o /dev/null and never replaces the device with a file', () => {
    const run = runCli(['-f', 'json', '-o', '/dev/null', 'fixtures/examples/daemonsets/cni-agent.yaml']);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(statSync('/dev/null').isCharacterDevice());
  });
});
