/**
 * kubelint in a real repository (fixtures/platform-repo): package.json, a compose file, a
 * workflow, a Helm chart, kustomize overlays, a static pod directory with an extensionless
 * file, ignored and good and bad manifests. Exactly the manifest problems are reported.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import type { LintResult } from '../src/types.js';

const REPO = path.join(PROJECT_ROOT, 'fixtures', 'platform-repo');
const scratch = mkdtempSync(path.join(tmpdir(), 'kubelint-platform-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const NO_HELM = { KUBELINT_HELM: path.join(scratch, 'no-such-helm') };

/** [file relative to the repo, rule, line, column] of every message. */
function findings(stdout: string): Array<[string, string | null, number, number]> {
  return (JSON.parse(stdout) as LintResult[]).flatMap((result) =>
    result.messages.map((message) => [path.relative(REPO, result.filePath), message.ruleId, message.line, message.column] as [string, string | null, number, number]),
  );
}

const MANIFEST_PROBLEMS: Array<[string, string | null, number, number]> = [
  ['deploy/bad-pull-policy.yaml', 'api-validation', 19, 28],
  ['deploy/typo-kind.yaml', 'schema', 2, 7],
  ['nodes/cp-1/etc/kubernetes/manifests/kube-vip', 'api-validation', 12, 17],
];

