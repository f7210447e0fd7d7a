/**
 * Choosing what --fix applies: --fix-type (ESLint's: rule types, a comma list, repeatable)
 * and the configuration's `fix.exclude` (rules whose fixes are never applied; their edit
 * is offered as a suggestion instead). Both with --fix and --fix-dry-run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/temp.js';

/**
 * Two fixes of `problem` rules (deprecated-api-version, then schema's YAML 1.1 quoting, which
 * the schema rule finds once the object has a served apiVersion) and one of a `layout` plugin rule.
 */
const INPUT = `apiVersion: extensions/v1beta1 # old
kind: DaemonSet
metadata:
  name: agent   # the name
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
        - name: agent
          image: agent:1.0
          env:
            - {name: DEBUG, value: off} # YAML 1.1
`;
const API_FIXED = INPUT.replace('extensions/v1beta1 # old', 'apps/v1 # old');
const NAMED = INPUT.replace('name: agent   # the name', 'name: "agent"   # the name');

/** A plugin rule of type layout: quotes metadata.name (harmless, so a test can watch it). */
const PLUGIN = `
const rule = {
  meta: {
    id: 'quote-name', type: 'layout', severity: 'warn', kinds: ['DaemonSet'],
    description: 'Names are quoted.', rationale: 'House style.',
    messages: { plain: 'metadata.name is not quoted.' },
  },
  check(context) {
    if (context.sourceText(['metadata', 'name'])?.startsWith('"')) return;
    context.report({
      messageId: 'plain', path: ['metadata', 'name'], target: 'value',
      fix: (fixer) => {
        const node = fixer.node(['metadata', 'name']);
        return fixer.replace([node.range[0] + fixer.offset, node.range[1] + fixer.offset], '"' + node.value + '"');
      },
    });
  },
};
export default { rules: { 'quote-name': rule } };
`;

function project(config = 'plugins:\n  house: ./house.mjs\n'): { dir: string; file: string } {
  const dir = tempDir('kubelint-fix-type-');
  writeFileSync(path.join(dir, 'house.mjs'), PLUGIN);
  writeFileSync(path.join(dir, '.kubelint.yaml'), config);
  const file = path.join(dir, 'ds.yaml');
  writeFileSync(file, INPUT);
  return { dir, file };
}

const all = (text: string) => text.replace('extensions/v1beta1 # old', 'apps/v1 # old').replace('value: off}', 'value: "off"}').replace('name: agent   #', 'name: "agent"   #');

describe('--fix-type', () => {
  it('with the three fixable rules as a baseline: --fix applies all of them', () => {
    const { dir, file } = project();
    const run = runCli(['--fix', 'ds.yaml'], { cwd: dir });
    assert.equal(readFileSync(file, 'utf8'), all(INPUT));
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });

  it('problem: only the fixes of problem rules; the layout finding stays, still fixable', () => {
    const { dir, file } = project();
    const run = runCli(['--fix', '--fix-type', 'problem', 'ds.yaml'], { cwd: dir });
    assert.equal(readFileSync(file, 'utf8'), API_FIXED.replace('value: off}', 'value: "off"}'));
    assert.match(run.stdout, /4:9\s+warning\s+metadata\.name is not quoted\./);
    assert.match(run.stdout, /1 problem fixable with --fix/);
    assert.equal(run.status, 0);
  });

  it('layout (with --fix-dry-run): only the plugin rule\'s fix, in the JSON output; nothing written', () => {
    const { dir, file } = project();
    const run = runCli(['--fix-dry-run', '--fix-type', 'layout', '-f', 'json', 'ds.yaml'], { cwd: dir });
    assert.equal(readFileSync(file, 'utf8'), INPUT);
    const [result] = JSON.parse(run.stdout) as Array<{ output?: string; messages: Array<{ ruleId: string; fix?: unknown }> }>;
    assert.equal(result!.output, NAMED);
    // What --fix-type left is reported with its fix, as ESLint does.
    assert.deepEqual(result!.messages.map((message) => [message.ruleId, 'fix' in message]), [['deprecated-api-version', true]]);
    assert.equal(run.status, 1);
  });

  it('a comma list and repeated options add up', () => {
    for (const args of [['--fix-type', 'layout,problem'], ['--fix-type', 'layout', '--fix-type', 'problem']]) {
      const { dir, file } = project();
      runCli(['--fix', ...args, 'ds.yaml'], { cwd: dir });
      assert.equal(readFileSync(file, 'utf8'), all(INPUT), args.join(' '));
    }
  });

  it('suggestion: no rule of that type has a fix here, nothing changes', () => {
    const { dir, file } = project();
    const run = runCli(['--fix', '--fix-type', 'suggestion', 'ds.yaml'], { cwd: dir });
    assert.equal(readFileSync(file, 'utf8'), INPUT);
    assert.match(run.stdout, /2 problems fixable with --fix/);
    assert.equal(run.status, 1);
  });

  it('with standard input and --fix-dry-run, the fixed text is that of the chosen types', () => {
    const { dir } = project();
    const run = runCli(['--fix-dry-run', '--fix-type', 'problem', '-'], { cwd: dir, input: INPUT });
    assert.equal(run.stdout, all(INPUT).replace('name: "agent"', 'name: agent'));
  });

  it('an unknown type is a usage error with a did-you-mean; without --fix it is one too', () => {
    const { dir } = project();
    const typo = runCli(['--fix', '--fix-type', 'problem,layuot', 'ds.yaml'], { cwd: dir });
    assert.equal(typo.status, 2);
    assert.equal(typo.stderr, 'kubelint: --fix-type takes problem, suggestion, layout (comma-separated), not "layuot" (did you mean layout?)\n');
    const alone = runCli(['--fix-type', 'problem', 'ds.yaml'], { cwd: dir });
    assert.equal(alone.status, 2);
    assert.equal(alone.stderr, 'kubelint: --fix-type goes with --fix or --fix-dry-run\n');
  });

  it('--list-rules --format json gives each rule\'s type', () => {
    const { dir } = project();
    const rules = JSON.parse(runCli(['--list-rules', '-f', 'json'], { cwd: dir }).stdout) as Array<{ id: string; type?: string }>;
    const type = (id: string) => rules.find((rule) => rule.id === id)?.type;
    assert.deepEqual([type('schema'), type('best-effort-node-agent'), type('unused-suppression'), type('house/quote-name')], ['problem', 'suggestion', 'layout', 'layout']);
  });
});

