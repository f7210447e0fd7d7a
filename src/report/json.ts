/**
 * ESLint's `json` format: JSON.stringify of LintResult[], with source only where there are
 * findings and no fixed `output` (as ESLint does). Produced in chunks, one per finding at most, so a report of
 * any size is written without ever building one string longer than V8 allows.
 */
import type { LintResult } from '../types.js';

/** The text of JSON.stringify(results-as-ESLint-prints-them), piece by piece. */
export function* jsonChunks(results: readonly LintResult[]): Generator<string> {
  yield '[';
  let firstResult = true;
  for (const result of results) {
    // Read once, and last: the CLI's results read their source from disk when asked for it.
    const source = result.messages.length > 0 && result.output === undefined ? result.source : undefined;
    const entries = Object.keys(result).flatMap((key) => (key === 'source' ? [] : [[key, result[key as keyof LintResult]] as const]));
    if (source !== undefined) entries.push(['source', source]);
    yield firstResult ? '{' : ',{';
    firstResult = false;
    let firstKey = true;
    for (const [key, value] of entries) {
      const text = Array.isArray(value) ? undefined : JSON.stringify(value);
      if (!Array.isArray(value) && text === undefined) continue; // JSON.stringify drops undefined and functions
      yield `${firstKey ? '' : ','}${JSON.stringify(key)}:`;
      firstKey = false;
      if (text !== undefined) {
        yield text;
        continue;
      }
      // The arrays (messages, suppressedMessages) are what grows: one chunk per element.
      yield '[';
      let firstElement = true;
      for (const element of value as unknown[]) {
        yield `${firstElement ? '' : ','}${JSON.stringify(element) ?? 'null'}`;
        firstElement = false;
      }
      yield ']';
    }
    yield '}';
  }
  yield ']';
}

export function formatJson(results: readonly LintResult[]): string {
  return [...jsonChunks(results)].join('');
}
