/** ESLint's `json` format: JSON.stringify of LintResult[], with source only where there are findings (as ESLint does). */
import type { LintResult } from '../types.js';

export function formatJson(results: readonly LintResult[]): string {
  return JSON.stringify(
    results.map(({ source, ...rest }) => (rest.messages.length > 0 && source !== undefined ? { ...rest, source } : rest)),
  );
}
