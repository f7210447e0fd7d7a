/**
 * The command line as a person meets it (issue 14): the friendly output in a terminal of
 * 80 and 200 columns, colour on and off, the progress line, every usage and configuration
 * error, --print-config, the option names and their aliases, and github paths from a
 * subdirectory.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HAS_SCRIPT, PROJECT_ROOT, runCli, runInTerminal } from './helpers/cli.js';
import { tempDir, writeTree } from './helpers/temp.js';
import { readmeBlock } from './helpers/readme.js';
import { lint } from '../src/index.js';
import { RULES } from '../src/index.js';
import type { LintMessage, LintResult } from '../src/types.js';
import { formatFriendly } from '../src/report/friendly.js';

const SHIPPER = 'fixtures/examples/daemonsets/log-shipper.yaml';
const CLEAN = 'fixtures/examples/daemonsets/cni-agent.yaml';
const WARN_ONLY = 'fixtures/examples/daemonsets/node-exporter.yaml';
const EXAMPLES = 'fixtures/examples';
const SGR = /\u001b\[[0-9;]*m/;
const SNAPSHOTS = path.join(PROJECT_ROOT, 'test', 'snapshots');
const terminal = { skip: HAS_SCRIPT ? false : 'util-linux script is not installed' };

/** Compares with a reviewed snapshot file; UPDATE_SNAPSHOTS=1 rewrites it. */
function matchSnapshot(actual: string, name: string): void {
  const file = path.join(SNAPSHOTS, name);
  if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(file)) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `differs from test/snapshots/${name} (UPDATE_SNAPSHOTS=1 to accept)`);
}

function repo(files: Record<string, string>): string {
  const dir = tempDir('kubelint-output-');
  mkdirSync(path.join(dir, '.git'));
  writeTree(dir, files);
  return dir;
}

describe('friendly output in a terminal', terminal, () => {
  it('at 80 columns is the README sample exactly, every line within 80 columns', () => {
    const run = runInTerminal([SHIPPER, '--no-color'], { columns: 80 });
    assert.equal(run.status, 1);
    assert.equal(run.output, readmeBlock('sample:'));
    for (const line of run.output.split('\n')) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
  });

  it('at 200 columns uses the width: snapshot', () => {
    const run = runInTerminal([EXAMPLES, '--no-color'], { columns: 200 });
    assert.equal(run.status, 1);
    matchSnapshot(run.output, 'friendly-200.txt');
    const lines = run.output.split('\n');
    for (const line of lines) assert.ok(line.length <= 200, `${line.length} columns: ${line}`);
    // Wrapped at 200, with the hanging indent under the message.
    assert.ok(lines.includes('  14:7  error    selector requires label tier="node-agent", but the pod template has tier="logging", so the API server rejects the DaemonSet with "selector does not match template labels". Make the'));
    assert.ok(lines.includes('                 selector and spec.template.metadata.labels agree.  daemonset-selector-mismatch'));
  });

  it('groups by file, sorts by line and ends with the summary', () => {
    const run = runInTerminal([EXAMPLES, '--no-color'], { columns: 120 });
    const headings = run.output.split('\n').filter((line) => /^\S/.test(line));
    assert.deepEqual(headings, [
      'fixtures/examples/daemonsets/log-shipper.yaml',
      'fixtures/examples/daemonsets/metrics-agent.yaml',
      'fixtures/examples/daemonsets/node-exporter.yaml',
      'fixtures/examples/etc/kubernetes/manifests/haproxy.yaml',
      'fixtures/examples/etc/kubernetes/manifests/kube-vip.yaml',
      '✖ 10 problems (8 errors, 2 warnings) in 5 of 6 files',
    ]);
    const metrics = run.output.split('metrics-agent.yaml\n')[1]!.split('\n\nfixtures/')[0]!;
    const locations = [...metrics.matchAll(/^ {2}(\d+):(\d+) /gm)].map((match) => Number(match[1]));
    assert.deepEqual(locations, [15, 26, 29, 32]);
  });
});

