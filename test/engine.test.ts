import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintCase } from './helpers/rule-tester.js';
import { parseManifests } from '../src/parse/parse.js';

const MISMATCH = 'daemonset-selector-mismatch';

describe('engine', () => {
  it('places findings in JSON input at the JSON key', () => {
    const code = [
      '{',
      '  "apiVersion": "apps/v1",',
      '  "kind": "DaemonSet",',
      '  "metadata": {"name": "a"},',
      '  "spec": {',
      '    "selector": {"matchLabels": {"app": "a"}},',
      '    "template": {',
      '      "metadata": {"labels": {"app": "b"}},',
      '      "spec": {"tolerations": [{"operator": "Exists"}], "containers": [{"name": "a", "image": "a"}]}',
      '    }',
      '  }',
      '}',
    ].join('\n');
    const found = lintCase({ name: 'json', filename: 'ds.json', code });
    assert.deepEqual(
      found.map((m) => [m.ruleId, m.line, m.column, m.endColumn]),
      [[MISMATCH, 6, 34, 39]],
    );
  });

  it('reports absolute lines in the third document of a stream, with comments between', () => {
    const ds = (label: string) =>
      `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: ${label}}}\n    spec: {tolerations: [{operator: Exists}], containers: [{name: a, image: a}]}\n`;
    const code = `${ds('x')}---\n# second\n${ds('x')}---\n\n${ds('other')}`;
    const found = lintCase({ name: 'multi', code });
    assert.deepEqual(found.map((m) => [m.ruleId, m.line, m.column]), [[MISMATCH, 25, 28]]);
  });

  it('keeps positions right with a byte order mark and CRLF line endings', () => {
    const code = '\ufeffapiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\n  name: b\r\n';
    const found = lintCase({ name: 'crlf', code });
    assert.deepEqual(found.map((m) => [m.ruleId, m.line, m.column, m.endColumn]), [['yaml-syntax', 5, 3, 7]]);
  });

  it('decodes scalars as YAML 1.1, the way Kubernetes does', () => {
    const [doc] = parseManifests('a: yes\nb: off\nc: 0644\nd: 1:20\ne: 2024-01-02\nf: y\ng: "yes"\n').documents;
    assert.deepEqual(doc!.value, { a: true, b: false, c: 420, d: '1:20', e: '2024-01-02', f: true, g: 'yes' });
  });

  it('follows aliases and merge keys to the place a value is written', () => {
    const code = [
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata: {name: x}',
      'spec:',
      '  selector:',
      '    matchLabels: &labels',
      '      app: x',
      '  template:',
      '    metadata:',
      '      labels:',
      '        <<: *labels',
      '        app: other',
      '    spec: {tolerations: [{operator: Exists}], containers: [{name: a, image: a}]}',
    ].join('\n');
    const found = lintCase({ name: 'alias', code });
    assert.deepEqual(found.map((m) => [m.ruleId, m.line, m.column]), [[MISMATCH, 7, 7]]);
    assert.deepEqual(found[0]!.relatedLocations?.map((r) => [r.line, r.column]), [[10, 7]]);
  });

  it('bounds alias expansion: a billion-laughs document is reported, not expanded', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const found = lintCase({ name: 'bomb', code: `${levels.join('\n')}\n` });
    assert.ok(Date.now() - started < 5000);
    assert.equal(found.length, 1);
    assert.equal(found[0]!.ruleId, 'yaml-syntax');
    assert.match(found[0]!.message, /alias bomb/);
  });

  it('never throws on deeply nested input', () => {
    const depth = 20000;
    const code = `${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    const found = lintCase({ name: 'deep', code });
    assert.ok(found.every((m) => m.line >= 1 && m.column >= 1));
  });
});

describe('toSourceRange', () => {
  it('trims only YAML white space from the end of a range: a trailing no-break space is part of the value', async () => {
    const { toSourceRange } = await import('../src/positions/positions.js');
    const { LineCounter } = await import('yaml');
    const text = 'a: b\u00a0 \n';
    const counter = new LineCounter();
    counter.addNewLine(0);
    counter.addNewLine(text.indexOf('\n') + 1);
    assert.deepEqual(toSourceRange(text, counter, 3, 7), { line: 1, column: 4, endLine: 1, endColumn: 6 });
  });
});
