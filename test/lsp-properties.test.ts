/**
 * The language server under the property tests' generators: generated manifests and any
 * text, then a user's edits as they type (insertions, one character at a time, deletions,
 * truncations, garbage, the whole text replaced), sent as incremental changes (some several
 * to a notification) or as full text. The server must never crash or log an error; every
 * diagnostic's range must lie inside the document; a code action request on every
 * diagnostic must succeed with edits inside the document; and the edited document must get
 * exactly the diagnostics a fresh open of the same text gets (the incremental sync kept the
 * server's text equal to the editor's).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { LspClient } from './helpers/lsp-client.js';
import { tempDir } from './helpers/temp.js';
import { anyText, manifestText, snippet, style, workload } from './helpers/arbitraries.js';

type Position = { line: number; character: number };
type Range = { start: Position; end: Position };

/** LSP's lines: \r\n, \r and \n each end one. */
const linesOf = (text: string) => text.split(/\r\n|\r|\n/);

function positionAt(text: string, offset: number): Position {
  const before = linesOf(text.slice(0, offset));
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** An offset that does not fall between the \r and \n of a line end (no position names it). */
function boundary(text: string, offset: number): number {
  return offset > 0 && text[offset - 1] === '\r' && text[offset] === '\n' ? offset - 1 : offset;
}

function assertInside(text: string, range: Range, what: string): void {
  const lines = linesOf(text);
  const where = `${what} ${JSON.stringify(range)} in ${JSON.stringify(text)}`;
  for (const { line, character } of [range.start, range.end]) {
    assert.ok(Number.isInteger(line) && line >= 0 && line < lines.length, where);
    assert.ok(Number.isInteger(character) && character >= 0 && character <= lines[line]!.length, where);
  }
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  assert.ok(ordered, where);
}

const at = fc.nat({ max: 10_000 });
const userEdit = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at, text: fc.oneof(snippet, fc.constantFrom('\n', '\r\n', '  ', ': ', '- ', 'value: no', '#'), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('type' as const), at, text: fc.oneof(fc.constantFrom('value: "', 'key: [a, ', '- name: x\n  '), fc.string({ minLength: 1, maxLength: 6 })) }),
  fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('garbage' as const), at, text: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }) }),
  fc.record({ kind: fc.constant('replace' as const), text: anyText }),
);
type UserEdit = typeof userEdit extends fc.Arbitrary<infer T> ? T : never;

/** A change as the editor sends it: a range of the text before it (or none: the whole text) and the new text. */
type Change = { from: number; to: number; text: string; full: boolean };

function changesOf(text: string, edit: UserEdit, full: boolean): Change[] {
  const offset = 'at' in edit ? boundary(text, edit.at % (text.length + 1)) : 0;
  switch (edit.kind) {
    case 'insert':
    case 'garbage':
      return [{ from: offset, to: offset, text: edit.text, full }];
    case 'type':
      // One change a character, each after the one before.
      return [...edit.text].map((char, i) => ({ from: offset + edit.text.slice(0, i).length, to: offset + edit.text.slice(0, i).length, text: char, full }));
    case 'delete':
      return [{ from: offset, to: boundary(text, Math.min(text.length, offset + edit.length)), text: '', full }];
    case 'truncate':
      return [{ from: offset, to: text.length, text: '', full }];
    case 'replace':
      return [{ from: 0, to: text.length, text: edit.text, full: true }];
  }
}

const FILES = ['ds.yaml', 'etc/kubernetes/manifests/pod.yaml', 'x.json', 'untitled'];
const session = fc.record({
  start: fc.oneof(fc.tuple(fc.array(workload, { minLength: 1, maxLength: 2 }), style).map(([objects, options]) => manifestText(objects, options)), anyText),
  crlf: fc.boolean(),
  file: fc.constantFrom(...FILES),
  edits: fc.array(fc.record({ edit: userEdit, full: fc.boolean(), sameNotification: fc.boolean() }), { minLength: 1, maxLength: 12 }),
});
type Session = typeof session extends fc.Arbitrary<infer T> ? T : never;

let documentCount = 0;

