/**
 * Plugins (issue 10 item 4): rules from `.kubelint.yaml` `plugins:` run exactly like
 * built-in ones (severity, options, every format, --list-rules, worker threads), and
 * every way a plugin can be broken is one line naming it, never a stack trace.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, runCli, type CliRun } from './helpers/cli.js';
import { tempDir, writeTree } from './helpers/temp.js';
import type { LintMessage, LintResult } from '../src/types.js';
import { lint } from '../src/index.js';
import { BUILT_IN } from '../rules/index.js';
import { extendRegistry, pluginRules } from '../src/engine/registry.js';

const FIXTURE = path.join(PROJECT_ROOT, 'fixtures', 'plugins');
const ACME = path.join(FIXTURE, 'acme-plugin.mjs');
const CORP_PACKAGE = path.join(FIXTURE, 'packages', 'kubelint-plugin-corp');
const ID = 'acme/priority-class';

function scratch(files: Record<string, string>): string {
  const dir = tempDir('kubelint-plugins-');
  writeTree(dir, files);
  return dir;
}

/** A DaemonSet in `namespace`; `priorityClassName` on line 12 when given. */
function daemonSet(name: string, options: { namespace?: string; priorityClassName?: string; team?: string; selector?: string } = {}): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${options.namespace ?? 'kube-system'}`,
    ...(options.team ? [`  labels: {team: ${options.team}}`] : []),
    'spec:',
    `  selector: {matchLabels: {app: ${options.selector ?? name}}}`,
    '  template:',
    `    metadata: {labels: {app: ${name}}}`,
    '    spec:',
    ...(options.priorityClassName ? [`      priorityClassName: ${options.priorityClassName}`] : []),
    '      tolerations: [{operator: Exists}]',
    `      containers: [{name: a, image: "registry.example.com/${name}:1.0.0"}]`,
    '',
  ].join('\n');
}

function json(run: CliRun): LintResult[] {
  assert.equal(run.stderr, '');
  return JSON.parse(run.stdout) as LintResult[];
}

/** [file, ruleId, line, column, severity] of every finding, in order. */
function findings(results: readonly LintResult[]): Array<[string, string | null, number, number, number]> {
  return results.flatMap((result) =>
    result.messages.map((m: LintMessage) => [path.basename(result.filePath), m.ruleId, m.line, m.column, m.severity] as [string, string | null, number, number, number]),
  );
}

/** A broken plugin must fail in exactly one line on stderr, with exit 2. */
function assertOneLineError(run: CliRun, expected: RegExp): void {
  assert.equal(run.status, 2, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^kubelint: [^\n]+\n$/);
  assert.match(run.stderr, expected);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}

describe('plugins: the example plugin through the CLI', () => {
  it('reports its rule in JSON at the line and column of the pod spec, exit 1', () => {
    const run = runCli(['manifests', '-f', 'json'], { cwd: FIXTURE });
    assert.equal(run.status, 1);
    const results = json(run);
    assert.deepEqual(findings(results), [['node-agent.yaml', ID, 12, 5, 2]]);
    const [message] = results.flatMap((result) => result.messages);
    assert.equal(message!.messageId, 'missing');
    assert.match(message!.message, /^DaemonSet node-agent in kube-system sets no priorityClassName/);
  });

  it('lists its rule in SARIF tool.driver.rules, with the index the result points at', () => {
    const run = runCli(['manifests', '-f', 'sarif'], { cwd: FIXTURE });
    assert.equal(run.status, 1);
    const log = JSON.parse(run.stdout) as {
      runs: Array<{ tool: { driver: { rules: Array<{ id: string; helpUri?: string; defaultConfiguration: { level: string } }> } }; results: Array<{ ruleId: string; ruleIndex: number; level: string }> }>;
    };
    const [sarifRun] = log.runs;
    const rules = sarifRun!.tool.driver.rules;
    const index = rules.findIndex((rule) => rule.id === ID);
    assert.ok(index >= 0, 'plugin rule missing from tool.driver.rules');
    assert.equal(rules[index]!.helpUri, 'https://example.com/acme/kubelint/priority-class');
    assert.equal(rules[index]!.defaultConfiguration.level, 'error');
    assert.deepEqual(sarifRun!.results.map((result) => [result.ruleId, result.ruleIndex, result.level]), [[ID, index, 'error']]);
  });

  it('shows its rule in friendly output, and in compact and github formats', () => {
    const friendly = runCli(['manifests'], { cwd: FIXTURE });
    assert.equal(friendly.status, 1);
    assert.match(friendly.stdout, /^manifests\/node-agent\.yaml\n {2}12:5 {2}error {4}DaemonSet node-agent in kube-system sets no priorityClassName.* acme\/priority-class\n/);
    const compact = runCli(['manifests', '-f', 'compact'], { cwd: FIXTURE });
    assert.match(compact.stdout, /node-agent\.yaml: line 12, col 5, Error - DaemonSet node-agent .* \(acme\/priority-class\)\n/);
    const github = runCli(['manifests', '-f', 'github'], { cwd: FIXTURE });
    assert.match(github.stdout, /^::error file=fixtures\/plugins\/manifests\/node-agent\.yaml,line=12,.*title=acme\/priority-class/m);
  });

  it('appears in --list-rules, as a table and as JSON with its docs URL', () => {
    const table = runCli(['--list-rules'], { cwd: FIXTURE });
    assert.equal(table.status, 0);
    assert.match(table.stdout, /^acme\/priority-class +error {2}DaemonSets in kube-system set a priorityClassName\n +https:\/\/example\.com\/acme\/kubelint\/priority-class\n/m);
    const listed = JSON.parse(runCli(['--list-rules', '-f', 'json'], { cwd: FIXTURE }).stdout) as Array<{ id: string; severity: string; docs: { url: string | null } }>;
    assert.deepEqual(
      listed.filter((rule) => rule.id.includes('/')),
      [{ id: ID, severity: 'error', description: 'DaemonSets in kube-system set a priorityClassName', kinds: ['DaemonSet'], docs: { url: 'https://example.com/acme/kubelint/priority-class' } }],
    );
    // Without the configuration there is no plugin.
    assert.doesNotMatch(runCli(['--list-rules']).stdout, /acme\//);
  });

  it('runs through the library API as through the CLI', async () => {
    const results = await lint({ cwd: FIXTURE, paths: ['manifests'] });
    assert.deepEqual(findings(results), [['node-agent.yaml', ID, 12, 5, 2]]);
  });
});

describe('plugins: configured like built-in rules', () => {
  const config = (rules: string) => `plugins:\n  acme: ${JSON.stringify(ACME)}\n${rules}`;

  it('is on at its meta.severity when the configuration does not set it', () => {
    const dir = scratch({ '.kubelint.yaml': config(''), 'a.yaml': daemonSet('a') });
    assert.deepEqual(findings(json(runCli(['a.yaml', '-f', 'json'], { cwd: dir }))), [['a.yaml', ID, 10, 5, 2]]);
  });

  it('takes a severity under rules:, and --rule overrides it', () => {
    const dir = scratch({ '.kubelint.yaml': config(`rules:\n  ${ID}: warn\n`), 'a.yaml': daemonSet('a') });
    const warned = runCli(['a.yaml', '-f', 'json'], { cwd: dir });
    assert.equal(warned.status, 0);
    assert.deepEqual(findings(json(warned)), [['a.yaml', ID, 10, 5, 1]]);
    const off = runCli(['a.yaml', '-f', 'json', '--rule', `${ID}=off`], { cwd: dir });
    assert.equal(off.status, 0);
    assert.deepEqual(findings(json(off)), []);
  });

  it('passes its options from [severity, options] to context.options', () => {
    const dir = scratch({
      '.kubelint.yaml': config(`rules:\n  ${ID}: [error, {allowed: [system-node-critical]}]\n`),
      'a.yaml': daemonSet('a', { priorityClassName: 'batch-low' }),
      'b.yaml': daemonSet('b', { priorityClassName: 'system-node-critical' }),
    });
    const results = json(runCli(['.', '-f', 'json'], { cwd: dir }));
    assert.deepEqual(findings(results), [['a.yaml', ID, 11, 26, 2]]);
    assert.match(results[0]!.messages[0]!.message, /^DaemonSet a uses priority class batch-low, which is not one of system-node-critical\./);
  });

  it('says which plugin rule a misspelt rules: entry meant, and which plugin is not loaded', () => {
    const dir = scratch({ '.kubelint.yaml': config(`rules:\n  acme/priority-clas: error\n`), 'a.yaml': daemonSet('a') });
    assertOneLineError(runCli(['a.yaml'], { cwd: dir }), /^kubelint: \.kubelint\.yaml: rules\.acme\/priority-clas: unknown rule \(did you mean "acme\/priority-class"\?\)\n$/);
    const other = scratch({ '.kubelint.yaml': 'rules:\n  corp/team-label: warn\n', 'a.yaml': daemonSet('a') });
    assertOneLineError(runCli(['a.yaml'], { cwd: other }), /^kubelint: \.kubelint\.yaml: rules\.corp\/team-label: unknown rule: no plugin "corp" is loaded \(add it under plugins:\)\n$/);
    assertOneLineError(runCli(['a.yaml', '--rule', 'acme/priority-clas=off'], { cwd: scratch({ '.kubelint.yaml': config(''), 'a.yaml': daemonSet('a') }) }), /unknown rule "acme\/priority-clas" \(did you mean "acme\/priority-class"\?\)/);
  });

  it('is suppressed by a kubelint-disable comment naming it, as built-in rules are', () => {
    const suppressed = daemonSet('a').replace('    spec:\n', '    # kubelint-disable-next-line acme/priority-class -- our CNI must start first\n    spec:\n');
    const dir = scratch({ '.kubelint.yaml': config(''), 'a.yaml': suppressed });
    const results = json(runCli(['a.yaml', '-f', 'json'], { cwd: dir }));
    assert.deepEqual(findings(results), []);
    assert.deepEqual(results[0]!.suppressedMessages.map((m) => [m.ruleId, m.line]), [[ID, 11]]);
  });

  it('loads a path relative to the configuration file, not to the working directory', () => {
    const dir = scratch({ 'policy/.kubelint.yaml': 'plugins:\n  acme: ../plugins/acme.mjs\n', 'policy/a.yaml': daemonSet('a') });
    cpSync(ACME, path.join(dir, 'plugins', 'acme.mjs'));
    const run = runCli(['policy/a.yaml', '-f', 'json', '--config', 'policy/.kubelint.yaml'], { cwd: dir });
    assert.deepEqual(findings(json(run)), [['a.yaml', ID, 10, 5, 2]]);
  });
});

describe('plugins: by package name', () => {
  function installed(layout: 'here' | 'parent'): string {
    const dir = scratch({});
    cpSync(CORP_PACKAGE, path.join(dir, 'node_modules', 'kubelint-plugin-corp'), { recursive: true });
    const project = layout === 'here' ? dir : path.join(dir, 'project');
    mkdirSync(project, { recursive: true });
    writeFileSync(path.join(project, '.kubelint.yaml'), 'plugins:\n  corp: kubelint-plugin-corp\n');
    writeFileSync(path.join(project, 'a.yaml'), daemonSet('a'));
    writeFileSync(path.join(project, 'b.yaml'), daemonSet('b', { team: 'nodes' }));
    return project;
  }

  it('finds the package in node_modules next to the configuration, through its "exports" import condition', () => {
    const run = runCli(['.', '-f', 'json'], { cwd: installed('here') });
    assert.equal(run.status, 0);
    assert.deepEqual(findings(json(run)), [['a.yaml', 'corp/team-label', 3, 1, 1]]);
  });

  it('finds it in a node_modules further up, as import does', () => {
    assert.deepEqual(findings(json(runCli(['.', '-f', 'json'], { cwd: installed('parent') }))), [['a.yaml', 'corp/team-label', 3, 1, 1]]);
  });

  it('uses "main" when the package has no "exports"', () => {
    const dir = scratch({
      'node_modules/@acme/kubelint-plugin/package.json': '{"name": "@acme/kubelint-plugin", "main": "lib/plugin.mjs"}',
      '.kubelint.yaml': 'plugins:\n  acme: "@acme/kubelint-plugin"\n',
      'a.yaml': daemonSet('a'),
    });
    cpSync(ACME, path.join(dir, 'node_modules', '@acme', 'kubelint-plugin', 'lib', 'plugin.mjs'));
    assert.deepEqual(findings(json(runCli(['a.yaml', '-f', 'json'], { cwd: dir }))), [['a.yaml', ID, 10, 5, 2]]);
  });

  it('says a package that is not installed cannot be found, in one line', () => {
    const dir = scratch({ '.kubelint.yaml': 'plugins:\n  corp: kubelint-plugin-corp\n', 'a.yaml': daemonSet('a') });
    assertOneLineError(
      runCli(['a.yaml'], { cwd: dir }),
      /^kubelint: \.kubelint\.yaml: plugins\.corp: cannot find package "kubelint-plugin-corp" from .* \(install it, or give a path such as \.\/kubelint-plugin-corp\.mjs\)\n$/,
    );
  });

  it('says a package whose "exports" has nothing for import does not export it', () => {
    const dir = scratch({
      'node_modules/kubelint-plugin-cjs/package.json': '{"name": "kubelint-plugin-cjs", "exports": {".": {"require": "./index.cjs"}}}',
      'node_modules/kubelint-plugin-cjs/index.cjs': 'module.exports = { rules: {} };\n',
      '.kubelint.yaml': 'plugins:\n  cjs: kubelint-plugin-cjs\n',
      'a.yaml': daemonSet('a'),
    });
    assertOneLineError(runCli(['a.yaml'], { cwd: dir }), /^kubelint: \.kubelint\.yaml: plugins\.cjs: package "kubelint-plugin-cjs" does not export \. for import/);
  });
});

describe('plugins: in worker threads', () => {
  /** A plugin whose finding says which thread ran it, so the test sees that workers did. */
  const THREAD_PLUGIN = [
    "import { isMainThread } from 'node:worker_threads';",
    'export default { rules: { where: {',
    "  meta: { severity: 'warn', description: 'says where it ran', rationale: '', kinds: '*', messages: { ran: 'ran on the {{thread}} thread' } },",
    "  check(context) { context.report({ messageId: 'ran', data: { thread: isMainThread ? 'main' : 'worker' }, path: ['kind'] }); },",
    '} } };',
    '',
  ].join('\n');

  function project(): string {
    const files: Record<string, string> = {
      '.kubelint.yaml': `plugins:\n  acme: ${JSON.stringify(ACME)}\n  probe: ./probe.mjs\n`,
      'probe.mjs': THREAD_PLUGIN,
    };
    for (let i = 0; i < 6; i++) files[`ds-${i}.yaml`] = daemonSet(`ds-${i}`, i % 2 ? { priorityClassName: 'system-node-critical' } : {});
    return scratch(files);
  }

  it('loads the plugin by its module URL in each worker: same findings as on the main thread', () => {
    const dir = project();
    const onMain = json(runCli(['.', '-f', 'json'], { cwd: dir, env: { KUBELINT_WORKERS: '0' } }));
    const inWorkers = json(runCli(['.', '-f', 'json'], { cwd: dir, env: { KUBELINT_WORKERS: '2' } }));
    const threads = (results: LintResult[]) => [...new Set(results.flatMap((result) => result.messages.filter((m) => m.ruleId === 'probe/where').map((m) => m.message)))];
    assert.deepEqual(threads(onMain), ['ran on the main thread']);
    assert.deepEqual(threads(inWorkers), ['ran on the worker thread']);
    const acme = (results: LintResult[]) => findings(results).filter(([, ruleId]) => ruleId === ID);
    assert.deepEqual(acme(inWorkers), [
      ['ds-0.yaml', ID, 10, 5, 2],
      ['ds-2.yaml', ID, 10, 5, 2],
      ['ds-4.yaml', ID, 10, 5, 2],
    ]);
    assert.deepEqual(findings(inWorkers), findings(onMain));
  });
});

describe('plugins: failure modes', () => {
  const RULE = "meta: { severity: 'error', description: 'd', rationale: 'r', kinds: '*', messages: { m: 'found' } }";

  function withPlugin(source: string, file = 'plugin.mjs'): string {
    return scratch({ '.kubelint.yaml': `plugins:\n  acme: ./${file}\n`, [file]: source, 'a.yaml': daemonSet('a', { selector: 'other' }) });
  }

  it('a missing module file', () => {
    const dir = scratch({ '.kubelint.yaml': 'plugins:\n  acme: ./nope.mjs\n', 'a.yaml': daemonSet('a') });
    assertOneLineError(runCli(['a.yaml'], { cwd: dir }), /^kubelint: \.kubelint\.yaml: plugins\.acme: no such file: \.\/nope\.mjs \(a path is relative to the configuration file\)\n$/);
  });

  it('a module that throws on import, or is not valid JavaScript', () => {
    assertOneLineError(runCli(['a.yaml'], { cwd: withPlugin("throw new Error('no licence key\\nsecond line');\n") }), /^kubelint: \.kubelint\.yaml: plugins\.acme: \.\/plugin\.mjs could not be loaded: no licence key\n$/);
    assertOneLineError(runCli(['a.yaml'], { cwd: withPlugin('export default { rules: {\n') }), /^kubelint: \.kubelint\.yaml: plugins\.acme: \.\/plugin\.mjs could not be loaded: /);
    assertOneLineError(
      runCli(['a.yaml'], { cwd: withPlugin("import 'kubelint-plugin-helper-not-installed';\nexport default { rules: {} };\n") }),
      /plugins\.acme: \.\/plugin\.mjs could not be loaded: Cannot find package 'kubelint-plugin-helper-not-installed'/,
    );
  });

  it('a default export without rules', () => {
    for (const source of ['export const rules = {};\n', 'export default { rule: {} };\n', 'export default { rules: [] };\n']) {
      assertOneLineError(runCli(['a.yaml'], { cwd: withPlugin(source) }), /^kubelint: \.kubelint\.yaml: plugin acme: its default export has no "rules" object \(\{ rules: \{ NAME: rule \} \}\)\n$/);
    }
  });

  it('a rule without valid meta, or with a bad name', () => {
    const cases: Array<[string, RegExp]> = [
      ['export default { rules: { x: { check() {} } } };\n', /plugin acme: rule acme\/x has no meta\n$/],
      ["export default { rules: { x: { meta: { severity: 'loud', description: 'd', kinds: '*', messages: {} }, check() {} } } };\n", /plugin acme: rule acme\/x has meta\.severity "loud": use "error", "warn" or "off"\n$/],
      [`export default { rules: { x: { ${RULE} } } };\n`, /plugin acme: rule acme\/x has no check\(context\), create\(context\) or collect\(context\) function\n$/],
      [`export default { rules: { 'My Rule': { ${RULE}, check() {} } } };\n`, /plugin acme: rule name "My Rule" is not a lower-case id such as "my-rule"\n$/],
    ];
    for (const [source, expected] of cases) assertOneLineError(runCli(['a.yaml'], { cwd: withPlugin(source) }), expected);
  });

  it('a bad plugin name', () => {
    const dir = scratch({ '.kubelint.yaml': `plugins:\n  Acme: ${JSON.stringify(ACME)}\n`, 'a.yaml': daemonSet('a') });
    assertOneLineError(runCli(['a.yaml'], { cwd: dir }), /^kubelint: \.kubelint\.yaml: plugins\.Acme: a plugin name is a lower-case id such as "acme"/);
  });

  it('a rule that throws during check: an internal-error finding naming the plugin, other findings kept', () => {
    const dir = withPlugin(
      [
        'export default { rules: {',
        `  crash: { ${RULE}, check() { throw new Error('cannot read team'); } },`,
        `  fine: { ${RULE}, check(context) { context.report({ messageId: 'm', path: ['kind'] }); } },`,
        '} };',
        '',
      ].join('\n'),
    );
    for (const workers of ['0', '1']) {
      const run = runCli(['a.yaml', '-f', 'json'], { cwd: dir, env: { KUBELINT_WORKERS: workers } });
      assert.equal(run.status, 1);
      const results = json(run);
      assert.deepEqual(findings(results), [
        ['a.yaml', 'acme/crash', 1, 1, 2],
        ['a.yaml', 'acme/fine', 2, 7, 2],
        ['a.yaml', 'daemonset-selector-mismatch', 7, 28, 2],
      ]);
      assert.equal(
        results[0]!.messages[0]!.message,
        'internal error in rule acme/crash: cannot read team. Please report this bug to the authors of plugin acme.',
      );
    }
  });

  it('a plugin rule id that clashes with one already loaded (the API can load a plugin twice)', () => {
    const rules = pluginRules('acme', { rules: { x: { meta: { severity: 'warn', description: 'd', rationale: '', kinds: '*', messages: {} }, check() {} } } });
    const once = extendRegistry(BUILT_IN, rules, { module: 'file:///acme.mjs', plugin: 'acme' });
    assert.ok(once.byId.has('acme/x'));
    assert.throws(
      () => extendRegistry(once, rules, { module: 'file:///acme.mjs', plugin: 'acme' }),
      { name: 'RuleDefinitionError', message: 'plugin acme: rule acme/x clashes with a rule already loaded (is the plugin loaded twice?)' },
    );
  });

  it('a plugins: value that is not a module name', () => {
    const dir = scratch({ '.kubelint.yaml': 'plugins:\n  acme: 3\n', 'a.yaml': daemonSet('a') });
    assertOneLineError(runCli(['a.yaml'], { cwd: dir }), /^kubelint: \.kubelint\.yaml: plugins\.acme: must be a string/);
  });
});
