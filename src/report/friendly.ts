/**
 * The human format, modelled on ESLint's stylish: findings grouped by file and sorted by
 * line, each with its severity, message and rule id, then a code frame of the source; a
 * summary line always, so a clean run is told apart from a run that looked at nothing.
 * On a terminal the message wraps to the width with a hanging indent; elsewhere (pipes,
 * files, CI logs) lines are not wrapped, so they stay greppable.
 */
import path from 'node:path';
import { DOCS_BASE_URL } from '../engine/rule.js';
import type { LintMessage, LintResult } from '../types.js';
import { escapeControl, escapeSourceLine } from './escape.js';

/** What the friendly format needs to know about where it is printed and about the run. */
export interface FriendlyOptions {
  cwd: string;
  /** ANSI colours (the CLI decides: --color, FORCE_COLOR, NO_COLOR, a terminal). */
  color?: boolean;
  /** Terminal width to wrap messages to; undefined: no wrapping. */
  width?: number;
  stats?: { filesLinted: number; objects: number; skipped: Record<string, number>; notSchemaValidated?: Record<string, number> };
}

const LINES_ABOVE = 2;
const LINES_BELOW = 1;
/** Below this, wrapping would leave a column of single words: do not wrap. */
const MIN_WRAP_WIDTH = 40;

type Paint = (code: string, text: string) => string;

export function formatFriendly(results: readonly LintResult[], options: FriendlyOptions): string {
  const paint: Paint = options.color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
  const width = options.width !== undefined && options.width >= MIN_WRAP_WIDTH ? options.width : undefined;
  const blocks: string[] = [];
  let errors = 0;
  let warnings = 0;
  let filesWithProblems = 0;
  for (const result of results) {
    if (result.messages.length === 0) continue;
    filesWithProblems++;
    const messages = [...result.messages].sort((a, b) => a.line - b.line || a.column - b.column);
    const sourceLines = splitLines(result.source ?? '');
    const locationWidth = Math.max(...messages.map((message) => `${message.line}:${message.column}`.length));
    const findings = messages.map((message) => {
      const error = message.fatal || message.severity === 2;
      if (error) errors++;
      else warnings++;
      return finding(message, error, sourceLines, locationWidth, width, paint);
    });
    const file = escapeControl(path.relative(options.cwd, result.filePath) || result.filePath);
    blocks.push(`${paint('4', file)}\n${findings.join('\n\n')}`);
  }
  const summary = summaryLine(results, options.stats, filesWithProblems, errors, warnings, paint);
  return blocks.length ? `${blocks.join('\n\n')}\n\n${summary}\n` : `${summary}\n`;
}

