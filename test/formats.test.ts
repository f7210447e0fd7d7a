import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { escapeData, escapeProperty } from '../src/report/github.js';
import { RULES } from '../src/index.js';
import { tempDir } from './helpers/temp.js';

const EXAMPLES = 'fixtures/examples';
const CLEAN = 'fixtures/examples/daemonsets/cni-agent.yaml';
/** VS Code's built-in $eslint-compact problem matcher, verbatim. */
const ESLINT_COMPACT = /^(.+):\sline\s(\d+),\scol\s(\d+),\s(Error|Warning|Info)\s-\s(.+)\s\((.+)\)$/;
const MULTITOOL = path.join(PROJECT_ROOT, 'node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<Record<string, any>> } };
    results: Array<Record<string, any>>;
    invocations: Array<{ executionSuccessful: boolean }>;
    columnKind: string;
  }>;
}

function sarifOf(args: string[], input?: string): SarifLog {
  const run = runCli([...args, '-f', 'sarif'], input === undefined ? {} : { input });
  assert.equal(run.stderr, '');
  return JSON.parse(run.stdout) as SarifLog; // nothing but SARIF on stdout
}

/** Runs the Microsoft SARIF Multitool with GitHub's ingestion rules; returns its error and warning findings. */
function multitoolProblems(log: string): string[] {
  if (!statSync(MULTITOOL).mode.toString(8).match(/[1357]..$/)) chmodSync(MULTITOOL, 0o755);
  const dir = tempDir('kubelint-sarif-');
  const input = path.join(dir, 'kubelint.sarif');
  const output = path.join(dir, 'validation.sarif');
  writeFileSync(input, log);
  // Spawned directly: the npm wrapper re-runs it through a shell, where ";" would split the command.
  const run = spawnSync(MULTITOOL, ['validate', input, '--rule-kind', 'Sarif;Ghas', '-o', output], { encoding: 'utf8' });
  assert.equal(run.status, 0, `Multitool failed: ${run.stdout}${run.stderr}`);
  const validation = JSON.parse(readFileSync(output, 'utf8').replace(/^\uFEFF/, '')) as SarifLog;
  return validation.runs[0]!.results
    .filter((result) => (result.level ?? 'warning') === 'error' || (result.level ?? 'warning') === 'warning')
    .map((result) => `${result.ruleId}: ${JSON.stringify(result.message)}`);
}

describe('--format compact', () => {
  it('prints lines that VS Code\'s $eslint-compact matcher reads, with absolute paths', () => {
    const run = runCli([EXAMPLES, '-f', 'compact']);
    assert.equal(run.status, 1);
    const [problems, summary] = run.stdout.split('\n\n');
    const lines = problems!.split('\n');
    assert.equal(lines.length, 10);
    for (const line of lines) {
      const match = ESLINT_COMPACT.exec(line);
      assert.ok(match, `not matched by $eslint-compact: ${line}`);
      assert.ok(path.isAbsolute(match[1]!) && existsSync(match[1]!), match[1]);
      assert.ok(RULES.some((rule) => rule.meta.id === match[6]), match[6]);
    }
    assert.match(lines[0]!, /log-shipper\.yaml: line 14, col 7, Error - selector requires label tier="node-agent".* \(daemonset-selector-mismatch\)$/);
    assert.equal(summary!.trim(), '10 problems');
  });

  it('prints nothing for a clean file', () => {
    assert.equal(runCli([CLEAN, '-f', 'compact']).stdout, '');
  });
});

describe('--format github', () => {
  it('escapes data and properties as the Actions runner requires', () => {
    assert.equal(escapeData('50% done\r\nnext'), '50%25 done%0D%0Anext');
    assert.equal(escapeProperty('a:b,c%'), 'a%3Ab%2Cc%25');
  });

  it('prints one workflow command per problem with full positions, then a summary', () => {
    const run = runCli([EXAMPLES, '-f', 'github']);
    assert.equal(run.status, 1);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines[0], `::error file=fixtures/examples/daemonsets/log-shipper.yaml,line=14,col=7,endLine=14,endColumn=11,title=daemonset-selector-mismatch::${escapeData(lines[0]!.split('::')[2]!)}`);
    assert.match(lines[1]!, /^::warning file=fixtures\/examples\/daemonsets\/log-shipper\.yaml,line=20,col=5,endLine=20,endColumn=9,title=daemonset-control-plane-toleration::This node agent \(it reads node logs\) skips control-plane nodes/);
    assert.equal(lines.filter((line) => /^::(error|warning) /.test(line)).length, 10);
    assert.equal(lines.at(-1), 'kubelint: 10 problems (8 errors, 2 warnings) in 5 files');
  });

  it('summarizes a clean run', () => {
    assert.equal(runCli([CLEAN, '-f', 'github']).stdout, 'kubelint: no problems in 1 file\n');
  });
});

