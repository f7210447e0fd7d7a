import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PROJECT_ROOT } from './helpers/cli.js';
import { ConfigError, RULES, UsageError, format, lint } from '../src/index.js';

describe('library API', () => {
  it('lints paths with the same engine as the CLI', async () => {
    const results = await lint({ paths: ['fixtures/examples/daemonsets'], cwd: PROJECT_ROOT });
    assert.deepEqual(
      results.map((r) => [path.basename(r.filePath), r.errorCount, r.warningCount]),
      [['cni-agent.yaml', 0, 0], ['log-shipper.yaml', 1, 1], ['metrics-agent.yaml', 4, 0], ['node-exporter.yaml', 0, 1]],
    );
  });

  it('lints text, named by filePath, with options', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  serviceAccountName: a\n  containers: [{name: a, image: a}]\n';
    const [result] = await lint({ text, filePath: 'etc/kubernetes/manifests/a.yaml', cwd: PROJECT_ROOT, config: false, kubeVersion: '1.33' });
    assert.equal(result!.filePath, path.join(PROJECT_ROOT, 'etc/kubernetes/manifests/a.yaml'));
    assert.deepEqual(result!.messages.map((m) => [m.ruleId, m.messageId, m.line, m.column]), [['static-pod-api-reference', 'mirrorRejected', 5, 3]]);
    const [off] = await lint({ text, filePath: 'etc/kubernetes/manifests/a.yaml', cwd: PROJECT_ROOT, rules: { 'static-pod-api-reference': 'off' } });
    assert.deepEqual(off!.messages, []);
  });

  it('formats results in every CLI format', async () => {
    const results = await lint({ paths: ['fixtures/examples/daemonsets/log-shipper.yaml'], cwd: PROJECT_ROOT });
    assert.match(format(results, 'compact', PROJECT_ROOT), /line 14, col 7, Error/);
    assert.equal(JSON.parse(format(results, 'sarif', PROJECT_ROOT)).runs[0].results.length, 2);
    assert.throws(() => format(results, 'xml'), /unknown format "xml"/);
  });

  it('rejects unusable input with typed errors', async () => {
    await assert.rejects(lint({ paths: ['no/such/path'], cwd: PROJECT_ROOT }), UsageError);
    await assert.rejects(lint({ text: '', config: 'missing.yaml', cwd: PROJECT_ROOT }), ConfigError);
    assert.ok(RULES.length >= 10);
  });
});
