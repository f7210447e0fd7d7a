/** The human format: eslint-formatter-friendly, with code frames and links to kubelint's rule docs. */
import { createRequire } from 'node:module';
import { DOCS_BASE_URL } from '../rule.js';
import type { LintResult } from '../types.js';

const ESLINT_RULE_LINK = /http:\/\/eslint\.org\/docs\/rules\/((?:\u001b\[[0-9;]*m)*)([a-z0-9-]+)/g;

const requireModule = createRequire(import.meta.url);

export function formatFriendly(results: readonly LintResult[]): string {
  // Only files with findings: the formatter reads each result's source for its code frames.
  const withFindings = results.filter((result) => result.messages.length > 0);
  if (withFindings.length === 0) return '';
  // Loaded on demand: a clean run (the common case in a hook) never pays for chalk and code frames.
  const friendlyFormatter = requireModule('eslint-formatter-friendly') as (results: unknown[]) => string;
  // The formatter reads the file from disk when `source` is empty: never let it (stdin, unreadable files).
  const text = friendlyFormatter(withFindings.map((result) => ({ ...result, source: result.source || '\n' })));
  return text.replace(ESLINT_RULE_LINK, (_whole, colors: string, ruleId: string) => `${DOCS_BASE_URL}${colors}${ruleId}.md`);
}
