/**
 * kubelint's language server: the same engine as the CLI, on the editor's text. Findings
 * are published as diagnostics on open and (debounced) on change; quick fixes come from
 * fixes and suggestions, plus "disable RULE for this line"; "fix all" is a source action.
 * Each document is linted with the configuration found from its own directory (so every
 * workspace folder gets its .kubelint.yaml), re-read when a configuration file changes.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type Position,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintText, type EngineOptions } from '../lint/engine.js';
import { docsUrlOf } from '../engine/rule.js';
import { resolveRun } from '../config/options.js';
import { BUILT_IN } from '../../rules/index.js';
import { fixText } from '../lint/apply-fixes.js';
import type { RuleRegistry } from '../engine/registry.js';
import type { EditInfo, LintMessage } from '../types.js';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.kubelint`;
/** Typing is not linted on every key: this long after the last change. */
export const DEBOUNCE_MS = 200;
const CONFIG_NAMES = new Set(['.kubelint.yaml', '.kubelint.yml', '.kubelint.json']);

interface Linted {
  version: number;
  messages: LintMessage[];
  /** The run's rules (built-in plus the folder's plugins): where a message's meta and docs come from. */
  registry: RuleRegistry;
}

function filePathOf(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      // fall through: a file URI with a host, say
    }
  }
  return uri;
}

