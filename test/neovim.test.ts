/**
 * The language server in a real editor: Debian's neovim (0.7), headless, with its built-in
 * LSP client attached to `kubelint-language-server --stdio`. The Lua script opens a bad
 * DaemonSet, waits for kubelint's diagnostics, writes them out with their lines and
 * columns, applies the quick fix and writes the buffer back.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SERVER_BIN } from './helpers/lsp-client.js';
import { tempDir } from './helpers/temp.js';
import { agentDaemonSet } from './helpers/manifests.js';

const hasNvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasNvim && process.env.CI === 'true') throw new Error('neovim is required under CI=true (.ci/run installs it)');

const BAD = agentDaemonSet({ value: 'no # keep me' });

const LUA = String.raw`
local out = io.open(os.getenv('KUBELINT_OUT'), 'w')
local client_id = vim.lsp.start_client({
  name = 'kubelint',
  cmd = { os.getenv('KUBELINT_NODE'), os.getenv('KUBELINT_SERVER'), '--stdio' },
  root_dir = os.getenv('KUBELINT_DIR'),
})
vim.cmd('edit ' .. os.getenv('KUBELINT_FILE'))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)
local ok = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
if not ok then out:write('no diagnostics\n') out:close() vim.cmd('qall!') return end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  out:write(string.format('diagnostic %d:%d-%d:%d %s %s %d\n', d.lnum, d.col, d.end_lnum, d.end_col, d.source, d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?', d.severity))
end
local d = vim.diagnostic.get(buf)[1]
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.lnum, character = d.col } },
  context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, d.lnum), only = { 'quickfix' } },
}
local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 20000)
for _, response in pairs(responses or {}) do
  for _, action in ipairs(response.result or {}) do
    out:write('action ' .. action.title .. '\n')
    if action.isPreferred then vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16') end
  end
end
out:write('line ' .. vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1] .. '\n')
out:close()
vim.lsp.stop_client(client_id)
vim.cmd('qall!')
`;

describe('neovim (headless, built-in LSP client)', () => {
  it('shows kubelint diagnostics with their lines and columns and applies the quick fix', { skip: hasNvim ? false : 'nvim is not installed (CI installs it)' }, () => {
    const dir = tempDir('kubelint-nvim-');
    const file = path.join(dir, 'ds.yaml');
    const script = path.join(dir, 'test.lua');
    const out = path.join(dir, 'out.txt');
    writeFileSync(file, BAD);
    writeFileSync(script, LUA);
    const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-c', `luafile ${script}`], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, KUBELINT_OUT: out, KUBELINT_NODE: process.execPath, KUBELINT_SERVER: SERVER_BIN, KUBELINT_DIR: dir, KUBELINT_FILE: file },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      readFileSync(out, 'utf8'),
      [
        'diagnostic 17:21-17:23 kubelint schema 1',
        'action Fix this schema problem',
        'action Disable schema for this line',
        'line               value: "no" # keep me',
        '',
      ].join('\n'),
    );
  });
});
