import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fixText, applyFixes } from '../src/lint/apply-fixes.js';
import { lintText } from '../src/lint/engine.js';
import { engineOptions } from './helpers/engine.js';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/temp.js';
import { agentDaemonSet } from './helpers/manifests.js';

const FILE = '/project/ds.yaml';

/** The template's labels in the legacy DaemonSet, block style with a comment. */
const LEGACY_LABELS = ['labels:', '  app: agent   # selected', '  tier: "node"'];

/** A legacy DaemonSet with comments everywhere a fix could lose one. */
const LEGACY = agentDaemonSet({
  header: '# a legacy daemonset',
  apiVersion: 'extensions/v1beta1 # old API',
  spec: ['# the pods'],
  templateMetadata: LEGACY_LABELS,
  value: 'no # YAML 1.1 boolean',
});

/** The fixes: apps/v1, the selector the old API defaulted from the template labels, the value quoted. */
const FIXED_SELECTOR = ['selector:', '  matchLabels:', '    app: agent', '    tier: "node"'];
const LEGACY_FIXED = agentDaemonSet({
  header: '# a legacy daemonset',
  apiVersion: 'apps/v1 # old API',
  spec: [...FIXED_SELECTOR, '# the pods'],
  templateMetadata: LEGACY_LABELS,
  value: '"no" # YAML 1.1 boolean',
});

function appsDaemonSet(envValue: string): string {
  return agentDaemonSet({ header: '# a legacy daemonset', spec: [...FIXED_SELECTOR, '# the pods'], templateMetadata: LEGACY_LABELS, value: envValue });
}

const crlf = (text: string) => text.replace(/\n/g, '\r\n');

describe('fix tables: input -> exact output', () => {
  const cases: Array<{ name: string; input: string; output: string }> = [
    { name: 'extensions/v1beta1 DaemonSet: apps/v1, selector from the template labels, then the YAML 1.1 value', input: LEGACY, output: LEGACY_FIXED },
    { name: 'the same with CRLF line ends (every inserted line too)', input: crlf(LEGACY), output: crlf(LEGACY_FIXED) },
    { name: 'quoted apiVersion keeps its quotes', input: LEGACY.replace('extensions/v1beta1 # old API', "'extensions/v1beta1'"), output: LEGACY_FIXED.replace('apps/v1 # old API', "'apps/v1'") },
    {
      name: 'an existing selector is kept; only the apiVersion changes',
      input: LEGACY.replace('spec:\n  # the pods', 'spec:\n  selector: {matchLabels: {app: agent, tier: node}}\n  # the pods'),
      output: LEGACY_FIXED.replace(/spec:\n  selector:\n    matchLabels:\n      app: agent\n      tier: "node"\n/, 'spec:\n  selector: {matchLabels: {app: agent, tier: node}}\n'),
    },
    { name: 'value: no -> value: "no", the comment kept', input: appsDaemonSet('no # off'), output: appsDaemonSet('"no" # off') },
    { name: 'on/off', input: appsDaemonSet('on'), output: appsDaemonSet('"on"') },
    { name: 'an octal-looking string', input: appsDaemonSet('0755'), output: appsDaemonSet('"0755"') },
    { name: 'a number in a string field', input: appsDaemonSet('1e3  # exp'), output: appsDaemonSet('"1e3"  # exp') },
    { name: 'a byte order mark is kept', input: `\ufeff${appsDaemonSet('yes')}`, output: `\ufeff${appsDaemonSet('"yes"')}` },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = fixText(testCase.input, FILE, engineOptions());
      assert.equal(result.output, testCase.output);
      assert.deepEqual(result.messages.map((message) => message.ruleId), [], 'nothing left to report');
      // Idempotence: fixing the fixed text changes nothing.
      assert.equal(fixText(result.output!, FILE, engineOptions()).output, undefined);
    });
  }

  it('a flow-style spec gets no fix (the finding stays, unfixable)', () => {
    const input = 'apiVersion: extensions/v1beta1\nkind: DaemonSet\nmetadata: {name: a}\nspec: {template: {metadata: {labels: {app: a}}, spec: {containers: [{name: a, image: a}]}}}\n';
    const [message] = lintText(input, FILE, engineOptions()).messages;
    assert.equal(message?.ruleId, 'deprecated-api-version');
    assert.equal(message?.fix, undefined);
    assert.equal(fixText(input, FILE, engineOptions()).output, undefined);
  });

  it('a value reached through an alias is not quoted (the anchor is used elsewhere)', () => {
    const input = appsDaemonSet('*flag').replace('metadata:\n  name: agent', 'metadata:\n  name: agent\n  labels: {x: &flag "1"}').replace('"1"', 'on');
    const messages = lintText(input, FILE, engineOptions()).messages;
    assert.ok(messages.some((message) => message.messageId === 'yaml11'), JSON.stringify(messages));
    assert.ok(messages.filter((message) => message.messageId === 'yaml11' && message.line === 20).every((message) => !message.fix));
  });
});

