/**
 * missing-reference is a run-level rule (collect + checkRun): RuleTester lints one text, so
 * these tests lint temporary directories as a run, in-process and through the CLI.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { tempDir, writeTree } from '../helpers/temp.js';
import { runCli } from '../helpers/cli.js';
import { engineOptions } from '../helpers/engine.js';
import { lintFile, lintPaths } from '../../src/lint/run.js';
import { lintText } from '../../src/lint/engine.js';
import { lint } from '../../src/index.js';
import { editDistance, isClose } from '../../rules/missing-reference.js';
import type { LintMessage, LintResult, SeverityName } from '../../src/types.js';

interface DsParts {
  namespace?: string | null;
  /** Lines of the pod spec from line 11 on (before tolerations and containers). */
  podSpec?: string[];
  volumes?: string[];
}

/** A DaemonSet; with the default namespace its pod spec lines start on line 11, at column 7. */
function daemonSet(parts: DsParts = {}): string {
  const namespace = parts.namespace === undefined ? 'kube-system' : parts.namespace;
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    '  name: agent',
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:',
    '  selector: {matchLabels: {app: agent}}',
    '  template:',
    '    metadata: {labels: {app: agent}}',
    '    spec:',
    ...(parts.podSpec ?? []).map((line) => `      ${line}`),
    '      tolerations: [{operator: Exists}]',
    '      containers:',
    '        - {name: agent, image: agent:1}',
    ...(parts.volumes ? ['      volumes:', ...parts.volumes.map((line) => `        - ${line}`)] : []),
    '',
  ].join('\n');
}

