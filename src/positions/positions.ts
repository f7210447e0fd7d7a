/**
 * Resolve positions: offsets in the text become the 1-based line and column every finding
 * carries. Finding the offsets of a path (locate.ts) is the parse stage's: it owns the tree.
 */
import type { LineCounter } from 'yaml';

export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Converts offsets to 1-based line/column; the end column is the one after the last character. */
export function toSourceRange(text: string, lineCounter: LineCounter, rawStart: number, rawEnd: number): SourceRange {
  // Errors at the end of input point one past it: keep every position inside the text.
  const start = Math.min(Math.max(rawStart, 0), text.length);
  let last = Math.min(Math.max(start, rawEnd), text.length);
  while (last > start && /[ \t\r\n]/.test(text[last - 1] ?? '')) last--;
  if (last === start) last = Math.min(start + 1, text.length);
  const from = lineCounter.linePos(start);
  const to = lineCounter.linePos(last);
  // An empty file has no characters at all: point at 1:1.
  if (text.length === 0) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
}