describe('the fix model on messages (ESLint shapes)', () => {
  it('LintMessage.fix is {range, text} over the original text, and counts as fixable', () => {
    const input = appsDaemonSet('no');
    const result = lintText(input, FILE, engineOptions());
    assert.equal(result.messages.length, 1);
    const [message] = result.messages;
    const at = input.indexOf('value: no') + 'value: '.length;
    assert.deepEqual(message!.fix, { range: [at, at + 2], text: '"no"' });
    assert.equal(result.fixableErrorCount, 1);
    assert.equal(result.fixableWarningCount, 0);
  });

  it('applyFixes applies non-overlapping fixes and leaves an overlapping one for the next pass', () => {
    const { output, applied } = applyFixes('abcdef', [
      { range: [0, 2], text: 'X' },
      { range: [1, 3], text: 'Y' },
      { range: [4, 4], text: '-' },
    ]);
    assert.equal(output, 'Xcd-ef');
    assert.equal(applied, 2);
  });

  it('a file with a syntax error is never fixed', () => {
    const input = `${appsDaemonSet('no')}bad: [unclosed\n`;
    const result = fixText(input, FILE, engineOptions());
    assert.equal(result.output, undefined);
    assert.ok(result.fatalErrorCount > 0);
  });
});

describe('kubelint --fix / --fix-dry-run', () => {
  function project(): { dir: string; file: string; broken: string } {
    const dir = tempDir('kubelint-fix-');
    const file = path.join(dir, 'ds.yaml');
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(file, LEGACY);
    writeFileSync(broken, `${LEGACY}oops: [unclosed\n`);
    chmodSync(file, 0o640);
    return { dir, file, broken };
  }

  it('without either flag nothing is written', () => {
    const { dir, file } = project();
    const run = runCli(['--no-config', dir]);
    assert.equal(run.status, 1);
    assert.equal(readFileSync(file, 'utf8'), LEGACY);
    assert.match(run.stdout, /\(fixable\)\s+deprecated-api-version/);
    assert.match(run.stdout, /1 problem fixable with --fix/);
  });

  it('--fix writes the fixed file in place, mode kept, no temporary file left, broken file untouched', () => {
    const { dir, file, broken } = project();
    const run = runCli(['--no-config', '--fix', dir]);
    assert.equal(readFileSync(file, 'utf8'), LEGACY_FIXED);
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.equal(readFileSync(broken, 'utf8'), `${LEGACY}oops: [unclosed\n`);
    assert.deepEqual(readdirSync(dir).sort(), ['broken.yaml', 'ds.yaml']);
    // What remains: the broken file's syntax error only.
    assert.equal(run.status, 1);
    assert.match(run.stdout, /broken\.yaml/);
    assert.doesNotMatch(run.stdout, /ds\.yaml/);
  });

  it('--fix-dry-run writes nothing and puts the fixed text in the JSON result\'s output', () => {
    const { dir, file } = project();
    const run = runCli(['--no-config', '--fix-dry-run', '-f', 'json', file], { cwd: dir });
    assert.equal(readFileSync(file, 'utf8'), LEGACY);
    const [result] = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    assert.equal(result!.output, LEGACY_FIXED);
    assert.deepEqual(result!.messages, []);
    assert.equal('source' in result!, false);
    assert.equal(run.status, 0);
  });

  it('JSON messages carry fix as ESLint does', () => {
    const { dir, file } = project();
    const run = runCli(['--no-config', '-f', 'json', file], { cwd: dir });
    const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string; fix?: { range: number[]; text: string } }>; fixableErrorCount: number }>;
    const message = result!.messages.find((m) => m.ruleId === 'deprecated-api-version')!;
    assert.equal(message.fix!.range.length, 2);
    assert.match(message.fix!.text, /^apps\/v1 # old API\nkind: DaemonSet\n[^]*selector:\n    matchLabels:\n      app: agent\n      tier: "node"\n$/);
    assert.equal(result!.fixableErrorCount, 1);
  });

  it('standard input with --fix-dry-run prints the fixed text; the report goes to standard error', () => {
    const run = runCli(['--no-config', '--fix-dry-run', '-'], { input: LEGACY });
    assert.equal(run.stdout, LEGACY_FIXED);
    assert.match(run.stderr, /no problems/);
    assert.equal(run.status, 0);
  });

  it('--fix with standard input is a usage error', () => {
    const run = runCli(['--no-config', '--fix', '-'], { input: LEGACY });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--fix cannot write to standard input/);
  });
});

