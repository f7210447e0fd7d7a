/** --kube-version / kubernetesVersion outside the bundled range, and --schema-missing, through the built CLI. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/temp.js';

const TYPO = 'apiVersion: apps/v1\nkind: DaemonSett\nmetadata: {name: x}\n';
const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n';

function scratch(files: Record<string, string>): string {
  const dir = tempDir('kubelint-version-');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('--kube-version outside the bundled range', () => {
  for (const format of ['friendly', 'compact', 'json', 'github', 'sarif']) {
    it(`uses the nearest bundled minor and says so once on stderr (${format})`, () => {
      const run = runCli(['-', '--kube-version', '1.37', '-f', format], { input: TYPO });
      assert.equal(run.stderr, 'kubelint: Kubernetes 1.37 is not bundled; checking against 1.36, the nearest bundled version\n');
      // Schemas are not skipped: the kind typo is found against 1.36.
      assert.equal(run.status, 1);
      assert.match(run.stdout, /DaemonSett/);
    });
  }
  it('clamps an older version up to the oldest bundled one', () => {
    const run = runCli(['-', '--kube-version', '1.23'], { input: TYPO });
    assert.equal(run.stderr, 'kubelint: Kubernetes 1.23 is not bundled; checking against 1.28, the nearest bundled version\n');
    assert.equal(run.status, 1);
  });
  it('says nothing for a bundled version', () => {
    assert.equal(runCli(['-', '--kube-version', '1.30'], { input: WIDGET }).stderr, '');
  });
  for (const [version, error] of [
    ['1.15', 'kubelint: --kube-version: Kubernetes 1.15 is not supported; kubelint checks 1.16 and later\n'],
    ['1.x', 'kubelint: --kube-version takes a version like 1.36, not "1.x"\n'],
    ['2.0', 'kubelint: --kube-version takes a version like 1.36, not "2.0"\n'],
  ]) {
    it(`exits 2 with one line for ${version}`, () => {
      const run = runCli(['-', '--kube-version', version!], { input: WIDGET });
      assert.equal(run.status, 2);
      assert.equal(run.stderr, error);
      assert.equal(run.stdout, '');
    });
  }
  it('applies the same to kubernetesVersion in the configuration', () => {
    const newer = scratch({ '.kubelint.yaml': 'kubernetesVersion: "1.40"\n', 'a.yaml': WIDGET });
    const run = runCli(['a.yaml'], { cwd: newer });
    assert.equal(run.status, 0);
    assert.equal(run.stderr, 'kubelint: Kubernetes 1.40 is not bundled; checking against 1.36, the nearest bundled version\n');
    const old = scratch({ '.kubelint.yaml': 'kubernetesVersion: "1.14"\n', 'a.yaml': WIDGET });
    const failed = runCli(['a.yaml'], { cwd: old });
    assert.equal(failed.status, 2);
    assert.equal(failed.stderr, 'kubelint: .kubelint.yaml: kubernetesVersion: Kubernetes 1.14 is not supported; kubelint checks 1.16 and later\n');
  });
});

describe('--schema-missing', () => {
  const compact = (args: string[], cwd?: string) => runCli(['-', '-f', 'compact', ...args], { input: WIDGET, ...(cwd ? { cwd } : {}) });
  it('is off by default', () => {
    const run = compact([]);
    assert.equal(run.status, 0);
    assert.doesNotMatch(run.stdout, /schema-missing/);
  });
  it('warn: a warning at the kind, exit 0', () => {
    const run = compact(['--schema-missing', 'warn']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /line 2, col 7, Warning - example\.com\/v1 Widget has no schema.*\(schema-missing\)/);
  });
  it('error: an error, exit 1', () => {
    const run = compact(['--schema-missing', 'error']);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /line 2, col 7, Error - .*\(schema-missing\)/);
  });
  it('off, and a bad mode is exit 2', () => {
    assert.equal(compact(['--schema-missing', 'off']).stdout.includes('schema-missing'), false);
    const bad = compact(['--schema-missing', 'loud']);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, 'kubelint: --schema-missing takes off, warn or error, not "loud"\n');
  });
  it('schemaMissing in the configuration; --schema-missing wins over it', () => {
    const dir = scratch({ '.kubelint.yaml': 'schemaMissing: error\n' });
    assert.equal(compact([], dir).status, 1);
    assert.equal(compact(['--schema-missing', 'off'], dir).status, 0);
    const bad = scratch({ '.kubelint.yaml': 'schemaMissing: maybe\n' });
    assert.equal(compact([], bad).status, 2);
  });
  it('a --schema-dir schema counts as a schema', () => {
    const certificate = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c}\nspec: {secretName: s, dnsNames: [a]}\n';
    const run = runCli(['-', '--schema-dir', 'fixtures/schemas', '--schema-missing', 'error'], { input: certificate });
    assert.equal(run.status, 0, run.stdout);
  });
  it('JSON results carry notSchemaValidated', () => {
    const run = runCli(['-', '-f', 'json'], { input: WIDGET });
    assert.deepEqual(JSON.parse(run.stdout)[0].notSchemaValidated, { 'example.com/v1 Widget': 1 });
  });
});
