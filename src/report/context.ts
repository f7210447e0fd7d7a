/** What every formatter is given besides the results. */
import type { RunStats } from '../types.js';
import type { RuleMeta } from '../engine/rule.js';

export interface FormatContext {
  cwd: string;
  version: string;
  /** ANSI colours in the human formats (default: none). */
  color?: boolean;
  /** Terminal width the friendly format wraps to (default: no wrapping). */
  width?: number;
  /** The rules' metadata by id, as ESLint hands formatters `rulesMeta` (plugins' rules too). */
  rulesMeta: Readonly<Record<string, RuleMeta>>;
  /** What the run looked at, for a summary line (the CLI fills it; the library may not). */
  stats?: RunStats;
}

