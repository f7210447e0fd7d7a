/** The output formats, by the name --format takes. */
import type { LintResult } from '../types.js';
import { formatFriendly } from './friendly.js';
import { formatJson } from './json.js';
import { formatCompact } from './compact.js';
import { formatGithub } from './github.js';
import { formatSarif } from './sarif.js';

export interface FormatContext {
  cwd: string;
  version: string;
}

export type Formatter = (results: readonly LintResult[], context: FormatContext) => string;

export const FORMATTERS: Readonly<Record<string, Formatter>> = {
  friendly: (results) => formatFriendly(results),
  json: (results) => formatJson(results),
  compact: (results) => formatCompact(results),
  github: formatGithub,
  sarif: formatSarif,
};
