import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { CONFIG_SCHEMA_PATH } from '../src/config/config.js';
import { RULES } from '../src/index.js';
import type { LintResult } from '../src/types.js';
import { tempDir, writeTree } from './helpers/temp.js';

const NO_TOLERATION = readFileSync(path.join(PROJECT_ROOT, 'fixtures/examples/daemonsets/log-shipper.yaml'), 'utf8');
const TYPO = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndatta: {a: b}\n';
const STATIC_POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  serviceAccountName: a\n  containers: [{name: a, image: a}]\n';

/** A scratch repository: a .git directory marks its root. */
function repo(files: Record<string, string>): string {
  const dir = tempDir('kubelint-config-');
  mkdirSync(path.join(dir, '.git'));
  writeTree(dir, files);
  return dir;
}

function rulesFound(run: { stdout: string }): string[] {
  return (JSON.parse(run.stdout) as LintResult[]).flatMap((r) => r.messages.map((m) => `${path.basename(r.filePath)} ${m.ruleId} ${m.severity}`));
}

describe('configuration', () => {
  it('is found from the working directory upward and sets rule severities', () => {
    const dir = repo({
      '.kubelint.yaml': 'rules:\n  daemonset-selector-mismatch: off\n  daemonset-control-plane-toleration: error\n',
      'apps/agent/ds.yaml': NO_TOLERATION,
    });
    const run = runCli(['ds.yaml', '-f', 'json'], { cwd: path.join(dir, 'apps/agent') });
    assert.deepEqual(rulesFound(run), ['ds.yaml daemonset-control-plane-toleration 2']);
    assert.equal(run.status, 1);
  });

  it('stops at the repository root', () => {
    const outer = repo({ '.kubelint.yaml': 'rules:\n  schema: off\n' });
    const inner = path.join(outer, 'vendor', 'project');
    mkdirSync(path.join(inner, '.git'), { recursive: true });
    writeFileSync(path.join(inner, 'cm.yaml'), TYPO);
    assert.deepEqual(rulesFound(runCli(['cm.yaml', '-f', 'json'], { cwd: inner })), ['cm.yaml schema 2']);
  });

  it('is not taken from above the project: the search stops at package.json, else at the working directory', () => {
    // No .git from the scratch directory up to /: the case where the search used to reach /.
    const outside = tempDir('kubelint-config-above-');
    writeFileSync(path.join(outside, '.kubelint.yaml'), 'rules:\n  schema: off\n');
    const project = path.join(outside, 'project');
    mkdirSync(path.join(project, 'apps'), { recursive: true });
    writeFileSync(path.join(project, 'package.json'), '{}\n');
    writeFileSync(path.join(project, 'apps', 'cm.yaml'), TYPO);
    const fromProject = runCli(['cm.yaml', '-f', 'json', '--debug'], { cwd: path.join(project, 'apps') });
    assert.deepEqual(rulesFound(fromProject), ['cm.yaml schema 2']);
    assert.match(
      fromProject.stderr,
      new RegExp(`^kubelint:debug config: none \\(no \\.kubelint\\.yaml, \\.kubelint\\.yml or \\.kubelint\\.json from ${path.join(project, 'apps')} up to ${project}\\)$`, 'm'),
    );
    // Without package.json the working directory is the limit.
    const loose = path.join(outside, 'loose');
    mkdirSync(loose);
    writeFileSync(path.join(loose, 'cm.yaml'), TYPO);
    assert.deepEqual(rulesFound(runCli(['cm.yaml', '-f', 'json'], { cwd: loose })), ['cm.yaml schema 2']);
    // A configuration inside the project, above the working directory, still applies.
    writeFileSync(path.join(project, '.kubelint.yaml'), 'rules:\n  schema: warn\n');
    const inside = runCli(['cm.yaml', '-f', 'json', '--debug'], { cwd: path.join(project, 'apps') });
    assert.deepEqual(rulesFound(inside), ['cm.yaml schema 1']);
    assert.match(inside.stderr, new RegExp(`^kubelint:debug config: ${path.join(project, '.kubelint.yaml')}$`, 'm'));
  });

  it('--rule wins over the configuration; --config and --no-config choose the file', () => {
    const dir = repo({ '.kubelint.yaml': 'rules:\n  schema: off\n', 'strict.yaml': 'rules:\n  schema: warn\n', 'cm.yaml': TYPO });
    assert.deepEqual(rulesFound(runCli(['cm.yaml', '-f', 'json'], { cwd: dir })), []);
    assert.deepEqual(rulesFound(runCli(['cm.yaml', '-f', 'json', '--rule', 'schema=error'], { cwd: dir })), ['cm.yaml schema 2']);
    assert.deepEqual(rulesFound(runCli(['cm.yaml', '-f', 'json', '--config', 'strict.yaml'], { cwd: dir })), ['cm.yaml schema 1']);
    assert.deepEqual(rulesFound(runCli(['cm.yaml', '-f', 'json', '--no-config'], { cwd: dir })), ['cm.yaml schema 2']);
  });

  it('sets kubernetesVersion, staticPodPaths, ignorePatterns and schema options', () => {
    const dir = repo({
      '.kubelint.yaml': [
        'kubernetesVersion: "1.24"',
        'staticPodPaths: [nodes/*/pods/*]',
        'ignorePatterns: [rendered/, "*.tmpl.yaml"]',
        'rules:',
        '  schema: [error, {strict: false}]',
      ].join('\n'),
      'nodes/edge/pods/vip.yaml': STATIC_POD,
      'rendered/out.yaml': TYPO,
      'deep/x.tmpl.yaml': TYPO,
      'cm.yaml': TYPO,
      'ds.yaml': NO_TOLERATION.replace('tier: node-agent', 'tier: logging'),
    });
    const found = rulesFound(runCli(['.', '-f', 'json'], { cwd: dir }));
    assert.deepEqual(found.sort(), [
      'ds.yaml daemonset-control-plane-toleration 1', // 1.24: both taints
      'ds.yaml daemonset-control-plane-toleration 1',
      'vip.yaml static-pod-api-reference 2',
    ]);
    const message = (JSON.parse(runCli(['vip.yaml', '-f', 'json'], { cwd: path.join(dir, 'nodes/edge/pods') }).stdout) as LintResult[])[0]!.messages[0]!.message;
    assert.match(message, /on Kubernetes 1\.24 the kubelet runs it, but the API server rejects its mirror pod/);
  });

  for (const [name, config, expected] of [
    ['an unknown key', 'rulez: {}\n', /^kubelint: \.kubelint\.yaml: rulez: unknown key \(did you mean "rules"\?\)\n$/],
    ['an unknown rule, with a suggestion', 'rules:\n  schemaa: off\n', /^kubelint: \.kubelint\.yaml: rules\.schemaa: unknown rule \(did you mean "schema"\?\)\n$/],
    ['a bad severity', 'rules:\n  schema: fatal\n', /^kubelint: \.kubelint\.yaml: rules\.schema: must be one of off, warn, error, 0, 1, 2\n$/],
    ['a bad schema option', 'rules:\n  schema: [error, {strikt: true}]\n', /^kubelint: \.kubelint\.yaml: rules\.schema\[1\]\.strikt: unknown key \(did you mean "strict"\?\)\n$/],
    ['a bad version', 'kubernetesVersion: latest\n', /^kubelint: \.kubelint\.yaml: kubernetesVersion: must be a Kubernetes version such as 1\.34, not "latest"\n$/],
    ['a wrong type', 'ignorePatterns: rendered/\n', /^kubelint: \.kubelint\.yaml: ignorePatterns: must be a list, not a string\n$/],
    ['YAML that does not parse', 'rules: [\n', /^kubelint: \.kubelint\.yaml: not valid YAML: /],
  ] as const) {
    it(`rejects ${name} with a one-line error naming the key, exit 2`, () => {
      const dir = repo({ '.kubelint.yaml': config, 'cm.yaml': TYPO });
      const run = runCli(['cm.yaml'], { cwd: dir });
      assert.equal(run.status, 2);
      assert.match(run.stderr, expected);
      assert.equal(run.stdout, '');
    });
  }

  it('rejects a --config that does not exist and a bad --rule', () => {
    assert.match(runCli(['-', '--config', 'nope.yaml']).stderr, /^kubelint: --config: no such file: nope\.yaml\n$/);
    assert.match(runCli(['-', '--rule', 'schema=loud']).stderr, /^kubelint: --rule takes RULE=off\|warn\|error, not "schema=loud"\n$/);
    assert.equal(runCli(['-', '--rule', 'nope=off']).status, 2);
  });

  it('ships a JSON schema that lists exactly the rules kubelint has', () => {
    const schema = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8'));
    assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), RULES.map((rule) => rule.meta.id).sort());
  });
});
