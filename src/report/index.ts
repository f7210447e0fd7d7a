/** The output formats, by the name --format takes. */
import type { LintResult, RunStats } from '../types.js';
import type { FormatContext } from './context.js';
import { formatFriendly } from './friendly.js';
import { formatJson, jsonChunks } from './json.js';
import { formatCompact } from './compact.js';
import { formatGithub } from './github.js';
import { formatSarif, sarifChunks } from './sarif.js';

export type { FormatContext, RunStats };

export type Formatter = (results: readonly LintResult[], context: FormatContext) => string;

/** The library API's formatters: each returns the whole report as one string. */
export const FORMATTERS: Readonly<Record<string, Formatter>> = {
  friendly: (results, context) => formatFriendly(results, context),
  json: (results) => formatJson(results),
  compact: (results) => formatCompact(results),
  github: formatGithub,
  sarif: formatSarif,
};

/**
 * The report as a sequence of strings that join to FORMATTERS[name]'s output. The machine
 * formats (json, sarif) stream, one chunk per finding, so a report of hundreds of thousands
 * of findings is written without "Invalid string length"; the others are one chunk.
 */
export function formatChunks(name: string, results: readonly LintResult[], context: FormatContext): Iterable<string> {
  if (name === 'json') return jsonChunks(results);
  if (name === 'sarif') return sarifChunks(results, context);
  return [FORMATTERS[name]!(results, context)];
}