/** The engine options for a document: its directory's configuration, or the defaults if that is broken. */
async function engineFor(filePath: string, cache: Map<string, { engine: EngineOptions; problem?: string }>) {
  const dir = path.isAbsolute(filePath) ? path.dirname(filePath) : process.cwd();
  let entry = cache.get(dir);
  if (!entry) {
    try {
      entry = { engine: (await resolveRun({ registry: BUILT_IN, cwd: dir })).engine };
    } catch (error) {
      const problem = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      entry = { engine: (await resolveRun({ registry: BUILT_IN, cwd: dir, config: false })).engine, problem };
    }
    cache.set(dir, entry);
  }
  return entry;
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const linted = new Map<string, Linted>();
  const timers = new Map<string, NodeJS.Timeout>();
  const configs = new Map<string, { engine: EngineOptions; problem?: string }>();
  const toldProblems = new Set<string>();

  const bomShift = (text: string) => (text.charCodeAt(0) === 0xfeff ? 1 : 0);

  /**
   * kubelint's lines end at \n only (a lone \r is not a line break to it, as to the yaml
   * package) and start after a byte order mark; the protocol's end at \r too and count the
   * mark. So a finding's line and column go through its offset in the text.
   */
  function positionsIn(document: TextDocument): (line: number, column: number) => Position {
    const text = document.getText();
    const shift = bomShift(text);
    const starts = [0];
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1 - shift);
    const length = text.length - shift;
    return (line, column) => {
      const start = starts[Math.min(Math.max(line, 1), starts.length) - 1]!;
      return document.positionAt(Math.min(start + Math.max(column - 1, 0), length) + shift);
    };
  }

  function toDiagnostic(message: LintMessage, registry: RuleRegistry, at: (line: number, column: number) => Position): Diagnostic {
    const meta = message.ruleId ? registry.byId.get(message.ruleId)?.meta : undefined;
    const href = meta ? docsUrlOf(meta) : undefined;
    return {
      range: { start: at(message.line, message.column), end: at(message.endLine, message.endColumn) },
      severity: message.severity === 2 ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      ...(message.ruleId ? { code: message.ruleId } : {}),
      ...(href ? { codeDescription: { href } } : {}),
      source: 'kubelint',
      message: message.message,
    };
  }

  async function validate(document: TextDocument): Promise<void> {
    const version = document.version;
    const filePath = filePathOf(document.uri);
    const { engine, problem } = await engineFor(filePath, configs);
    // Changed or closed while the configuration loaded: this result would be stale (and
    // published after a newer one); the change scheduled its own validation.
    if (documents.get(document.uri) !== document || document.version !== version) return;
    const text = document.getText();
    if (problem && !toldProblems.has(problem)) {
      toldProblems.add(problem);
      void connection.window.showWarningMessage(`kubelint: ${problem} (linting with the defaults)`);
    }
    let messages: LintMessage[];
    try {
      messages = lintText(text, filePath, engine).messages;
    } catch (error) {
      // lintText does not throw; should a bug make it, the editor keeps working.
      connection.console.error(`kubelint: ${error instanceof Error ? error.message : String(error)}`);
      messages = [];
    }
    linted.set(document.uri, { version: document.version, messages, registry: engine.registry });
    const at = positionsIn(document);
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: messages.map((message) => toDiagnostic(message, engine.registry, at)) });
  }

  function schedule(document: TextDocument, delay: number): void {
    clearTimeout(timers.get(document.uri));
    timers.set(
      document.uri,
      setTimeout(() => {
        timers.delete(document.uri);
        const current = documents.get(document.uri);
        if (current) void validate(current);
      }, delay),
    );
  }

  function configChanged(): void {
    configs.clear();
    toldProblems.clear();
    for (const document of documents.all()) schedule(document, 0);
  }

  const isConfig = (uri: string) => CONFIG_NAMES.has(path.basename(filePathOf(uri)));

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
    },
    serverInfo: { name: 'kubelint-language-server' },
  }));

  documents.onDidOpen((event) => {
    if (!isConfig(event.document.uri)) schedule(event.document, 0);
  });
  documents.onDidChangeContent((event) => {
    if (isConfig(event.document.uri)) return;
    schedule(event.document, DEBOUNCE_MS);
  });
  documents.onDidSave((event) => {
    if (isConfig(event.document.uri)) configChanged();
  });
  documents.onDidClose((event) => {
    clearTimeout(timers.get(event.document.uri));
    timers.delete(event.document.uri);
    linted.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });
  connection.onDidChangeWatchedFiles((params) => {
    if (params.changes.some((change) => isConfig(change.uri))) configChanged();
  });

  connection.onCodeAction(async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const text = document.getText();
    const shift = bomShift(text);
    const at = positionsIn(document);
    const edit = (info: EditInfo): LspTextEdit => ({
      range: { start: document.positionAt(info.range[0] + shift), end: document.positionAt(info.range[1] + shift) },
      newText: info.text,
    });
    const workspaceEdit = (edits: LspTextEdit[]) => ({ changes: { [document.uri]: edits } });
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((asked) => kind === asked || kind.startsWith(`${asked}.`));
    const actions: CodeAction[] = [];

    if (wants(FIX_ALL_KIND)) {
      const fixed = fixText(text, filePathOf(document.uri), (await engineFor(filePathOf(document.uri), configs)).engine);
      if (fixed.output !== undefined) {
        actions.push({
          title: 'Fix all kubelint problems that can be fixed',
          kind: FIX_ALL_KIND,
          edit: workspaceEdit([{ range: { start: { line: 0, character: 0 }, end: document.positionAt(text.length) }, newText: fixed.output }]),
        });
      }
    }
    if (!wants(CodeActionKind.QuickFix)) return actions;
    const state = linted.get(document.uri);
    if (!state || state.version !== document.version) return actions;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const disabled = new Set<string>();
    for (const message of state.messages) {
      if (!message.ruleId || message.fatal) continue;
      const diagnostic = toDiagnostic(message, state.registry, at);
      if (diagnostic.range.end.line < params.range.start.line || diagnostic.range.start.line > params.range.end.line) continue;
      if (message.fix) {
        actions.push({
          title: `Fix this ${message.ruleId} problem`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          edit: workspaceEdit([edit(message.fix)]),
        });
      }
      for (const suggestion of message.suggestions ?? []) {
        actions.push({ title: suggestion.desc, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit([edit(suggestion.fix)]) });
      }
      const key = `${message.ruleId}:${message.line}`;
      if (disabled.has(key) || message.ruleId === 'unused-suppression') continue;
      disabled.add(key);
      // The directive goes on its own line above (kubelint's line: after a \n), indented as the line it covers.
      const lineStart = document.offsetAt(at(message.line, 1));
      const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
      actions.push({
        title: `Disable ${message.ruleId} for this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: workspaceEdit([
          { range: { start: document.positionAt(lineStart), end: document.positionAt(lineStart) }, newText: `${indent}# kubelint-disable-next-line ${message.ruleId} -- ${eol}` },
        ]),
      });
    }
    return actions;
  });

  documents.listen(connection);
  connection.listen();
}