/** An object of `kind` named `name`: its name on line 3 (after any earlier documents), column 18. */
function object(kind: string, name: string, namespace: string | null = 'kube-system', apiVersion = 'v1'): string {
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}}\n`;
}

const RBAC = [object('ServiceAccount', 'node-agent'), object('ServiceAccount', 'other'), object('ConfigMap', 'agent-config'), object('Secret', 'agent-tls')].join('---\n');

function writeRun(files: Record<string, string>): string {
  const dir = tempDir('kubelint-missing-ref-');
  writeTree(dir, files);
  return dir;
}

async function run(files: Record<string, string>, rules: Record<string, SeverityName> = {}, ruleOptions = {}): Promise<{ dir: string; results: LintResult[] }> {
  const dir = writeRun(files);
  const results = await lintPaths([dir], engineOptions({ rules, ruleOptions }), { cwd: dir });
  return { dir, results };
}

const ofRule = (results: readonly LintResult[], ruleId: string) =>
  results.flatMap((result) => result.messages.filter((m) => m.ruleId === ruleId).map((m) => ({ file: path.basename(result.filePath), ...m })));

describe('missing-reference', () => {
  it('reports a misspelt ServiceAccount at its value, with the candidate in another file as the related location', async () => {
    const { dir, results } = await run({ 'ds.yaml': daemonSet({ podSpec: ['serviceAccountName: node-agnet'] }), 'rbac.yaml': RBAC });
    const found = ofRule(results, 'missing-reference');
    assert.equal(found.length, 1);
    const [finding] = found as Array<LintMessage & { file: string }>;
    assert.deepEqual(
      { file: finding!.file, severity: finding!.severity, messageId: finding!.messageId, line: finding!.line, column: finding!.column, endLine: finding!.endLine, endColumn: finding!.endColumn },
      { file: 'ds.yaml', severity: 1, messageId: 'missing', line: 11, column: 27, endLine: 11, endColumn: 37 },
    );
    assert.equal(
      finding!.message,
      'ServiceAccount "node-agnet" is not among the ServiceAccounts the linted manifests define in namespace kube-system; did you mean "node-agent"? ' +
        'Without it the API server rejects the pods (error looking up service account), so the DaemonSet creates none.',
    );
    assert.deepEqual(finding!.relatedLocations, [
      { message: 'ServiceAccount "node-agent" is defined here.', line: 3, column: 18, endLine: 3, endColumn: 28, filePath: path.join(dir, 'rbac.yaml') },
    ]);
    // The private facts never reach the results.
    assert.ok(results.every((result) => !('runFacts' in result)));
    // The DaemonSet's own pass found nothing, so its text was not held; it is read again for the finding.
    assert.deepEqual(
      results.map((result) => [path.basename(result.filePath), result.messages.map((m) => m.ruleId), result.source]),
      [
        ['ds.yaml', ['missing-reference'], daemonSet({ podSpec: ['serviceAccountName: node-agnet'] })],
        ['rbac.yaml', [], undefined],
      ],
    );
  });

  it('a clean file with facts does not hold its text while the run goes on (it is read again for a finding)', () => {
    const dir = writeRun({ 'rbac.yaml': RBAC, 'ds.yaml': daemonSet({ podSpec: ['serviceAccountName: node-agnet', 'hostPID: yes'] }) });
    const clean = lintFile(path.join(dir, 'rbac.yaml'), engineOptions());
    assert.equal(clean.source, undefined);
    assert.equal(clean.sourceOnDisk, RBAC.length);
    assert.equal(clean.runFacts?.facts.length, 4);
    // A file with findings of its own keeps its text.
    const withFindings = lintFile(path.join(dir, 'ds.yaml'), engineOptions());
    assert.ok(withFindings.messages.length > 0);
    assert.equal(typeof withFindings.source, 'string');
    assert.equal(withFindings.sourceOnDisk, undefined);
    // Unless the run reads every file again to print it (the CLI): then no file holds its text.
    const printed = lintFile(path.join(dir, 'ds.yaml'), engineOptions({ sourcesOnDisk: true }));
    assert.equal(printed.source, undefined);
    assert.equal(printed.sourceOnDisk, readFileSync(path.join(dir, 'ds.yaml'), 'utf8').length);
  });

  it('checks ConfigMap and Secret volumes and projected sources, skipping optional ones and kube-root-ca.crt; same-file related locations have no filePath', async () => {
    const text = [
      RBAC,
      daemonSet({
        volumes: [
          '{name: a, configMap: {name: agent-confg}}',
          '{name: b, secret: {secretName: agent-tsl, optional: true}}',
          '{name: c, projected: {sources: [{configMap: {name: kube-root-ca.crt}}, {secret: {name: agent-tl}}]}}',
        ],
      }),
    ].join('---\n');
    const { results } = await run({ 'all.yaml': text });
    const found = ofRule(results, 'missing-reference');
    // RBAC is 15 lines, so the DaemonSet starts on line 17 and its volumes on line 31.
    assert.deepEqual(
      found.map((m) => [m.line, m.column, m.message.split(';')[0], m.relatedLocations]),
      [
        [31, 39, 'ConfigMap "agent-confg" is not among the ConfigMaps the linted manifests define in namespace kube-system', [{ message: 'ConfigMap "agent-config" is defined here.', line: 11, column: 18, endLine: 11, endColumn: 30 }]],
        [33, 98, 'Secret "agent-tl" is not among the Secrets the linted manifests define in namespace kube-system', [{ message: 'Secret "agent-tls" is defined here.', line: 15, column: 18, endLine: 15, endColumn: 27 }]],
      ],
    );
  });

  it('is quiet where the run defines no objects of that kind in that namespace', async () => {
    const ds = daemonSet({ podSpec: ['serviceAccountName: node-agnet'], volumes: ['{name: a, configMap: {name: agent-confg}}'] });
    for (const files of <Array<Record<string, string>>>[
      { 'ds.yaml': ds },
      { 'ds.yaml': ds, 'rbac.yaml': RBAC.replace(/kube-system/g, 'monitoring') },
      // A DaemonSet without a namespace matches only objects without one.
      { 'ds.yaml': daemonSet({ namespace: null, podSpec: ['serviceAccountName: node-agnet'] }), 'rbac.yaml': RBAC },
    ]) {
      const { results } = await run(files);
      assert.deepEqual(ofRule(results, 'missing-reference'), [], Object.keys(files).join(' '));
    }
  });

  it('matches objects without a namespace with each other', async () => {
    const { results } = await run({ 'ds.yaml': daemonSet({ namespace: null, podSpec: ['serviceAccountName: node-agnet'] }), 'sa.yaml': object('ServiceAccount', 'node-agent', null) });
    const found = ofRule(results, 'missing-reference');
    assert.deepEqual(found.map((m) => [m.file, m.line, m.column]), [['ds.yaml', 10, 27]]);
    assert.match(found[0]!.message, /define without a namespace; did you mean "node-agent"\?/);
  });

  it('checks priorityClassName against the run\'s PriorityClasses (cluster-scoped), never system-* classes', async () => {
    const pc = object('PriorityClass', 'node-critical', 'ignored-namespace', 'scheduling.k8s.io/v1').replace('\n', '\nvalue: 1000000\n');
    const { results } = await run({ 'ds.yaml': daemonSet({ podSpec: ['priorityClassName: node-critcal'] }), 'pc.yaml': pc, 'ds2.yaml': daemonSet({ podSpec: ['priorityClassName: system-node-critica'] }) });
    const found = ofRule(results, 'missing-reference');
    assert.deepEqual(found.map((m) => [m.file, m.line, m.column, m.relatedLocations?.[0]?.line]), [['ds.yaml', 11, 26, 4]]);
    assert.match(found[0]!.message, /^PriorityClass "node-critcal" is not among the PriorityClasses the linted manifests define; did you mean "node-critical"\? Without it/);
  });

  it('reports only near misses by default; onlyNearMisses: false reports every unmatched name, related to the nearest', async () => {
    const files = { 'ds.yaml': daemonSet({ podSpec: ['serviceAccountName: fluentd'] }), 'rbac.yaml': RBAC };
    assert.deepEqual(ofRule((await run(files)).results, 'missing-reference'), []);
    const found = ofRule((await run(files, {}, { 'missing-reference': { onlyNearMisses: false } })).results, 'missing-reference');
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, /^ServiceAccount "fluentd" is not among the ServiceAccounts the linted manifests define in namespace kube-system\. Without it/);
    assert.equal(found[0]!.relatedLocations?.[0]?.message, 'The nearest ServiceAccount by name is "other".');
  });

  it('among many candidates picks the nearest near miss, by edits or by case and separator, for every file that repeats a name', async () => {
    const accounts = Array.from({ length: 300 }, (_, i) => object('ServiceAccount', `agent-${i}`)).join('---\n');
    const files: Record<string, string> = {
      'accounts.yaml': accounts + '---\n' + object('ServiceAccount', 'Log_Shipper') + '---\n' + object('ServiceAccount', 'node-exporter'),
      'a.yaml': daemonSet({ podSpec: ['serviceAccountName: log-shipper'] }),
      'b.yaml': daemonSet({ podSpec: ['serviceAccountName: log-shipper'] }),
      'c.yaml': daemonSet({ podSpec: ['serviceAccountName: node-exportr'] }),
      // agent-3 and agent-30 are both one edit from agent-3x: the first defined wins.
      'd.yaml': daemonSet({ podSpec: ['serviceAccountName: agent-3x'] }),
      'e.yaml': daemonSet({ podSpec: ['serviceAccountName: agent-123'] }),
      'f.yaml': daemonSet({ podSpec: ['serviceAccountName: prometheus'] }),
    };
    const found = ofRule((await run(files)).results, 'missing-reference');
    assert.deepEqual(
      found.map((m) => [m.file, m.line, m.column, /did you mean "([^"]+)"/.exec(m.message)?.[1]]),
      [
        ['a.yaml', 11, 27, 'Log_Shipper'],
        ['b.yaml', 11, 27, 'Log_Shipper'],
        ['c.yaml', 11, 27, 'node-exporter'],
        ['d.yaml', 11, 27, 'agent-3'],
      ],
    );
    const all = ofRule((await run(files, {}, { 'missing-reference': { onlyNearMisses: false } })).results, 'missing-reference');
    assert.deepEqual(
      all.map((m) => [m.file, m.relatedLocations?.[0]?.message]),
      [
        ['a.yaml', 'ServiceAccount "Log_Shipper" is defined here.'],
        ['b.yaml', 'ServiceAccount "Log_Shipper" is defined here.'],
        ['c.yaml', 'ServiceAccount "node-exporter" is defined here.'],
        ['d.yaml', 'ServiceAccount "agent-3" is defined here.'],
        ['f.yaml', 'The nearest ServiceAccount by name is "agent-0".'],
      ],
    );
  });

  it('takes its severity from the configuration, and off turns it off', async () => {
    const files = { 'ds.yaml': daemonSet({ podSpec: ['serviceAccountName: node-agnet'] }), 'rbac.yaml': RBAC };
    assert.deepEqual(ofRule((await run(files, { 'missing-reference': 'error' })).results, 'missing-reference').map((m) => m.severity), [2]);
    assert.deepEqual(ofRule((await run(files, { 'missing-reference': 'off' })).results, 'missing-reference'), []);
  });

  it('puts a related location in another file under that file in SARIF', () => {
    const dir = writeRun({ 'ds.yaml': daemonSet({ podSpec: ['serviceAccountName: node-agnet'] }), 'rbac.yaml': RBAC });
    const sarif = runCli(['.', '-f', 'sarif', '--no-config'], { cwd: dir });
    assert.equal(sarif.status, 0, sarif.stderr);
    const results = (JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<Record<string, any>> }> }).runs[0]!.results;
    const finding = results.find((result) => result.ruleId === 'missing-reference')!;
    assert.equal(finding.locations[0].physicalLocation.artifactLocation.uri, 'ds.yaml');
    assert.deepEqual(finding.relatedLocations[0].physicalLocation, {
      artifactLocation: { uri: 'rbac.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 18, endLine: 3, endColumn: 28 },
    });
  });

  it('gives the same results with and without worker threads', async () => {
    const files: Record<string, string> = { 'rbac.yaml': RBAC };
    for (let i = 0; i < 5; i++) files[`ds-${i}.yaml`] = daemonSet({ podSpec: [`serviceAccountName: node-agen${i}`] });
    const dir = writeRun(files);
    const json = (workers: string) => {
      const result = runCli([dir, '-f', 'json', '--no-config'], { env: { KUBELINT_WORKERS: workers } });
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as LintResult[];
    };
    const onMain = json('0');
    assert.equal(ofRule(onMain, 'missing-reference').length, 5);
    assert.deepEqual(json('2'), onMain);
  });

  it('honours kubelint-disable-next-line, and reports a directive that suppresses nothing as unused once the run is known', async () => {
    const ds = daemonSet({
      podSpec: [
        '# kubelint-disable-next-line missing-reference -- renamed in the next release',
        'serviceAccountName: node-agnet',
        '# kubelint-disable-next-line missing-reference',
        'priorityClassName: node-critical',
      ],
    });
    const pc = object('PriorityClass', 'node-critical', null, 'scheduling.k8s.io/v1');
    const { results } = await run({ 'ds.yaml': ds, 'rbac.yaml': RBAC, 'pc.yaml': pc });
    const result = results.find((entry) => entry.filePath.endsWith('ds.yaml'))!;
    assert.deepEqual(result.messages.map((m) => [m.ruleId, m.line, m.column]), [['unused-suppression', 13, 7]]);
    assert.deepEqual(
      result.suppressedMessages.map((m) => [m.ruleId, m.line, m.column, m.suppressions]),
      [['missing-reference', 12, 27, [{ kind: 'directive', justification: 'renamed in the next release' }]]],
    );
    assert.equal(result.warningCount, 1);
  });

  it('an annotation suppresses it for the object, and is unused when the run finds nothing there', async () => {
    const annotated = (sa: string) =>
      daemonSet({ podSpec: [`serviceAccountName: ${sa}`] }).replace('  name: agent\n', '  name: agent\n  annotations: {kubelint.io/ignore.missing-reference: "SA from the platform repo"}\n');
    const suppressed = await run({ 'ds.yaml': annotated('node-agnet'), 'rbac.yaml': RBAC });
    const ds = suppressed.results.find((entry) => entry.filePath.endsWith('ds.yaml'))!;
    assert.deepEqual(ds.messages, []);
    assert.deepEqual(ds.suppressedMessages.map((m) => [m.ruleId, m.line]), [['missing-reference', 12]]);
    const unused = await run({ 'ds.yaml': annotated('node-agent'), 'rbac.yaml': RBAC });
    assert.deepEqual(
      unused.results.find((entry) => entry.filePath.endsWith('ds.yaml'))!.messages.map((m) => [m.ruleId, m.messageId, m.line, m.column]),
      [['unused-suppression', 'unusedAnnotation', 5, 17]],
    );
  });

  it('works on standard input and lint({ text }) (one run), and lintText alone reports nothing (no run)', async () => {
    const text = `${RBAC}---\n${daemonSet({ podSpec: ['serviceAccountName: node-agnet'] })}`;
    const stdin = runCli(['-', '-f', 'json', '--no-config'], { input: text });
    assert.equal(stdin.status, 0, stdin.stderr);
    assert.deepEqual(ofRule(JSON.parse(stdin.stdout) as LintResult[], 'missing-reference').map((m) => [m.line, m.column, m.relatedLocations?.[0]?.line]), [[27, 27, 3]]);
    const api = await lint({ text, filePath: 'all.yaml', config: false });
    assert.deepEqual(ofRule(api, 'missing-reference').map((m) => [m.line, m.column]), [[27, 27]]);
    assert.ok(!('runFacts' in api[0]!));
    assert.deepEqual(ofRule([lintText(text, 'all.yaml', engineOptions())], 'missing-reference'), []);
  });

  it('measures names by edit distance, strictly for short names', () => {
    assert.equal(editDistance('node-agnet', 'node-agent'), 2);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('abc', 'xyzxyz', 2), 3);
    assert.ok(isClose('Node_Agent', 'node-agent'));
    assert.ok(isClose('agent-confg', 'agent-config'));
    assert.ok(!isClose('sa', 'db'));
    assert.ok(!isClose('fluentd', 'other'));
  });
});
