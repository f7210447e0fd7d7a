/**
 * The VS Code extension (editors/vscode/) as it ships: the .vsix that CI builds with
 * `(cd editors/vscode && npm ci && npm run package)` before the tests. It must exist (a
 * missing package is a failure, not a skip), hold the entry point and a manifest that
 * activates on YAML, and its bundled language server must start from inside the package
 * and report. The extension's choice of server is checked on the compiled module it ships.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './helpers/cli.js';
import { LspClient } from './helpers/lsp-client.js';
import { agentDaemonSet } from './helpers/manifests.js';
import { tempDir } from './helpers/temp.js';
import { Zip } from './helpers/zip.js';

const EXTENSION = path.join(PROJECT_ROOT, 'editors', 'vscode');
const VSIX = path.join(EXTENSION, 'kubelint-vscode.vsix');
const BUNDLED_SERVER = 'extension/node_modules/kubelint/dist/src/cli/bin-language-server.js';

describe('the VS Code extension package (editors/vscode)', () => {
  let zip: Zip;
  let manifest: any;
  before(() => {
    assert.ok(existsSync(VSIX), `${path.relative(PROJECT_ROOT, VSIX)} is missing: build it with (cd editors/vscode && npm ci && npm run package), as .ci/run does`);
    zip = new Zip(VSIX);
    manifest = JSON.parse(zip.read('extension/package.json').toString('utf8'));
  });

  it('activates on YAML, its entry point is in the package, and it declares its settings', () => {
    assert.deepEqual(manifest.activationEvents, ['onLanguage:yaml']);
    assert.equal(manifest.main, './out/extension.js');
    assert.ok(zip.entries.has('extension/out/extension.js'), 'no compiled entry point');
    assert.match(zip.read('extension/out/extension.js').toString('utf8'), /exports\.activate = activate/);
    assert.match(manifest.engines.vscode, /^\^1\.\d+\.0$/);
    assert.deepEqual(Object.keys(manifest.contributes.configuration.properties), ['kubelint.serverPath', 'kubelint.trace.server']);
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['kubelint.serverPath']);
    for (const file of ['extension/readme.md', 'extension/LICENSE.txt', 'extension/node_modules/vscode-languageclient/package.json', BUNDLED_SERVER]) {
      assert.ok(zip.entries.has(file), `no ${file} in the package`);
    }
    // Sources, the build's configuration and the development tools stay out.
    const unwanted = [...zip.entries.keys()].filter((name) => /^extension\/(src\/|tsconfig|\.npmrc|node_modules\/(@vscode\/vsce|typescript|@types)\/)/.test(name));
    assert.deepEqual(unwanted, []);
    const bundled = JSON.parse(zip.read('extension/node_modules/kubelint/package.json').toString('utf8'));
    assert.equal(bundled.version, JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version);
  });

  it('the bundled language server starts from inside the package and publishes diagnostics', async () => {
    const unpacked = tempDir('kubelint-vsix-');
    for (const name of zip.entries.keys()) {
      if (name.endsWith('/')) continue;
      const target = path.join(unpacked, name);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, zip.read(name));
    }
    const workspace = tempDir('kubelint-vsix-ws-');
    const uri = pathToFileURL(path.join(workspace, 'ds.yaml')).href;
    const client = new LspClient(workspace, path.join(unpacked, BUNDLED_SERVER));
    try {
      await client.request('initialize', { processId: process.pid, rootUri: pathToFileURL(workspace).href, capabilities: {} });
      client.notify('initialized', {});
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: agentDaemonSet({ value: 'no' }) } });
      const published = await client.diagnostics(uri, 1);
      assert.deepEqual(published.params.diagnostics.map((d: any) => [d.code, d.range.start.line, d.range.start.character]), [['schema', 17, 21]]);
      assert.equal(await client.request('shutdown', null), null);
      client.notify('exit', null);
      assert.equal(await client.exited, 0);
    } finally {
      if (client.child.exitCode === null) client.child.kill();
    }
  });

  it('picks the workspace\'s server, then kubelint.serverPath, then the bundled one; an untrusted workspace gets the bundled one', async () => {
    const unpacked = tempDir('kubelint-vsix-src-');
    const modulePath = path.join(unpacked, 'server-path.js');
    writeFileSync(modulePath, zip.read('extension/out/server-path.js'));
    const { findServer } = await import(pathToFileURL(modulePath).href);
    const bundled = '/ext/node_modules/kubelint/dist/src/cli/bin-language-server.js';
    const present = new Set(['/b/node_modules/.bin/kubelint-language-server', '/w/node_modules/.bin/kubelint-language-server.cmd']);
    const find = (input: object) => findServer({ folders: ['/a', '/b'], setting: '', trusted: true, bundled, platform: 'linux', exists: (file: string) => present.has(file), ...input });
    assert.deepEqual(find({}), { kind: 'command', path: '/b/node_modules/.bin/kubelint-language-server', from: 'workspace' });
    assert.deepEqual(find({ setting: '/opt/kubelint/server.js' }), { kind: 'command', path: '/b/node_modules/.bin/kubelint-language-server', from: 'workspace' });
    assert.deepEqual(find({ folders: ['/a'], setting: 'tools/kubelint-language-server' }), { kind: 'command', path: '/a/tools/kubelint-language-server', from: 'setting' });
    assert.deepEqual(find({ folders: ['/a'], setting: ' /opt/kubelint/server.js ' }), { kind: 'module', path: '/opt/kubelint/server.js', from: 'setting' });
    assert.deepEqual(find({ folders: ['/a'] }), { kind: 'module', path: bundled, from: 'bundled' });
    assert.deepEqual(find({ trusted: false, setting: '/opt/kubelint/server.js' }), { kind: 'module', path: bundled, from: 'bundled' });
    // Windows: npm's .cmd shim.
    assert.deepEqual(find({ folders: ['/w'], platform: 'win32' }).from, 'workspace');
  });
});

describe('the root package leaves the extension alone', () => {
  it('does not compile editors/ with the root tsconfig, and does not ship it', () => {
    assert.equal(existsSync(path.join(PROJECT_ROOT, 'dist', 'editors')), false);
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const files: string[] = JSON.parse(pack.stdout)[0].files.map((file: { path: string }) => file.path);
    assert.ok(files.includes('dist/src/cli/bin-language-server.js'), 'the pack listing is not the package\'s');
    assert.deepEqual(files.filter((file) => file.startsWith('editors/')), []);
  });
});
