/** The human format: eslint-formatter-friendly, with code frames and links to kubelint's rule docs. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { DOCS_BASE_URL } from '../rule.js';
import type { LintResult } from '../types.js';
import { escapeControl, escapeSourceLine, hasControl } from './escape.js';

const ESLINT_RULE_LINK = /http:\/\/eslint\.org\/docs\/rules\/((?:\u001b\[[0-9;]*m)*)([a-z0-9-]+)/g;
/** The iTerm hint the formatter prepends on a terminal: an OSC sequence holding the working directory. */
const ITERM_HINT = '\u001b]1337;CurrentDir=';
const SGR = /\u001b\[[0-9;]*m/g;
/** Indentation of the formatter's `file:line:column` header line. */
const HEADER_INDENT = '     ';

const requireModule = createRequire(import.meta.url);

export function formatFriendly(results: readonly LintResult[]): string {
  // Only files with findings: the formatter reads each result's source for its code frames.
  const withFindings = results.filter((result) => result.messages.length > 0);
  if (withFindings.length === 0) return '';
  // Loaded on demand: a clean run (the common case in a hook) never pays for chalk and code frames.
  const friendlyFormatter = requireModule('eslint-formatter-friendly') as (results: unknown[]) => string;
  const cwd = process.cwd();
  const headers = new Map<string, string>();
  let text = friendlyFormatter(withFindings.map((result) => safeResult(result, cwd, headers)));
  // A working directory with control characters in it would go out raw inside the hint: drop the hint.
  if (text.startsWith(ITERM_HINT) && hasControl(cwd)) text = text.slice(ITERM_HINT.length + cwd.length + 1);
  if (headers.size > 0) text = restoreHeaderColumns(text, headers);
  return text.replace(ESLINT_RULE_LINK, (_whole, colors: string, ruleId: string) => `${DOCS_BASE_URL}${colors}${ruleId}.md`);
}

/**
 * The result as the formatter may print it: message, file name and source lines with
 * control characters escaped (see escape.ts). Where escaping lengthened a line, the column
 * moves so the code frame's `^` stays under the reported character; `headers` collects
 * the `file:line:column` headers to put the real column back into.
 */
function safeResult(result: LintResult, cwd: string, headers: Map<string, string>): LintResult {
  // The formatter reads the file from disk when `source` is empty: never let it (stdin, unreadable files).
  // Lines as the parser counts them: split at LF only, a CRLF's CR is part of the break.
  const rawLines = (result.source || '\n').split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const lines = rawLines.map(escapeSourceLine);
  // Relative already, so the formatter's own path.relative('.') leaves it as it is.
  const filePath = escapeControl(path.relative(cwd, result.filePath) || result.filePath);
  const messages = result.messages.map((message) => {
    const raw = rawLines[message.line - 1];
    let column = message.column;
    if (raw !== undefined && raw.length !== lines[message.line - 1]!.length) {
      column = escapeSourceLine(raw.slice(0, Math.max(message.column - 1, 0))).length + 1;
      // Escaping only lengthens text, so shifted columns of one line never collide.
      if (column !== message.column) headers.set(`${filePath}:${message.line}:${column}`, `${filePath}:${message.line}:${message.column}`);
    }
    return { ...message, message: escapeControl(message.message), column };
  });
  return { ...result, filePath, source: lines.join('\n'), messages };
}

/** Puts the reported column back into each `file:line:column` header that safeResult shifted. */
function restoreHeaderColumns(text: string, headers: ReadonlyMap<string, string>): string {
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith(HEADER_INDENT)) return line;
      const shifted = line.replace(SGR, '').slice(HEADER_INDENT.length);
      const real = headers.get(shifted);
      return real === undefined ? line : line.replace(shifted, () => real);
    })
    .join('\n');
}
