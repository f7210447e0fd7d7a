/**
 * --fix and --fix-dry-run: apply the fixes of a file's findings, lint again, and repeat
 * until nothing changes (at most MAX_PASSES, as ESLint). A file with a syntax error is
 * never fixed, and a pass whose result would not parse (or would hold a different number
 * of objects) is thrown away: a fix must never break a manifest.
 */
import { statSync } from 'node:fs';
import { writeAtomically } from './atomic-write.js';
import { lintText, type EngineOptions } from './engine.js';
import { readManifest, unreadableResult } from './run.js';
import type { EditInfo, LintMessage, LintResult } from '../types.js';

export const MAX_PASSES = 10;

export interface FixOptions {
  /** Which findings' fixes to apply (default: all). */
  filter?: (message: LintMessage) => boolean;
}

/** Applies non-overlapping fixes in text order; an overlapping one waits for the next pass. */
export function applyFixes(text: string, fixes: readonly EditInfo[]): { output: string; applied: number } {
  const sorted = [...fixes].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let output = '';
  let at = 0;
  let applied = 0;
  for (const fix of sorted) {
    const [start, end] = fix.range;
    // ESLint's rule: a fix starting where the previous one ended also waits (two insertions at one point).
    if (applied > 0 ? start <= at : start < at) continue;
    if (end > text.length) continue;
    output += text.slice(at, start) + fix.text;
    at = end;
    applied++;
  }
  return { output: output + text.slice(at), applied };
}

const BOM = '\ufeff';

function brokenOrDifferent(before: LintResult, after: LintResult): boolean {
  return after.fatalErrorCount > 0 || (after.objects ?? 0) !== (before.objects ?? 0) || after.skipped !== before.skipped;
}

/**
 * Lints `rawText` and applies fixes until stable. The result is that of the fixed text, with
 * `output` set when the text changed (byte order mark kept).
 */
export function fixText(rawText: string, filePath: string, engine: EngineOptions, options: FixOptions = {}): LintResult {
  const bom = rawText.startsWith(BOM) ? BOM : '';
  let text = rawText.slice(bom.length);
  let result = lintText(rawText, filePath, engine);
  if (result.fatalErrorCount > 0) return result;
  const wanted = options.filter ?? (() => true);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const fixes = result.messages.filter((message) => message.fix && wanted(message)).map((message) => message.fix!);
    if (fixes.length === 0) break;
    const { output } = applyFixes(text, fixes);
    if (output === text) break;
    const next = lintText(bom + output, filePath, engine);
    if (brokenOrDifferent(result, next)) break;
    text = output;
    result = next;
  }
  const changed = bom + text !== rawText;
  if (!changed) return result;
  return { ...result, source: text, output: bom + text };
}

/** Reads, fixes and (when `write`) writes one file; the result of the fixed text. */
export function fixFile(filePath: string, engine: EngineOptions, write: boolean, options: FixOptions = {}): LintResult {
  const read = readManifest(filePath);
  if ('problem' in read) return unreadableResult(filePath, read.problem);
  const result = fixText(read.text, filePath, engine, options);
  if (write && result.output !== undefined) writeAtomically(filePath, result.output, statSync(filePath).mode & 0o7777);
  return result;
}