describe('friendly output when not a terminal', () => {
  it('keeps each message on one line with its rule id, one blank line between findings', () => {
    const run = runCli([SHIPPER]);
    assert.equal(run.status, 1);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], 'fixtures/examples/daemonsets/log-shipper.yaml');
    assert.match(lines[1]!, /^ {2}14:7 {2}error {4}selector requires label .* agree\. {2}daemonset-selector-mismatch$/);
    assert.match(lines[8]!, /^ {2}20:5 {2}warning {2}This node agent \(it reads node logs\) skips control-plane nodes.*DoesNotExist\)\. {2}daemonset-control-plane-toleration$/);
    assert.equal(lines[7], '');
    assert.equal(lines.at(-3), '✖ 2 problems (1 error, 1 warning) in 1 of 1 file');
  });

  it('always ends with a summary: clean, warnings only, and --quiet', () => {
    assert.equal(runCli([CLEAN]).stdout, '✔ 1 file, 1 object: no problems\n');
    // Its warning (a master-only toleration) is fixable: the fixable line follows the summary.
    const warned = runCli([CLEAN, WARN_ONLY]).stdout.split('\n');
    assert.deepEqual(warned.slice(-4, -2), ['⚠ 1 problem (0 errors, 1 warning) in 1 of 2 files', '  1 problem fixable with --fix']);
    assert.equal(runCli([WARN_ONLY, '--quiet']).stdout, '✔ 1 file, 2 objects: no problems\n');
  });
});

describe('colour', () => {
  const coloured = (text: string) => SGR.test(text);

  for (const [name, args, env, expected] of [
    ['on by default', [], {}, true],
    ['off with NO_COLOR=1', [], { NO_COLOR: '1' }, false],
    ['on with an empty NO_COLOR', [], { NO_COLOR: '' }, true],
    ['off with FORCE_COLOR=0', [], { FORCE_COLOR: '0' }, false],
    ['off with --no-color', ['--no-color'], {}, false],
    ['on with --color despite NO_COLOR', ['--color'], { NO_COLOR: '1' }, true],
    ['on with FORCE_COLOR=1 despite NO_COLOR', [], { NO_COLOR: '1', FORCE_COLOR: '1' }, true],
    ['off with TERM=dumb', [], { TERM: 'dumb' }, false],
  ] as const) {
    it(`in a terminal: ${name}`, terminal, () => {
      const run = runInTerminal([SHIPPER, ...args], { env });
      assert.equal(run.status, 1);
      assert.equal(coloured(run.output), expected, run.output.slice(0, 200));
      if (!expected) assert.doesNotMatch(run.output, /\u001b/); // no colour anywhere: headings, paths, summary
    });
  }

  for (const [name, args, env, expected] of [
    ['off by default', [], { FORCE_COLOR: undefined }, false],
    ['on with FORCE_COLOR=1', [], { FORCE_COLOR: '1' }, true],
    ['on with --color', ['--color'], {}, true],
    ['off with --color --no-color (the last wins)', ['--color', '--no-color'], { FORCE_COLOR: '1' }, false],
  ] as const) {
    it(`in a pipe: ${name}`, () => {
      const run = runCli([SHIPPER, ...args], { env: { ...env } });
      assert.equal(coloured(run.stdout), expected);
    });
  }

  it('never in files written by -o or -f NAME:FILE, even with --color in a terminal', terminal, () => {
    const dir = tempDir('kubelint-colour-');
    const run = runInTerminal([SHIPPER, '--color', '-f', `friendly:${path.join(dir, 'a.txt')}`, '-f', 'friendly', '-o', path.join(dir, 'b.txt')]);
    assert.equal(run.status, 1);
    assert.equal(run.output, '');
    for (const name of ['a.txt', 'b.txt']) {
      const text = readFileSync(path.join(dir, name), 'utf8');
      assert.doesNotMatch(text, /\u001b/);
      // Nor wrapped: a file is read elsewhere, at another width.
      assert.match(text, /agree\. {2}daemonset-selector-mismatch\n/);
    }
  });
});

