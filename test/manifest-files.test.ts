/** What is a manifest, Helm's rendered-stream mapping and kustomize patch files, as units. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { looksLikeKubernetesObject, toolFileReason } from '../src/discover/manifest-files.js';
import { splitRenderedSources, templatePath } from '../src/discover/helm.js';
import { patchFilesOf } from '../src/discover/kustomize.js';
import { tempDir } from './helpers/temp.js';

describe('looksLikeKubernetesObject', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['a complete object', { apiVersion: 'v1', kind: 'Pod' }, true],
    ['apiVersion alone (an incomplete manifest)', { apiVersion: 'apps/v1' }, true],
    ['kind alone', { kind: 'DaemonSet' }, true],
    ['metadata plus spec', { metadata: { name: 'a' }, spec: {} }, true],
    ['a list of objects (kubectl wants kind: List)', [{ apiVersion: 'v1', kind: 'Pod' }], true],
    ['package.json', { name: 'x', version: '1.0.0', scripts: {} }, false],
    ['a compose file', { services: { web: { image: 'nginx' } } }, false],
    ['Helm values', { image: { repository: 'x' }, metadata: { a: 1 } }, false],
    ['a JSON patch (list of operations)', [{ op: 'replace', path: '/spec', value: 1 }], false],
    ['a plain string', 'text', false],
    ['null', null, false],
  ];
  for (const [name, value, expected] of cases) it(name, () => assert.equal(looksLikeKubernetesObject(value), expected));
});

describe('toolFileReason', () => {
  const root = tempDir('kubelint-names-');
  const chart = path.join(root, 'charts', 'agent');
  mkdirSync(path.join(chart, 'templates'), { recursive: true });
  writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: agent\nversion: 0.1.0\n');
  const context = { root, schemaDirs: [path.join(root, 'schemas')] };
  const cases: Array<[string, string | undefined]> = [
    ['kustomization.yaml', 'kustomization'],
    ['overlays/prod/kustomization.yml', 'kustomization'],
    ['Kustomization', 'kustomization'],
    ['.kubelint.yaml', 'kubelint-config'],
    ['.pre-commit-config.yaml', 'pre-commit-config'],
    ['.pre-commit-hooks.yaml', 'pre-commit-config'],
    ['schemas/widget-example.com-v1.json', 'json-schema'],
    ['charts/agent/Chart.yaml', 'helm-chart-file'],
    ['charts/agent/Chart.lock', 'helm-chart-file'],
    ['charts/agent/values.yaml', 'helm-values'],
    ['charts/agent/values-prod.yaml', 'helm-values'],
    ['charts/agent/templates/daemonset.yaml', 'helm-template'],
    ['deploy/values.yaml', undefined],
    ['charts/agent/crds/widget.yaml', undefined],
    ['deploy/daemonset.yaml', undefined],
  ];
  for (const [file, expected] of cases) {
    it(`${file} → ${expected ?? 'a candidate manifest'}`, () => assert.equal(toolFileReason(path.join(root, file), context), expected));
  }
  it('cleans up', () => rmSync(root, { recursive: true, force: true }));
});

describe('splitRenderedSources (helm template output)', () => {
  // helm template writes "---\n# Source: CHART/templates/FILE\n" before every document.
  const stream = [
    '---',
    '# Source: agent/templates/serviceaccount.yaml',
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata: {name: agent}',
    '---',
    '# Source: agent/templates/daemonset.yaml',
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    '---',
    '# Source: agent/templates/daemonset.yaml',
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    '',
  ].join('\n');

  it('groups consecutive documents by template, each slice starting after its Source line', () => {
    const slices = splitRenderedSources(stream);
    assert.deepEqual(
      slices.map((slice) => [slice.source, slice.text]),
      [
        ['agent/templates/serviceaccount.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: agent}\n'],
        [
          'agent/templates/daemonset.yaml',
          'apiVersion: apps/v1\nkind: DaemonSet\n---\n# Source: agent/templates/daemonset.yaml\napiVersion: apps/v1\nkind: DaemonSet\n',
        ],
      ],
    );
    for (const slice of slices) assert.equal(stream.slice(slice.offset, slice.offset + slice.text.length), slice.text);
  });

  it('keeps a stream without Source comments whole', () => {
    const plain = 'apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Pod\n';
    assert.deepEqual(splitRenderedSources(plain), [{ source: undefined, text: plain, offset: 0 }]);
  });

  it('keeps what comes before the first Source comment as its own slice', () => {
    const slices = splitRenderedSources('apiVersion: v1\nkind: Pod\n---\n# Source: a/templates/x.yaml\nkind: Pod\n');
    assert.deepEqual(slices.map((slice) => [slice.source, slice.text]), [
      [undefined, 'apiVersion: v1\nkind: Pod\n'],
      ['a/templates/x.yaml', 'kind: Pod\n'],
    ]);
  });

  it('handles CRLF and a Source comment that is not after a document marker (left as a comment)', () => {
    const slices = splitRenderedSources('---\r\n# Source: a/templates/x.yaml\r\nkind: Pod\r\n# Source: a/templates/y.yaml\r\n');
    assert.deepEqual(slices.map((slice) => slice.source), ['a/templates/x.yaml']);
  });

  it('maps a Source path into the chart directory (helm names it by the chart name)', () => {
    assert.equal(templatePath('agent/templates/ds.yaml', 'charts/node-agent'), path.join('charts/node-agent', 'templates', 'ds.yaml'));
    assert.equal(templatePath('agent/charts/sub/templates/ds.yaml', 'c'), path.join('c', 'charts', 'sub', 'templates', 'ds.yaml'));
    assert.equal(templatePath('agent/templates/ds.yaml', undefined), 'agent/templates/ds.yaml');
  });
});

describe('patchFilesOf (kustomize)', () => {
  it('lists patches, patchesStrategicMerge files and JSON 6902 patches, not inline or remote ones', () => {
    const dir = tempDir('kubelint-kustomize-');
    const file = path.join(dir, 'kustomization.yaml');
    writeFileSync(
      file,
      [
        'patches:',
        '  - path: a.yaml',
        '  - patch: |-',
        '      - op: remove',
        'patchesStrategicMerge:',
        '  - b.yaml',
        '  - |-',
        '    apiVersion: apps/v1',
        'patchesJson6902:',
        '  - path: c.yaml',
        '  - path: https://example.com/d.yaml',
        '',
      ].join('\n'),
    );
    assert.deepEqual(patchFilesOf(file), ['a.yaml', 'c.yaml', 'b.yaml'].map((name) => path.join(dir, name)));
    writeFileSync(file, ': : not yaml [');
    assert.deepEqual(patchFilesOf(file), []);
    rmSync(dir, { recursive: true, force: true });
  });
});