function splitLines(source: string): string[] {
  // Lines as the parser counts them: split at LF only; a CRLF's CR is part of the break.
  return source.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

function finding(
  message: LintMessage,
  error: boolean,
  sourceLines: readonly string[],
  locationWidth: number,
  width: number | undefined,
  paint: Paint,
): string {
  const location = `${message.line}:${message.column}`.padEnd(locationWidth);
  const severity = error ? 'error  ' : 'warning';
  const indent = 2 + locationWidth + 2 + severity.length + 2;
  const words = escapeControl(message.message).split(' ');
  // Marked as ESLint's editors mark them: --fix would take care of this one.
  if (message.fix) words.push('(fixable)');
  if (message.ruleId) words.push(`\u0000${message.ruleId}`);
  const lines = wrap(words, indent, width).map((line) =>
    line.replace(/(^|.)\u0000(\S+)$/, (_whole, before: string, ruleId: string) => `${before}${before ? ' ' : ''}${paint('2', ruleId)}`),
  );
  const head = `  ${paint('2', location)}  ${paint(error ? '31' : '33', severity)}  `;
  const text = [head + lines[0], ...lines.slice(1).map((line) => ' '.repeat(indent) + line)].join('\n');
  const frame = codeFrame(message, sourceLines, paint);
  return frame ? `${text}\n${frame}` : text;
}

/**
 * Greedy word wrap: each line holds as many words as fit in width - indent (a longer word
 * gets a line of its own, unbroken). A rule id (marked with NUL) is preceded by two spaces.
 */
function wrap(words: readonly string[], indent: number, width: number | undefined): string[] {
  const room = width === undefined ? Infinity : width - indent;
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    // The NUL stands for the rule id's second space: it counts as one character.
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= room) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * The finding's line with a few around it, Babel's code-frame layout: `> 14 |` marks the
 * line, and `^` under the reported columns. Source lines are escaped (see escape.ts); the
 * marker is placed in escaped coordinates, so it stays under the reported character.
 */
function codeFrame(message: LintMessage, sourceLines: readonly string[], paint: Paint): string | undefined {
  const raw = sourceLines[message.line - 1];
  if (raw === undefined || (sourceLines.length === 1 && raw === '')) return undefined;
  const first = Math.max(1, message.line - LINES_ABOVE);
  const last = Math.min(sourceLines.length, message.line + LINES_BELOW);
  const numberWidth = String(last).length;
  const out: string[] = [];
  for (let number = first; number <= last; number++) {
    const line = escapeSourceLine(sourceLines[number - 1]!);
    const gutter = `${String(number).padStart(numberWidth)} |`;
    const marked = number === message.line;
    out.push(`    ${marked ? paint('31;1', '>') : ' '} ${paint('2', gutter)}${line ? ` ${line}` : ''}`);
    if (marked) {
      const startColumn = Math.max(message.column - 1, 0);
      const before = escapeSourceLine(raw.slice(0, startColumn));
      const endColumn = message.endLine === message.line ? Math.max(message.endColumn - 1, startColumn + 1) : startColumn + 1;
      const length = Math.max(1, escapeSourceLine(raw.slice(startColumn, endColumn)).length);
      // Tabs are kept so the marker lines up with the source however wide a tab is shown.
      const spacing = before.replace(/[^\t]/g, ' ');
      out.push(`      ${paint('2', `${' '.repeat(numberWidth)} |`)} ${spacing}${paint('31;1', '^'.repeat(length))}`);
    }
  }
  return out.join('\n');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function summaryLine(
  results: readonly LintResult[],
  stats: FriendlyOptions['stats'],
  filesWithProblems: number,
  errors: number,
  warnings: number,
  paint: Paint,
): string {
  const files = stats?.filesLinted ?? results.length;
  const skippedTotal = stats ? Object.values(stats.skipped).reduce((sum, count) => sum + count, 0) : 0;
  let skipped = '';
  if (skippedTotal > 0) {
    const reasons = Object.entries(stats!.skipped).filter(([, count]) => count > 0);
    const why = reasons.length === 1 ? reasons[0]![0] : reasons.map(([reason, count]) => `${count} ${reason}`).join(', ');
    skipped = `, ${plural(skippedTotal, 'file')} skipped (${why})`;
  }
  const problems = errors + warnings;
  const unchecked = notValidatedLine(stats?.notSchemaValidated, paint);
  if (problems === 0) {
    const objects = stats ? `, ${plural(stats.objects, 'object')}` : '';
    return `${paint('32;1', '✔')} ${plural(files, 'file')}${objects}: no problems${skipped}${unchecked}`;
  }
  const text = `${errors ? '✖' : '⚠'} ${plural(problems, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}) in ${filesWithProblems} of ${plural(files, 'file')}${skipped}`;
  const fixable = results.reduce((sum, result) => sum + result.messages.filter((message) => message.fix).length, 0);
  const fixLine = fixable ? `\n${paint('2', `  ${plural(fixable, 'problem')} fixable with --fix`)}` : '';
  return `${paint(errors ? '31;1' : '33;1', text)}${fixLine}${unchecked}\n${paint('2', `  Rule docs: ${DOCS_BASE_URL.replace(/\/$/, '')}`)}`;
}

/** What kubelint did not check, said where the user looks: objects without a schema. */
function notValidatedLine(counts: Readonly<Record<string, number>> | undefined, paint: Paint): string {
  const entries = Object.entries(counts ?? {});
  if (entries.length === 0) return '';
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  const kinds = entries.map(([kind]) => kind.split(' ').pop()).filter((kind, index, all) => all.indexOf(kind) === index);
  const shown = kinds.length > 3 ? `${kinds.slice(0, 3).join(', ')} and ${kinds.length - 3} more` : kinds.join(', ');
  return `\n${paint('2', `  ${plural(total, 'object')} not schema-validated (no schema for ${escapeControl(shown)}): --schema-dir adds one, --schema-missing warn reports each`)}`;
}
