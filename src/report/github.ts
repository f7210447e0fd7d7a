/**
 * GitHub Actions workflow commands: one ::error / ::warning annotation per problem, with
 * the runner's escaping, then a plain summary line (the runner shows only 10 errors and
 * 10 warnings per step and drops the rest silently).
 */
import path from 'node:path';
import type { LintResult } from '../types.js';
import type { FormatContext } from './context.js';
import { escapeControl } from './escape.js';
import { repositoryRoot } from './sarif.js';

/**
 * Escaping for the message part of a workflow command. With it, no raw line break is left,
 * so nothing from input can start a line of its own (a forged `::error` or `::stop-commands`).
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping for property values (file, title): also `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(results: readonly LintResult[], context: FormatContext): string {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  let files = 0;
  // The runner places annotations by paths relative to the repository root (as SARIF's URIs
  // are), whatever the step's working-directory; a file outside the repository keeps its absolute path.
  const root = repositoryRoot(context.cwd);
  for (const result of results) {
    if (result.messages.length) files++;
    const relative = path.relative(root, result.filePath);
    const file = (relative.startsWith('..') || path.isAbsolute(relative) ? result.filePath : relative).split(path.sep).join('/');
    for (const message of result.messages) {
      const error = message.fatal || message.severity === 2;
      if (error) errors++;
      else warnings++;
      // Control characters are shown escaped first (see escape.ts): the log viewer renders ANSI
      // sequences, and a file name or message should read the same here as in the terminal.
      const properties = [
        `file=${escapeProperty(escapeControl(file))}`,
        `line=${message.line}`,
        `col=${message.column}`,
        `endLine=${message.endLine}`,
        `endColumn=${message.endColumn}`,
        `title=${escapeProperty(message.ruleId ?? 'kubelint')}`,
      ].join(',');
      lines.push(`::${error ? 'error' : 'warning'} ${properties}::${escapeData(escapeControl(message.message))}`);
    }
  }
  const problems = errors + warnings;
  lines.push(
    problems === 0
      ? `kubelint: no problems in ${results.length} file${results.length === 1 ? '' : 's'}`
      : `kubelint: ${problems} problem${problems === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}) in ${files} file${files === 1 ? '' : 's'}`,
  );
  return `${lines.join('\n')}\n`;
}