/** A published diagnostics notification that does not come is a failure with its case, not a hang. */
function diagnosticsOf(client: LspClient, uri: string, version: number, text: string): Promise<any> {
  let timer: NodeJS.Timeout | undefined;
  const never = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} version ${version}: ${JSON.stringify(text)}`)), 60_000);
  });
  return Promise.race([client.diagnostics(uri, version), never]).finally(() => clearTimeout(timer));
}

/** Opens the session's document, sends its edits, and returns its URI, final text and version. */
function play(client: LspClient, dir: string, s: Session): { uri: string; text: string; version: number } {
  const n = documentCount++;
  const uri = s.file === 'untitled' ? `untitled:Untitled-${n}` : pathToFileURL(path.join(dir, String(n), s.file)).href;
  let text = s.crlf ? s.start.replaceAll('\n', '\r\n') : s.start;
  let version = 1;
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  let pending: unknown[] = [];
  const flush = () => {
    if (pending.length) client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: pending });
    pending = [];
  };
  for (const { edit, full, sameNotification } of s.edits) {
    for (const change of changesOf(text, edit, full)) {
      const range = { start: positionAt(text, change.from), end: positionAt(text, change.to) };
      text = text.slice(0, change.from) + change.text + text.slice(change.to);
      // Several changes in one notification apply in order; a full text ends the batch.
      if (!sameNotification || change.full) flush();
      version++;
      pending.push(change.full ? { text } : { range, text: change.text });
    }
  }
  flush();
  return { uri, text, version };
}

describe('language server properties (generated texts, edits as the user types)', () => {
  it('never crashes; ranges inside the document; code actions succeed; incremental sync keeps the text', async () => {
    const dir = tempDir('kubelint-lsp-props-');
    const client = new LspClient(dir);
    let diagnosticsSeen = 0;
    let actionsSeen = 0;
    try {
      await client.request('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
      client.notify('initialized', {});
      await fc.assert(
        fc.asyncProperty(fc.array(session, { minLength: 8, maxLength: 8 }), async (sessions) => {
          // The sessions run side by side, as documents open in one editor.
          const played = sessions.map((s) => play(client, dir, s));
          for (const { uri, text, version } of played) {
            const published = await diagnosticsOf(client, uri, version, text);
            const diagnostics = published.params.diagnostics as Array<{ range: Range; code?: string }>;
            diagnosticsSeen += diagnostics.length;
            for (const [index, diagnostic] of diagnostics.entries()) {
              assertInside(text, diagnostic.range, `diagnostic ${diagnostic.code}`);
              // "Fix all" lints the document again: asked for with the first diagnostic only.
              const only = index === 0 ? {} : { only: ['quickfix'] };
              const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], ...only } });
              assert.ok(Array.isArray(actions));
              for (const action of actions) {
                actionsSeen++;
                for (const edit of action.edit.changes[uri]) assertInside(text, edit.range, action.title);
                if (action.kind === 'source.fixAll.kubelint') assert.deepEqual(action.edit.changes[uri][0].range.end, positionAt(text, text.length), 'the server\'s text has another length');
              }
            }
            // The same text opened afresh: the same diagnostics.
            const fresh = uri.startsWith('untitled:') ? `${uri}-fresh` : uri.replace(/(\.\w+)$/, '.fresh$1');
            client.notify('textDocument/didOpen', { textDocument: { uri: fresh, languageId: 'yaml', version: 1, text } });
            assert.deepEqual((await diagnosticsOf(client, fresh, 1, text)).params.diagnostics, diagnostics, `after the edits of ${uri}`);
            client.notify('textDocument/didClose', { textDocument: { uri: fresh } });
            client.notify('textDocument/didClose', { textDocument: { uri } });
          }
          const errors = client.notifications.filter((m) => m.method === 'window/logMessage' && m.params.type === 1);
          assert.deepEqual(errors, []);
          assert.equal(client.child.exitCode, null, 'the server exited');
        }),
        {
          numRuns: 12,
          // Every run drives the one server: shrinking a failure would take many minutes; say the case as it is.
          endOnFailure: true,
          reporter: (details) => {
            if (!details.failed) return;
            const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
            throw new Error(`${error}\nseed ${details.seed}, path ${details.counterexamplePath}: ${fc.stringify(details.counterexample)}`);
          },
        },
      );
      // The runs reached findings and their code actions, not only empty documents.
      assert.ok(diagnosticsSeen > 50 && actionsSeen > 50, `${diagnosticsSeen} diagnostics, ${actionsSeen} code actions`);
      assert.equal(await client.request('shutdown', null), null);
      client.notify('exit', null);
      assert.equal(await client.exited, 0);
    } finally {
      if (client.child.exitCode === null) client.child.kill();
    }
  });
});
