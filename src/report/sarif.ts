/**
 * SARIF 2.1.0 as GitHub code scanning ingests it: every rule with its descriptions, help
 * and default level; every result with its rule index, full region, a URI relative to
 * the repository root, a stable fingerprint, related locations, and in-source
 * suppressions. `results` is always present; nothing else is printed.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { docsUrlOf } from '../engine/rule.js';
import type { LintMessage, LintResult } from '../types.js';
import type { FormatContext } from './context.js';

export const INFORMATION_URI = 'https://github.com/kubelint/kubelint';
const SRCROOT = '%SRCROOT%';

/** The repository root above `cwd` (the nearest directory with .git), else cwd. */
export function repositoryRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

function artifactLocation(filePath: string, root: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(root, filePath);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(filePath).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function region(location: { line: number; column: number; endLine: number; endColumn: number }) {
  return { startLine: location.line, startColumn: location.column, endLine: location.endLine, endColumn: location.endColumn };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** [start, end) offsets as a 1-based SARIF region; an empty one is an insertion point. */
function offsetsRegion(starts: readonly number[], [start, end]: readonly [number, number]) {
  const at = (offset: number) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  };
  const from = at(start);
  const to = at(end);
  return { startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column };
}

function level(message: LintMessage): 'error' | 'warning' {
  return message.fatal || message.severity === 2 ? 'error' : 'warning';
}

/** A readable name that differs from the id, as SARIF1001 requires (schema -> SchemaValidation). */
function ruleName(id: string): string {
  const name = id.replace(/(^|-)([a-z0-9])/g, (_whole, _dash, letter: string) => letter.toUpperCase());
  return name.toLowerCase() === id.toLowerCase() ? `${name}Validation` : name;
}

/** Stands for the results array while the rest of the log is printed around it. */
const RESULTS_PLACEHOLDER = '\u0000kubelint-results\u0000';

export function formatSarif(results: readonly LintResult[], context: FormatContext): string {
  return [...sarifChunks(results, context)].join('');
}

/**
 * The text of JSON.stringify(log, null, 2), piece by piece: the log around the results,
 * then one chunk per result, so a huge report never becomes one string.
 */
export function* sarifChunks(results: readonly LintResult[], context: FormatContext): Generator<string> {
  const root = repositoryRoot(context.cwd);
  const metas = Object.values(context.rulesMeta);
  const ruleIndex = new Map(metas.map((meta, index) => [meta.id, index]));
  const rules = metas.map((meta) => {
    const url = docsUrlOf(meta);
    const rationale = meta.rationale ?? '';
    return {
      id: meta.id,
      name: ruleName(meta.id),
      shortDescription: { text: meta.description },
      fullDescription: { text: rationale || meta.description },
      ...(url ? { helpUri: url } : {}),
      help: {
        text: `${meta.description} ${rationale}${url ? ` Documentation: ${url}` : ''}`.replace(/\s+$/, ''),
        markdown: `**${meta.description}**${rationale ? `\n\n${rationale}` : ''}${url ? `\n\n[Documentation, examples and how to suppress](${url})` : ''}`,
      },
      defaultConfiguration: { level: meta.severity === 'error' ? 'error' : 'warning', ...(meta.severity === 'off' ? { enabled: false } : {}) },
      properties: { tags: ['kubernetes'] },
    };
  });

  function* sarifResults(): Generator<Record<string, unknown>> {
    for (const result of results) yield* sarifResultsOf(result);
  }
  const sarifResultsOf = (result: LintResult) => {
    const location = artifactLocation(result.filePath, root);
    // Read once: the CLI's results read their source from disk each time it is asked for.
    const source = result.source;
    const lines = (source ?? '').split(/\r?\n/);
    const seen = new Map<string, number>();
    let starts: number[] | undefined;
    const lineStarts = () => (starts ??= lineStartsOf(source ?? ''));
    const toSarif = (message: LintMessage) => {
      const lineText = (lines[message.line - 1] ?? '').trim();
      const hash = createHash('sha256')
        .update(`${message.ruleId}\0${location.uri}\0${lineText}\0${message.message}`)
        .digest('hex')
        .slice(0, 32);
      const occurrence = (seen.get(hash) ?? 0) + 1;
      seen.set(hash, occurrence);
      const sarif: Record<string, unknown> = {
        ruleId: message.ruleId ?? 'yaml-syntax',
        ruleIndex: ruleIndex.get(message.ruleId ?? 'yaml-syntax') ?? 0,
        level: level(message),
        message: { text: message.message },
        locations: [{ physicalLocation: { artifactLocation: location, region: region(message) } }],
        partialFingerprints: { primaryLocationLineHash: `${hash}:${occurrence}` },
      };
      if (message.relatedLocations?.length) {
        sarif.relatedLocations = message.relatedLocations.map((related, id) => ({
          id,
          message: { text: related.message },
          physicalLocation: { artifactLocation: related.filePath ? artifactLocation(related.filePath, root) : location, region: region(related) },
        }));
      }
      if (message.fix && source !== undefined) {
        // SARIF's fix: the replacement as a region of the file (line and column, as results are placed).
        sarif.fixes = [
          {
            description: { text: `Fix: ${message.message.split(/(?<=\.)\s/)[0]}` },
            artifactChanges: [
              {
                artifactLocation: location,
                replacements: [{ deletedRegion: offsetsRegion(lineStarts(), message.fix.range), insertedContent: { text: message.fix.text } }],
              },
            ],
          },
        ];
      }
      if (message.suppressions?.length) {
        sarif.suppressions = message.suppressions.map((suppression) => ({
          kind: 'inSource',
          ...(suppression.justification ? { justification: suppression.justification } : {}),
        }));
      }
      return sarif;
    };
    return [...result.messages.map(toSarif), ...result.suppressedMessages.map(toSarif)];
  };

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubelint',
            version: context.version,
            semanticVersion: context.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(root + path.sep).href } },
        invocations: [{ executionSuccessful: true }],
        columnKind: 'utf16CodeUnits',
        results: RESULTS_PLACEHOLDER,
      },
    ],
  };
  const text = JSON.stringify(log, null, 2);
  const marker = `"results": ${JSON.stringify(RESULTS_PLACEHOLDER)}`;
  const at = text.indexOf(marker);
  const indent = text.slice(text.lastIndexOf('\n', at) + 1, at);
  yield text.slice(0, at + '"results": '.length);
  // JSON strings hold no raw line breaks, so indenting after each one indents whole lines.
  const inner = `\n${indent}  `;
  let first = true;
  for (const sarif of sarifResults()) {
    yield `${first ? '[' : ','}${inner}${JSON.stringify(sarif, null, 2).replace(/\n/g, inner)}`;
    first = false;
  }
  yield first ? '[]' : `\n${indent}]`;
  yield `${text.slice(at + marker.length)}\n`;
}