describe('a platform repository', () => {
  it('kubelint . reports exactly the manifest problems, and says how to lint the chart', () => {
    const run = runCli(['-f', 'json', '.'], { cwd: REPO, env: NO_HELM });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findings(run.stdout), MANIFEST_PROBLEMS);
    assert.equal(
      run.stderr,
      'kubelint: charts/node-agent is a Helm chart; its templates were not linted (helm is not on PATH). ' +
        'Lint the rendered chart: helm template charts/node-agent | kubelint - --stdin-filename charts/node-agent\n',
    );
  });

  it('the kustomize patch gets no finding for what it leaves out (it names no selector, no containers)', () => {
    const run = runCli(['-f', 'json', 'kustomize/overlays/prod/patch-daemonset.yaml'], { cwd: REPO, env: NO_HELM });
    assert.equal(run.status, 0, run.stdout);
    assert.deepEqual(findings(run.stdout), []);
    // The same file is a broken DaemonSet when no kustomization names it as a patch.
    const alone = path.join(scratch, 'patch-daemonset.yaml');
    copyFileSync(path.join(REPO, 'kustomize/overlays/prod/patch-daemonset.yaml'), alone);
    const broken = runCli(['-f', 'json', alone], { cwd: scratch, env: NO_HELM });
    assert.equal(broken.status, 1);
    assert.deepEqual(
      (JSON.parse(broken.stdout) as LintResult[])[0]!.messages.map((m) => [m.ruleId, m.line, m.column]),
      // No control-plane finding: nothing in it shows a node agent (daemonset-control-plane-toleration's heuristic).
      [['daemonset-selector-mismatch', 7, 1], ['api-validation', 12, 11]],
    );
  });

  it('--debug says what happened to every file', () => {
    const run = runCli(['--debug', '-f', 'json', '.'], { cwd: REPO, env: NO_HELM });
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('kubelint:debug '));
    const about = (file: string) => lines.filter((line) => line.includes(path.join(REPO, file))).map((line) => line.replace(path.join(REPO, file), 'FILE'));
    assert.deepEqual(about('package.json'), ['kubelint:debug skipped FILE: not a manifest, no document in it looks like a Kubernetes object (no apiVersion or kind)']);
    assert.deepEqual(about('charts/node-agent/values.yaml'), ["kubelint:debug skipped FILE: not a manifest, a Helm chart's values file"]);
    assert.deepEqual(about('kustomize/base/kustomization.yaml'), ["kubelint:debug skipped FILE: not a manifest, a kustomization (kustomize's own file, not a Kubernetes object)"]);
    assert.deepEqual(about('schemas/widget-example.com-v1.json'), ['kubelint:debug skipped FILE: not a manifest, a JSON schema from a configured schema directory']);
    assert.deepEqual(about('rendered/out.yaml'), ['kubelint:debug ignored FILE (matches ignore pattern "rendered/")']);
    assert.deepEqual(about('deploy/node-exporter.yaml'), ['kubelint:debug linted FILE']);
    assert.deepEqual(about('nodes/cp-1/etc/kubernetes/manifests/kube-vip'), ['kubelint:debug linted FILE']);
    assert.deepEqual(about('nodes/cp-1/etc/kubernetes/manifests/.kube-vip.yaml.swp'), []);
    assert.ok(lines.includes(`kubelint:debug chart ${path.join(REPO, 'charts/node-agent')}: not rendered (helm is not on PATH)`), lines.join('\n'));
  });

  it('non-manifests named explicitly (as pre-commit names them) are skipped: exit 0, no output', () => {
    const run = runCli(['-f', 'json', 'package.json', 'docker-compose.yml', 'tsconfig.json', 'charts/node-agent/values.yaml', 'charts/node-agent/Chart.yaml', 'kustomize/base/kustomization.yaml'], { cwd: REPO, env: NO_HELM });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), []);
  });

  it('a directory holding no manifest is exit 2, saying what it skipped', () => {
    const dir = path.join(scratch, 'tools');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'package.json'), '{"name": "x"}\n');
    const run = runCli(['.'], { cwd: dir, env: NO_HELM });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^kubelint: no manifests found in \. \(1 file skipped as not manifests or ignored; --debug says why\)\n$/);
  });

  it('an ignored file named explicitly is a warning, exit 0; --no-ignore lints it', () => {
    const run = runCli(['-f', 'json', 'rendered/out.yaml'], { cwd: REPO, env: NO_HELM });
    assert.equal(run.status, 0, run.stderr);
    const [result] = JSON.parse(run.stdout) as LintResult[];
    assert.deepEqual(result!.messages.map((m) => [m.ruleId, m.severity, m.line, m.column, m.message]), [
      [null, 1, 1, 1, 'File ignored because of a matching ignore pattern (rendered/). Use "--no-ignore" to lint it anyway.'],
    ]);
    assert.equal(runCli(['--max-warnings', '0', 'rendered/out.yaml'], { cwd: REPO, env: NO_HELM }).status, 0);
    const linted = runCli(['-f', 'json', '--no-ignore', 'rendered/out.yaml'], { cwd: REPO, env: NO_HELM });
    assert.equal(linted.status, 1);
    assert.deepEqual(findings(linted.stdout), [['rendered/out.yaml', 'schema', 2, 7]]);
  });

  it('--ignore-pattern adds patterns for directory search and for named files', () => {
    const run = runCli(['-f', 'json', '--ignore-pattern', 'deploy/', '--ignore-pattern', 'kube-vip', '.'], { cwd: REPO, env: NO_HELM });
    assert.equal(run.status, 0, run.stdout);
    assert.deepEqual(findings(run.stdout), []);
    const named = runCli(['-f', 'json', '--ignore-pattern', '*.yaml', 'deploy/typo-kind.yaml'], { cwd: REPO, env: NO_HELM });
    assert.equal(named.status, 0);
    assert.match(JSON.parse(named.stdout)[0].messages[0].message, /^File ignored because of a matching ignore pattern \(\*\.yaml\)/);
  });

  it('with helm on PATH, the chart is rendered and findings name the template file', () => {
    const helm = path.join(scratch, 'helm');
    writeFileSync(helm, `#!/bin/sh\n[ "$1" = template ] || exit 3\ncat ${JSON.stringify(path.join(PROJECT_ROOT, 'fixtures/helm/node-agent-rendered.yaml'))}\n`);
    chmodSync(helm, 0o755);
    const run = runCli(['-f', 'json', 'charts'], { cwd: REPO, env: { KUBELINT_HELM: helm } });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stderr, '');
    assert.deepEqual(findings(run.stdout), [
      ['charts/node-agent/templates/daemonset.yaml', 'daemonset-selector-mismatch', 8, 7],
      ['charts/node-agent/templates/daemonset.yaml', 'api-validation', 20, 28],
    ]);
  });

  it('a failing helm template is an error on Chart.yaml with helm\'s reason', () => {
    const helm = path.join(scratch, 'helm-fails');
    writeFileSync(helm, '#!/bin/sh\necho "Error: template: node-agent/templates/daemonset.yaml:4: unexpected EOF" >&2\nexit 1\n');
    chmodSync(helm, 0o755);
    const run = runCli(['-f', 'json', 'charts'], { cwd: REPO, env: { KUBELINT_HELM: helm } });
    assert.equal(run.status, 1);
    const results = JSON.parse(run.stdout) as LintResult[];
    assert.deepEqual(results.map((r) => [path.relative(REPO, r.filePath), r.messages.map((m) => [m.ruleId, m.line, m.column, m.message])]), [
      ['charts/node-agent/Chart.yaml', [[null, 1, 1, 'helm template failed: template: node-agent/templates/daemonset.yaml:4: unexpected EOF.']]],
    ]);
  });

  it('a rendered stream on standard input maps # Source: to the chart named by --stdin-filename', () => {
    const run = runCli(['-f', 'json', '-', '--stdin-filename', 'charts/node-agent'], {
      cwd: REPO,
      stdinFrom: path.join(PROJECT_ROOT, 'fixtures/helm/node-agent-rendered.yaml'),
    });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findings(run.stdout), [
      ['charts/node-agent/templates/daemonset.yaml', 'daemonset-selector-mismatch', 8, 7],
      ['charts/node-agent/templates/daemonset.yaml', 'api-validation', 20, 28],
    ]);
    const bare = runCli(['-f', 'compact', '-'], { cwd: REPO, stdinFrom: path.join(PROJECT_ROOT, 'fixtures/helm/node-agent-rendered.yaml') });
    assert.match(bare.stdout, /^node-agent\/templates\/daemonset\.yaml: line 8, col 7, Error/m);
  });

  it('a non-manifest on standard input is skipped (exit 0)', () => {
    const run = runCli(['-f', 'json', '-', '--stdin-filename', 'package.json'], { input: '{"name": "x", "version": "1.0.0"}\n' });
    assert.equal(run.status, 0);
    assert.deepEqual(JSON.parse(run.stdout), []);
  });
});

