import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './helpers/lsp-client.js';
import { tempDir } from './helpers/temp.js';
import { agentDaemonSet } from './helpers/manifests.js';
import { PROJECT_ROOT } from './helpers/cli.js';

const BAD = agentDaemonSet({ value: 'no' });

async function started(dir: string): Promise<LspClient> {
  const client = new LspClient(dir);
  const init = await client.request('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {}, workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'w' }] });
  assert.equal(init.capabilities.textDocumentSync.change, 2);
  assert.deepEqual(init.capabilities.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.kubelint']);
  client.notify('initialized', {});
  return client;
}

/** Runs `body` with a started server; a failing assertion still ends the server, so the test file ends. */
async function withServer(dir: string, body: (client: LspClient) => Promise<void>): Promise<void> {
  const client = await started(dir);
  try {
    await body(client);
  } finally {
    if (client.child.exitCode === null) client.child.kill();
  }
}

async function stopped(client: LspClient): Promise<void> {
  assert.equal(await client.request('shutdown', null), null);
  client.notify('exit', null);
  assert.equal(await client.exited, 0);
}

describe('kubelint-language-server --stdio (JSON-RPC)', () => {
  it('publishes diagnostics on open and change, offers fixes and disables, and exits cleanly', async () => {
    const dir = tempDir('kubelint-lsp-');
    const uri = pathToFileURL(path.join(dir, 'ds.yaml')).href;
    await withServer(dir, async (client) => {
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: BAD } });
    const opened = await client.diagnostics(uri, 1);
    assert.deepEqual(opened.params.diagnostics, [
      {
        range: { start: { line: 17, character: 21 }, end: { line: 17, character: 23 } },
        severity: 1,
        code: 'schema',
        codeDescription: { href: 'https://github.com/kubelint/kubelint/blob/main/docs/rules/schema.md' },
        source: 'kubelint',
        message: opened.params.diagnostics[0].message,
      },
    ]);
    assert.match(opened.params.diagnostics[0].message, /unquoted no is the boolean false/);

    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 17, character: 21 }, end: { line: 17, character: 21 } },
      context: { diagnostics: opened.params.diagnostics },
    });
    assert.deepEqual(actions.map((action: any) => [action.title, action.kind]), [
      ['Fix all kubelint problems that can be fixed', 'source.fixAll.kubelint'],
      ['Fix this schema problem', 'quickfix'],
      ['Disable schema for this line', 'quickfix'],
    ]);
    assert.deepEqual(actions[1].edit.changes[uri], [{ range: { start: { line: 17, character: 21 }, end: { line: 17, character: 23 } }, newText: '"no"' }]);
    assert.deepEqual(actions[2].edit.changes[uri], [
      { range: { start: { line: 17, character: 0 }, end: { line: 17, character: 0 } }, newText: '              # kubelint-disable-next-line schema -- \n' },
    ]);

    // An incremental change that quotes the value: the diagnostics go away.
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 17, character: 21 }, end: { line: 17, character: 23 } }, text: '"no"' }],
    });
    const changed = await client.diagnostics(uri, 2);
    assert.deepEqual(changed.params.diagnostics, []);
    await stopped(client);
    });
  });

  it('honours the folder\'s .kubelint.yaml, detects static pods from the path, and survives any text', async () => {
    const dir = tempDir('kubelint-lsp-config-');
    writeFileSync(path.join(dir, '.kubelint.yaml'), 'rules:\n  schema: warn\n');
    const uri = pathToFileURL(path.join(dir, 'ds.yaml')).href;
    await withServer(dir, async (client) => {
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: BAD } });
    const opened = await client.diagnostics(uri, 1);
    assert.deepEqual(opened.params.diagnostics.map((d: any) => [d.code, d.severity]), [['schema', 2]]);

    const podUri = pathToFileURL(path.join(dir, 'etc/kubernetes/manifests/pod.yaml')).href;
    client.notify('textDocument/didOpen', {
      textDocument: { uri: podUri, languageId: 'yaml', version: 1, text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: c}]\n  serviceAccountName: s\n' },
    });
    const pod = await client.diagnostics(podUri, 1);
    assert.ok(pod.params.diagnostics.some((d: any) => String(d.code).startsWith('static-pod')), JSON.stringify(pod.params.diagnostics));

    // Half-typed text, one version after another: every one gets diagnostics, none crashes the server.
    const texts = ['a: [', '{', '- - -', '\t\u0000', 'apiVersion: apps/v1\nkind: DaemonSet\nspec: {template: [', '"\\u', '&a [*a, *a]', '---\n---\n...'];
    for (const [index, text] of texts.entries()) {
      client.notify('textDocument/didChange', { textDocument: { uri, version: index + 2 }, contentChanges: [{ text }] });
    }
    const last = await client.diagnostics(uri, texts.length + 1);
    assert.ok(Array.isArray(last.params.diagnostics));
    await stopped(client);
    });
  });

  it('takes a plugin rule\'s meta from the folder\'s configuration: its docs link, its severity, its disable action', async () => {
    const dir = tempDir('kubelint-lsp-plugin-');
    const fixture = path.join(PROJECT_ROOT, 'fixtures', 'plugins');
    copyFileSync(path.join(fixture, 'acme-plugin.mjs'), path.join(dir, 'acme-plugin.mjs'));
    copyFileSync(path.join(fixture, '.kubelint.yaml'), path.join(dir, '.kubelint.yaml'));
    mkdirSync(path.join(dir, 'manifests'));
    mkdirSync(path.join(dir, '.git')); // the repository root: the configuration is looked for up to it
    const uri = pathToFileURL(path.join(dir, 'manifests', 'node-agent.yaml')).href;
    await withServer(dir, async (client) => {
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(path.join(fixture, 'manifests', 'node-agent.yaml'), 'utf8') } });
    const opened = await client.diagnostics(uri, 1);
    assert.deepEqual(opened.params.diagnostics.map((d: any) => [d.code, d.severity, d.range.start, d.codeDescription]), [
      ['acme/priority-class', 1, { line: 11, character: 4 }, { href: 'https://example.com/acme/kubelint/priority-class' }],
    ]);
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri },
      range: opened.params.diagnostics[0].range,
      context: { diagnostics: opened.params.diagnostics, only: ['quickfix'] },
    });
    assert.deepEqual(actions.map((action: any) => [action.title, action.diagnostics[0].codeDescription]), [
      ['Disable acme/priority-class for this line', { href: 'https://example.com/acme/kubelint/priority-class' }],
    ]);
    await stopped(client);
    });
  });

  it('places findings on the protocol\'s lines when a lone \\r ends one (kubelint\'s lines end at \\n only)', async () => {
    const dir = tempDir('kubelint-lsp-cr-');
    const uri = pathToFileURL(path.join(dir, 'ds.yaml')).href;
    await withServer(dir, async (client) => {
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: agentDaemonSet({ header: '# agent\r# a line to the editor', value: 'no' }) } });
    const opened = await client.diagnostics(uri, 1);
    // Line 17 to kubelint, 18 to the editor: the finding stays on `value: no`.
    assert.deepEqual(opened.params.diagnostics.map((d: any) => [d.code, d.range]), [['schema', { start: { line: 18, character: 21 }, end: { line: 18, character: 23 } }]]);
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: opened.params.diagnostics[0].range, context: { diagnostics: opened.params.diagnostics, only: ['quickfix'] } });
    assert.deepEqual(actions[0].edit.changes[uri], [{ range: { start: { line: 18, character: 21 }, end: { line: 18, character: 23 } }, newText: '"no"' }]);
    assert.deepEqual(actions[1].edit.changes[uri], [
      { range: { start: { line: 18, character: 0 }, end: { line: 18, character: 0 } }, newText: '              # kubelint-disable-next-line schema -- \n' },
    ]);
    await stopped(client);
    });
  });
});
