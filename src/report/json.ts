/**
 * ESLint's `json` format: JSON.stringify of LintResult[], with source only where there are
 * findings and no fixed `output` (as ESLint does). Produced in chunks, one per result (or,
 * for a result with very many findings, one per finding), so a report of any size is
 * written without ever building one string longer than V8 allows.
 */
import type { LintResult } from '../types.js';

/** A result with more findings than this is written finding by finding. */
const WHOLE_RESULT_MAX_MESSAGES = 1000;

/** The text of JSON.stringify(results-as-ESLint-prints-them), piece by piece. */
export function* jsonChunks(results: readonly LintResult[]): Generator<string> {
  yield '[';
  let firstResult = true;
  for (const result of results) {
    const printed = asPrinted(result);
    const separator = firstResult ? '' : ',';
    firstResult = false;
    if (result.messages.length + result.suppressedMessages.length <= WHOLE_RESULT_MAX_MESSAGES) {
      // One stringify per result: a chunk per key and finding cost more than the JSON itself.
      yield separator + JSON.stringify(printed);
      continue;
    }
    yield `${separator}{`;
    let firstKey = true;
    for (const [key, value] of Object.entries(printed)) {
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

/** The result's own fields in their order, with `source` last and only where ESLint prints it. */
function asPrinted(result: LintResult): Record<string, unknown> {
  // Read once, and last: the CLI's results read their source from disk when asked for it.
  const source = result.messages.length > 0 && result.output === undefined ? result.source : undefined;
  const printed: Record<string, unknown> = {};
  for (const key of Object.keys(result)) {
    if (key !== 'source') printed[key] = result[key as keyof LintResult];
  }
  if (source !== undefined) printed.source = source;
  return printed;
}

export function formatJson(results: readonly LintResult[]): string {
  return [...jsonChunks(results)].join('');
}