describe('--format sarif', () => {
  it('describes every rule, with help, docs link and default level', () => {
    const log = sarifOf([CLEAN]);
    assert.equal(log.version, '2.1.0');
    const driver = log.runs[0]!.tool.driver;
    assert.equal(driver.name, 'kubelint');
    assert.match(driver.version, /^\d+\.\d+\.\d+/);
    assert.ok(driver.informationUri.startsWith('https://'));
    assert.deepEqual(driver.rules.map((rule) => rule.id), RULES.map((rule) => rule.meta.id));
    for (const rule of driver.rules) {
      assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.help.text && rule.help.markdown);
      assert.equal(rule.helpUri, `https://github.com/kubelint/kubelint/blob/main/docs/rules/${rule.id}.md`);
      assert.ok(['error', 'warning'].includes(rule.defaultConfiguration.level));
    }
    assert.deepEqual(log.runs[0]!.results, []); // present, and empty when clean
    assert.equal(log.runs[0]!.invocations[0]!.executionSuccessful, true);
    assert.equal(log.runs[0]!.columnKind, 'utf16CodeUnits');
  });

  it('places results with relative URIs, full regions, fingerprints and related locations', () => {
    const results = sarifOf([EXAMPLES]).runs[0]!.results;
    assert.equal(results.length, 10);
    const mismatch = results.find((result) => result.ruleId === 'daemonset-selector-mismatch')!;
    assert.equal(mismatch.level, 'error');
    assert.equal(mismatch.ruleIndex, RULES.findIndex((rule) => rule.meta.id === 'daemonset-selector-mismatch'));
    const location = mismatch.locations[0].physicalLocation;
    assert.deepEqual(location.artifactLocation, { uri: 'fixtures/examples/daemonsets/log-shipper.yaml', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(location.region, { startLine: 14, startColumn: 7, endLine: 14, endColumn: 11 });
    assert.match(mismatch.partialFingerprints.primaryLocationLineHash, /^[0-9a-f]{32}:1$/);
    assert.equal(mismatch.relatedLocations[0].message.text, 'the pod template labels the selector is checked against');
    assert.equal(mismatch.relatedLocations[0].physicalLocation.region.startLine, 17);
    for (const result of results) {
      assert.ok(!String(result.locations[0].physicalLocation.artifactLocation.uri).includes('..'));
      assert.ok(result.locations[0].physicalLocation.region.startLine >= 1);
    }
  });

  it('passes the Microsoft SARIF Multitool with GitHub ingestion rules: no errors, no warnings', () => {
    const suppressed = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: a\n  annotations:\n    kubelint.io/ignore.daemonset-control-plane-toleration: "workers only"\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec: {hostPID: true, containers: [{name: a, image: a, resources: {requests: {cpu: 1m}}}]}\n';
    const dir = tempDir('.tmp-sarif-', path.join(PROJECT_ROOT, 'fixtures'));
    try {
      writeFileSync(path.join(dir, 'suppressed.yaml'), suppressed);
      const run = runCli([EXAMPLES, path.relative(PROJECT_ROOT, dir), '-f', 'sarif']);
      const log = JSON.parse(run.stdout) as SarifLog;
      const withSuppression = log.runs[0]!.results.find((result) => result.suppressions);
      assert.deepEqual(withSuppression?.suppressions, [{ kind: 'inSource', justification: 'workers only' }]);
      assert.deepEqual(multitoolProblems(run.stdout), []);
      assert.deepEqual(multitoolProblems(runCli([CLEAN, '-f', 'sarif']).stdout), []);
    } finally {
      spawnSync('rm', ['-rf', dir]);
    }
  });
});

describe('several outputs in one run', () => {
  it('prints friendly output and writes SARIF and JSON files', () => {
    const dir = tempDir('kubelint-out-');
    const sarif = path.join(dir, 'kubelint.sarif');
    const json = path.join(dir, 'kubelint.json');
    const run = runCli([EXAMPLES, '-f', 'friendly', '-f', `sarif:${sarif}`, '-f', `json:${json}`]);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /log-shipper\.yaml\n  14:7  error /);
    assert.equal((JSON.parse(readFileSync(sarif, 'utf8')) as SarifLog).runs[0]!.results.length, 10);
    assert.equal((JSON.parse(readFileSync(json, 'utf8')) as unknown[]).length, 6);
  });

  it('refuses two formats for standard output', () => {
    const run = runCli([CLEAN, '-f', 'json', '-f', 'compact']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^kubelint: only one --format can go to standard output/);
  });
});

describe('--list-rules --format json', () => {
  it('lists every rule with its docs URL', () => {
    const rules = JSON.parse(runCli(['--list-rules', '-f', 'json']).stdout) as Array<{ id: string; docs: { url: string } }>;
    assert.deepEqual(rules.map((rule) => rule.id), RULES.map((rule) => rule.meta.id));
    for (const rule of rules) assert.ok(existsSync(path.join(PROJECT_ROOT, 'docs', 'rules', `${rule.id}.md`)), rule.docs.url);
  });
});