describe('fix.exclude in the configuration', () => {
  const excluding = (ids: string) => `plugins:\n  house: ./house.mjs\nfix:\n  exclude: [${ids}]\n`;

  it('--fix leaves the excluded rules\' findings (not fixable), and fixes the rest', () => {
    const { dir, file } = project(excluding('schema, house/quote-name'));
    const run = runCli(['--fix', 'ds.yaml'], { cwd: dir });
    assert.equal(readFileSync(file, 'utf8'), API_FIXED);
    assert.match(run.stdout, /4:9\s+warning\s+metadata\.name is not quoted\./);
    assert.match(run.stdout, /16:36\s+error\s+value must be a string, but unquoted off is the boolean false in YAML 1\.1/);
    assert.doesNotMatch(run.stdout, /fixable/);
    assert.equal(run.status, 1);
  });

  it('--fix-dry-run: the excluded fix becomes the finding\'s first suggestion, the same edit', () => {
    const { dir, file } = project(excluding('deprecated-api-version'));
    const run = runCli(['--fix-dry-run', '-f', 'json', 'ds.yaml'], { cwd: dir });
    assert.equal(readFileSync(file, 'utf8'), INPUT);
    // The schema rule sees the value only once apiVersion is served: it stays as written.
    const [result] = JSON.parse(run.stdout) as Array<{ output?: string; messages: Array<{ ruleId: string; fix?: unknown; suggestions?: Array<{ desc: string; fix: { range: [number, number]; text: string } }> }> }>;
    assert.equal(result!.output, NAMED);
    const [message] = result!.messages;
    assert.equal(message!.ruleId, 'deprecated-api-version');
    assert.equal('fix' in message!, false);
    assert.equal(message!.suggestions!.length, 1);
    assert.equal(message!.suggestions![0]!.desc, 'Apply the fix of deprecated-api-version (the configuration excludes it from --fix)');
    const { range, text } = message!.suggestions![0]!.fix;
    assert.equal(INPUT.slice(0, range[0]) + text + INPUT.slice(range[1]), API_FIXED);
  });

  it('an unknown rule is a one-line error with a did-you-mean (built-in and plugin ids)', () => {
    const builtIn = runCli(['ds.yaml'], { cwd: project(excluding('deprecated-api-versoin')).dir });
    assert.equal(builtIn.status, 2);
    assert.equal(builtIn.stderr, 'kubelint: .kubelint.yaml: fix.exclude[0]: unknown rule "deprecated-api-versoin" (did you mean "deprecated-api-version"?)\n');
    const plugin = runCli(['ds.yaml'], { cwd: project(excluding('schema, house/quote-nam')).dir });
    assert.equal(plugin.status, 2);
    assert.equal(plugin.stderr, 'kubelint: .kubelint.yaml: fix.exclude[1]: unknown rule "house/quote-nam" (did you mean "house/quote-name"?)\n');
    const notAList = runCli(['ds.yaml'], { cwd: project('fix:\n  exclude: schema\n').dir });
    assert.equal(notAList.status, 2);
    assert.equal(notAList.stderr, 'kubelint: .kubelint.yaml: fix.exclude: must be a list, not a string\n');
    const unknownKey = runCli(['ds.yaml'], { cwd: project('fix:\n  exclud: [schema]\n').dir });
    assert.equal(unknownKey.stderr, 'kubelint: .kubelint.yaml: fix.exclud: unknown key (did you mean "exclude"?)\n');
  });
});