const MULTITOOL = path.join(PROJECT_ROOT, 'node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');

describe('SARIF fixes', () => {
  it('results carry fixes (artifactChanges, replacements) and pass the Multitool with Sarif;Ghas', () => {
    const dir = tempDir('kubelint-fix-sarif-');
    spawnSync('git', ['init', '-q', dir]);
    const file = path.join(dir, 'ds.yaml');
    writeFileSync(file, LEGACY);
    const run = runCli(['--no-config', '-f', 'sarif', 'ds.yaml'], { cwd: dir });
    const log = JSON.parse(run.stdout) as { runs: Array<{ results: Array<Record<string, any>> }> };
    const [result] = log.runs[0]!.results;
    const [fix] = result!.fixes as Array<{ artifactChanges: Array<{ artifactLocation: { uri: string }; replacements: Array<{ deletedRegion: Record<string, number>; insertedContent: { text: string } }> }> }>;
    const change = fix!.artifactChanges[0]!;
    assert.equal(change.artifactLocation.uri, 'ds.yaml');
    assert.deepEqual(change.replacements[0]!.deletedRegion, { startLine: 2, startColumn: 13, endLine: 7, endColumn: 1 });

    if (!statSync(MULTITOOL).mode.toString(8).match(/[1357]..$/)) chmodSync(MULTITOOL, 0o755);
    const input = path.join(dir, 'kubelint.sarif');
    const output = path.join(dir, 'validation.sarif');
    writeFileSync(input, run.stdout);
    const validate = spawnSync(MULTITOOL, ['validate', input, '--rule-kind', 'Sarif;Ghas', '-o', output], { encoding: 'utf8' });
    assert.equal(validate.status, 0, validate.stdout + validate.stderr);
    const validation = JSON.parse(readFileSync(output, 'utf8').replace(/^\uFEFF/, '')) as { runs: Array<{ results: Array<{ level?: string; ruleId: string; message: unknown }> }> };
    const problems = validation.runs[0]!.results.filter((r) => (r.level ?? 'warning') === 'error' || (r.level ?? 'warning') === 'warning');
    assert.deepEqual(problems.map((r) => `${r.ruleId}: ${JSON.stringify(r.message)}`), []);
  });
});