describe('progress line', () => {
  it('shows on a terminal for a run past the delay, and clears itself before the report', terminal, () => {
    const run = runInTerminal([EXAMPLES, '--no-color'], { env: { KUBELINT_PROGRESS_DELAY_MS: '0' } });
    assert.equal(run.status, 1);
    assert.match(run.output, /^\r\u001b\[Kkubelint: 1\/6 files, \d+ objects\/s/);
    // Cleared (CR, erase line) before the report starts, and nothing of it left after.
    const report = run.output.lastIndexOf('\r\u001b[K');
    assert.ok(run.output.slice(report + 4).startsWith('fixtures/examples/daemonsets/log-shipper.yaml\n'));
    assert.doesNotMatch(run.output.slice(report + 4), /objects\/s/);
  });

  it('never shows when standard error is not a terminal', () => {
    const run = runCli([EXAMPLES, '-f', 'json'], { env: { KUBELINT_PROGRESS_DELAY_MS: '0' } });
    assert.equal(run.status, 1);
    assert.equal(run.stderr, '');
    JSON.parse(run.stdout);
  });
});

describe('usage errors: one line, plain words, the closest option or value, exit 2', () => {
  for (const [args, message] of [
    [['--formatt', 'json', CLEAN], 'unknown option --formatt (did you mean --format?); see kubelint --help'],
    [['--nope'], 'unknown option --nope; see kubelint --help'],
    [['--kube-verison', '1.30'], 'unknown option --kube-verison (did you mean --kube-version?); see kubelint --help'],
    [['-x'], 'unknown option -x; see kubelint --help'],
    [['--quiet=yes', CLEAN], '--quiet takes no value (remove "=yes")'],
    [['--format'], '--format needs a value: --format NAME[:FILE]'],
    [['-f', 'jsno', CLEAN], 'unknown format "jsno" (did you mean "json"?); use one of friendly, json, compact, github, sarif'],
    [['--max-warnings', '-2', CLEAN], '--max-warnings takes a whole number of warnings (0 or more; -1 for no limit), not "-2"'],
    [['--max-warnings', 'many', CLEAN], '--max-warnings takes a whole number of warnings (0 or more; -1 for no limit), not "many"'],
    [['--rule', 'schema=eror', CLEAN], '--rule takes RULE=off|warn|error, not "schema=eror" (did you mean "schema=error"?)'],
    [['--rule', 'shema=off', CLEAN], '--rule: unknown rule "shema" (did you mean "schema"?); see kubelint --list-rules'],
    [['--schema-missing', 'wran', CLEAN], '--schema-missing takes off, warn or error, not "wran" (did you mean warn?)'],
    [['-o', '/missing/dir/x', CLEAN], 'cannot write the report to /missing/dir/x: the directory /missing/dir does not exist'],
    [['--kubernetes-version', 'latest', CLEAN], '--kubernetes-version takes a version like 1.36, not "latest"'],
    [['--kube-version', 'latest', CLEAN], '--kube-version takes a version like 1.36, not "latest"'],
  ] as const) {
    it(`kubelint ${args.join(' ')}`, () => {
      const run = runCli([...args]);
      assert.equal(run.stderr, `kubelint: ${message}\n`);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
    });
  }

  it('--max-warnings -1 means no limit', () => {
    const run = runCli([WARN_ONLY, '--max-warnings', '-1']);
    assert.equal(run.status, 0);
    assert.equal(run.stderr, '');
  });

  it('-- ends the options: a file named like an option is a path', () => {
    const dir = repo({ '--quiet': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
    const run = runCli(['-f', 'json', '--', '--quiet'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as LintResult[])[0]!.filePath, path.join(dir, '--quiet'));
  });
});

describe('configuration errors name the file, the key and the fix', () => {
  const TYPO = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndatta: {a: b}\n';
  for (const [name, config, message] of [
    ['a list', '- rules: {}\n', '.kubelint.yaml: the configuration must be a mapping of settings (kubernetesVersion: "1.34", rules: {...}), not a list'],
    ['a version YAML reads as a number', 'kubernetesVersion: 1.30\n', '.kubelint.yaml: kubernetesVersion: must be a string, but YAML reads 1.30 as the number 1.3; quote it: kubernetesVersion: "1.30"'],
    ['rules that are a list', 'rules: [schema]\n', '.kubelint.yaml: rules: must be a mapping (key: value), not a list'],
    ['a misspelt key', 'kubernetesVersoin: "1.30"\n', '.kubelint.yaml: kubernetesVersoin: unknown key (did you mean "kubernetesVersion"?)'],
    ['the API\'s old name for the version', 'kubeVersion: "1.30"\n', '.kubelint.yaml: kubeVersion: unknown key (did you mean "kubernetesVersion"?)'],
    ['a misspelt schema option', 'rules:\n  schema: [error, {schemaDir: [x]}]\n', '.kubelint.yaml: rules.schema[1].schemaDir: unknown key (did you mean "schemaDirs"?)'],
  ] as const) {
    it(name, () => {
      const dir = repo({ '.kubelint.yaml': config, 'cm.yaml': TYPO });
      const run = runCli(['cm.yaml'], { cwd: dir });
      assert.equal(run.stderr, `kubelint: ${message}\n`);
      assert.equal(run.status, 2);
    });
  }

  it('names a configuration above the working directory by its path from there', () => {
    const dir = repo({ '.kubelint.yaml': 'kubernetesVersion: 1.30\n', 'apps/cm.yaml': TYPO });
    const run = runCli(['cm.yaml'], { cwd: path.join(dir, 'apps') });
    assert.match(run.stderr, /^kubelint: \.\.\/\.kubelint\.yaml: kubernetesVersion: must be a string/);
  });

  it('says a --config that is a directory is one, without errno codes', () => {
    const dir = repo({ 'conf/x': '', 'cm.yaml': TYPO });
    const run = runCli(['cm.yaml', '--config', 'conf'], { cwd: dir });
    assert.equal(run.stderr, 'kubelint: cannot read the configuration conf: it is a directory\n');
    assert.equal(run.status, 2);
  });
});

describe('one name per setting, ESLint severities, --strict', () => {
  const TYPO = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndatta: {a: b}\n';
  const found = (run: { stdout: string }) => (JSON.parse(run.stdout) as LintResult[]).flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.severity}`));

  it('--kubernetes-version and its alias --kube-version do the same', () => {
    const long = runCli([WARN_ONLY, '--kubernetes-version', '1.23', '-f', 'json']);
    const alias = runCli([WARN_ONLY, '--kube-version', '1.23', '-f', 'json']);
    assert.deepEqual(found(long), []); // 1.23: the master toleration is enough
    assert.deepEqual(found(alias), found(long));
    assert.deepEqual(found(runCli([WARN_ONLY, '-f', 'json'])), ['daemonset-control-plane-toleration 1']);
    const help = runCli(['--help']).stdout;
    assert.match(help, /--kubernetes-version X\.Y\n[^\n]*\n[^\n]*\n +Alias: --kube-version\n/);
    for (const line of help.split('\n')) assert.ok(line.length <= 80, `--help line of ${line.length} columns: ${line}`);
  });

  it('the library takes kubernetesVersion, and kubeVersion still', async () => {
    const text = readFileSync(path.join(PROJECT_ROOT, WARN_ONLY), 'utf8');
    const ids = (results: LintResult[]) => results.flatMap((r) => r.messages.map((m) => m.ruleId));
    const base = { text, filePath: 'ds.yaml', cwd: PROJECT_ROOT, config: false as const };
    assert.deepEqual(ids(await lint({ ...base, kubernetesVersion: '1.23' })), []);
    assert.deepEqual(ids(await lint({ ...base, kubeVersion: '1.23' })), []);
    assert.deepEqual(ids(await lint(base)), ['daemonset-control-plane-toleration']);
    assert.deepEqual(ids(await lint({ ...base, rules: { 'daemonset-control-plane-toleration': 0 } })), []);
  });

  it('accepts 0, 1, 2 in the configuration and in --rule', () => {
    const dir = repo({ '.kubelint.yaml': 'rules:\n  schema: 1\n  invalid-manifest: [2, {}]\n', 'cm.yaml': TYPO });
    assert.deepEqual(found(runCli(['cm.yaml', '-f', 'json'], { cwd: dir })), ['schema 1']);
    assert.deepEqual(found(runCli(['cm.yaml', '-f', 'json', '--rule', 'schema=2'], { cwd: dir })), ['schema 2']);
    assert.deepEqual(found(runCli(['cm.yaml', '-f', 'json', '--rule', 'schema=0'], { cwd: dir })), []);
  });

  it('--strict beside --no-strict: the last one wins', () => {
    const dir = repo({ '.kubelint.yaml': 'rules:\n  schema: [error, {strict: false}]\n', 'cm.yaml': TYPO });
    assert.deepEqual(found(runCli(['cm.yaml', '-f', 'json'], { cwd: dir })), []);
    assert.deepEqual(found(runCli(['cm.yaml', '-f', 'json', '--strict'], { cwd: dir })), ['schema 2']);
    assert.deepEqual(found(runCli(['cm.yaml', '-f', 'json', '--strict', '--no-strict'], { cwd: dir })), []);
    assert.deepEqual(found(runCli(['cm.yaml', '-f', 'json', '--no-strict', '--strict'], { cwd: dir })), ['schema 2']);
  });
});

describe('--print-config', () => {
  it('prints, as JSON, the settings a file gets', () => {
    const dir = repo({
      '.kubelint.yaml': [
        'kubernetesVersion: "1.30"',
        'staticPodPaths: [nodes/*/pods/*]',
        'ignorePatterns: [rendered/]',
        'rules:',
        '  schema: [warn, {strict: false}]',
        '  daemonset-control-plane-toleration: 0',
      ].join('\n'),
    });
    const run = runCli(['--print-config', 'nodes/edge/pods/vip.yaml'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    const settings = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(settings), ['file', 'configFiles', 'kubernetesVersion', 'staticPod', 'ignoredBy', 'staticPodPaths', 'ignorePatterns', 'ignorePatternsBase', 'rules']);
    assert.equal(settings.ignoredBy, null);
    assert.equal(JSON.parse(runCli(['--print-config', 'rendered/a.yaml'], { cwd: dir }).stdout).ignoredBy, 'rendered/');
    assert.equal(JSON.parse(runCli(['--print-config', 'a.yaml', '--ignore-pattern', '*.yaml'], { cwd: dir }).stdout).ignoredBy, '*.yaml');
    assert.equal(JSON.parse(runCli(['--print-config', 'rendered/a.yaml', '--no-ignore'], { cwd: dir }).stdout).ignoredBy, null);
    assert.equal(settings.file, path.join(dir, 'nodes/edge/pods/vip.yaml'));
    assert.deepEqual(settings.configFiles, [path.join(dir, '.kubelint.yaml')]);
    assert.equal(settings.kubernetesVersion, '1.30');
    assert.equal(settings.staticPod, true);
    assert.ok(settings.staticPodPaths.includes(`${dir}/nodes/*/pods/*`));
    assert.ok(settings.staticPodPaths.includes('**/etc/kubernetes/manifests/*'));
    assert.deepEqual(settings.ignorePatterns, ['rendered/']);
    assert.deepEqual(Object.keys(settings.rules).sort(), RULES.map((rule) => rule.meta.id).sort());
    assert.deepEqual(settings.rules.schema, ['warn', { strict: false, schemaDirs: [] }]);
    assert.deepEqual(settings.rules['daemonset-control-plane-toleration'], ['off', { scope: 'node-agents', workerOnlyLabels: [] }]);
    assert.deepEqual(settings.rules['daemonset-selector-mismatch'], ['error', {}]);

    const other = JSON.parse(runCli(['--print-config', 'ds.yaml', '--kubernetes-version', '1.31', '--no-config'], { cwd: dir }).stdout);
    assert.equal(other.kubernetesVersion, '1.31');
    assert.equal(other.staticPod, false);
    assert.deepEqual(other.configFiles, []);
    assert.deepEqual(other.rules.schema, ['error', { strict: true, schemaDirs: [] }]);
  });
});

describe('--list-rules and --format', () => {
  it('prints JSON for json and says the other formats do not apply', () => {
    const json = runCli(['--list-rules', '-f', 'json']);
    assert.equal(json.stderr, '');
    assert.equal((JSON.parse(json.stdout) as unknown[]).length, RULES.length);
    const compact = runCli(['--list-rules', '-f', 'compact']);
    assert.equal(compact.status, 0);
    assert.equal(compact.stderr, 'kubelint: --list-rules prints a table, or JSON with --format json; --format compact does not apply to it\n');
    assert.match(compact.stdout, /^yaml-syntax|^[a-z-]+ +(error|warn|off)/);
  });
});

describe('github format paths', () => {
  it('are relative to the repository root from a subdirectory, as SARIF URIs are', () => {
    const dir = repo({ 'deploy/ds.yaml': readFileSync(path.join(PROJECT_ROOT, SHIPPER), 'utf8') });
    const cwd = path.join(dir, 'deploy');
    const github = runCli(['ds.yaml', '-f', 'github'], { cwd });
    assert.equal(github.status, 1);
    assert.match(github.stdout, /^::error file=deploy\/ds\.yaml,line=14,col=7,endLine=14,endColumn=11,title=daemonset-selector-mismatch::/);
    const sarif = JSON.parse(runCli(['ds.yaml', '-f', 'sarif'], { cwd }).stdout);
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'deploy/ds.yaml');
  });
});

describe('formatFriendly', () => {
  const result = (messages: Array<Partial<LintMessage>>, source = 'a: 1\n\tb: 2\n'): LintResult => ({
    filePath: path.join(PROJECT_ROOT, 'x.yaml'),
    messages: messages.map((m) => ({ ruleId: 'schema', severity: 2, message: 'm', line: 1, column: 1, endLine: 1, endColumn: 2, ...m }) as LintMessage),
    suppressedMessages: [],
    errorCount: messages.filter((m) => (m.severity ?? 2) === 2).length,
    fatalErrorCount: 0,
    warningCount: messages.filter((m) => m.severity === 1).length,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    source,
  });

  it('summarises with the run statistics when it has them', () => {
    const stats = { filesLinted: 12, objects: 19, skipped: {} };
    assert.equal(formatFriendly([], { cwd: PROJECT_ROOT, stats }), '✔ 12 files, 19 objects: no problems\n');
    assert.equal(
      formatFriendly([], { cwd: PROJECT_ROOT, stats: { ...stats, skipped: { 'not a manifest': 4 } } }),
      '✔ 12 files, 19 objects: no problems, 4 files skipped (not a manifest)\n',
    );
    const mixed = formatFriendly([result([{}, { severity: 1, line: 2 }])], { cwd: PROJECT_ROOT, stats: { ...stats, skipped: { 'not a manifest': 3, 'a Helm chart without helm': 1 } } });
    assert.match(mixed, /\n✖ 2 problems \(1 error, 1 warning\) in 1 of 12 files, 4 files skipped \(3 not a manifest, 1 a Helm chart without helm\)\n/);
    // Without statistics: the results are the files, and objects are not claimed.
    assert.equal(formatFriendly([result([]), result([])], { cwd: PROJECT_ROOT }), '✔ 2 files: no problems\n');
    assert.equal(
      formatFriendly([], { cwd: PROJECT_ROOT, stats: { filesLinted: 2, objects: 3, skipped: {}, notSchemaValidated: { 'cert-manager.io/v1 Certificate': 2 } } }),
      '✔ 2 files, 3 objects: no problems\n  2 objects not schema-validated (no schema for Certificate): --schema-dir adds one, --schema-missing warn reports each\n',
    );
  });

  it('wraps at word boundaries, never inside a word, and leaves a finding without a rule id bare', () => {
    const long = `short ${'x'.repeat(70)} end`;
    const text = formatFriendly([result([{ message: long, ruleId: null }])], { cwd: PROJECT_ROOT, width: 60 });
    const lines = text.split('\n');
    assert.equal(lines[1], '  1:1  error    short');
    // The hanging indent: under the message, after "  1:1  error    ".
    assert.equal(lines[2], `${' '.repeat(16)}${'x'.repeat(70)}`);
    assert.equal(lines[3], `${' '.repeat(16)}end`);
    // Narrower than 40 columns: not wrapped at all.
    assert.match(formatFriendly([result([{ message: long }])], { cwd: PROJECT_ROOT, width: 30 }), new RegExp(`short x{70} end {2}schema\\n`));
  });

  it('keeps tabs in the marker line, and has no code frame without source', () => {
    const text = formatFriendly([result([{ line: 2, column: 2, endLine: 2, endColumn: 3 }])], { cwd: PROJECT_ROOT });
    assert.match(text, /\n {4}> 2 \| \tb: 2\n {6} {2}\| \t\^\n/);
    const bare = formatFriendly([result([{}], '')], { cwd: PROJECT_ROOT });
    assert.doesNotMatch(bare, /\|/);
  });
});
