/**
 * ESLint's `compact` format, one problem per line with an absolute path, so VS Code's
 * built-in `$eslint-compact` problem matcher reads it as it is:
 *   /abs/ds.yaml: line 12, col 7, Error - message (rule-id)
 */
import type { LintResult } from '../types.js';
import { escapeControl } from './escape.js';

export function formatCompact(results: readonly LintResult[]): string {
  let output = '';
  let total = 0;
  for (const result of results) {
    // One line per problem, whatever the message or file name holds: line breaks and other
    // control characters are shown escaped (a character class, so linear in the text).
    const file = escapeControl(result.filePath);
    for (const message of result.messages) {
      total++;
      const type = message.fatal || message.severity === 2 ? 'Error' : 'Warning';
      const text = escapeControl(message.message);
      output += `${file}: line ${message.line}, col ${message.column}, ${type} - ${text}${message.ruleId ? ` (${message.ruleId})` : ''}\n`;
    }
  }
  if (total > 0) output += `\n${total} problem${total === 1 ? '' : 's'}`;
  return output;
}