describe('.gitignore for files named explicitly', () => {
  it('is read from the file\'s own directories up to the repository root, negations included', () => {
    const repo = path.join(scratch, 'gitignored');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    mkdirSync(path.join(repo, 'deploy', 'generated'), { recursive: true });
    const manifest = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n';
    writeFileSync(path.join(repo, '.gitignore'), '# generated output\ngenerated/\n');
    writeFileSync(path.join(repo, 'deploy', '.gitignore'), '*.local.yaml\n!keep.local.yaml\n');
    for (const name of ['generated/a.yaml', 'x.local.yaml', 'keep.local.yaml', 'b.yaml']) writeFileSync(path.join(repo, 'deploy', name), manifest);
    const run = runCli(['-f', 'json', 'deploy/generated/a.yaml', 'deploy/x.local.yaml', 'deploy/keep.local.yaml', 'deploy/b.yaml'], { cwd: repo, env: NO_HELM });
    assert.equal(run.status, 0, run.stderr);
    const warned = (JSON.parse(run.stdout) as LintResult[]).map((result) => [path.relative(repo, result.filePath), result.messages.map((m) => m.message.replace(/ \(.*$/, ''))]);
    assert.deepEqual(warned, [
      ['deploy/b.yaml', []],
      ['deploy/generated/a.yaml', ['File ignored because of a matching ignore pattern']],
      ['deploy/keep.local.yaml', []],
      ['deploy/x.local.yaml', ['File ignored because of a matching ignore pattern']],
    ]);
  });
});
