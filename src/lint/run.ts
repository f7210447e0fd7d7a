/**
 * Discover files -> read -> lint each: the whole path of a run, shared by the CLI and the
 * library API. Reading is careful: it never follows a file past the kubelet's 10 MB cap,
 * and a binary or non-UTF-8 file becomes a finding, not a crash.
 */
import { closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { discover, type Discovered, type DiscoverOptions, type SkippedFile } from '../discover/discover.js';
import { REASON_TEXT, type NotAManifestReason } from '../discover/manifest-files.js';
import { helmMissingNote, renderChart, splitRenderedSources, templatePath, type RenderOutcome } from '../discover/helm.js';
import { lintText, summarize, withoutByteOrderMark, type EngineOptions } from './engine.js';
import { lintInWorkers, workerCount } from './parallel.js';
import { resolveRunFacts } from './cross-object.js';
import { contentHash, fileKey, type FileMeta, type LintCache } from './cache.js';
import { readBytes } from './read-bytes.js';
import type { LintResult, RunStats } from '../types.js';

/** The kubelet refuses static pod files over 10 MB; kubelint reads no manifest larger. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type ReadOutcome = { text: string } | { problem: string };

/**
 * How many manifests this thread has read to lint (`files`: tests prove with it that a cached
 * run reads none), and read again to print or place a finding (`again`).
 */
export const readCounter = { files: 0, again: 0 };

export interface ReadOptions {
  /**
   * --cache: told what the file was when read: size and time from the open file, so a
   * change after the read is seen by the next run, and with `hash`, its content's hash.
   */
  meta?: { hash: boolean; found?: FileMeta };
  /** Why the file is read: to lint it (the default), or again for its text; counted apart in readCounter. */
  purpose?: 'lint' | 'again';
}

/** Reads a manifest as UTF-8 text, refusing huge, binary and undecodable files. */
export function readManifest(filePath: string, { meta, purpose = 'lint' }: ReadOptions = {}): ReadOutcome {
  let fd: number | undefined;
  try {
    // Non-blocking, so that opening a FIFO does not wait for a writer; one fstat tells the rest.
    fd = openSync(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { problem: 'not a regular file (a FIFO, socket or device), so it was not read' };
    readCounter[purpose === 'again' ? 'again' : 'files']++;
    // An oversize file is not read, so its result is not cached (no meta): it is cheap to redo.
    if (meta && stats.size <= MAX_FILE_BYTES) {
      return readRegularFile(fd, stats.size, (bytes) => {
        meta.found = { size: stats.size, mtimeMs: stats.mtimeMs, ...(meta.hash ? { hash: contentHash(bytes) } : {}) };
      });
    }
    return readRegularFile(fd, stats.size);
  } catch (error) {
    return { problem: `cannot read the file: ${ioReason(error)}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** What an I/O error means, in plain words. */
export function ioReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ENOENT') return 'no such file or directory';
  return (error as Error).message.split('\n')[0]!;
}

/** The same finding for a file and for standard input; a stream's full size is never learnt. */
function oversize(size: number | undefined): ReadOutcome {
  const what = size === undefined ? 'over the 10 MB' : `${(size / 1024 / 1024).toFixed(1)} MB, over the 10 MB`;
  return { problem: `file is ${what} the kubelet and kubelint read; it was not parsed. Split it into smaller files` };
}

/**
 * Reads an open regular file of `size` bytes (from fstat) from its current offset: the
 * size is checked before anything is read, and a file that grows meanwhile is not followed.
 */
export function readRegularFile(fd: number, size: number, onBytes?: (bytes: Uint8Array) => void): ReadOutcome {
  if (size > MAX_FILE_BYTES) return oversize(size);
  const bytes = readBytes(fd, size);
  onBytes?.(bytes);
  return decodeManifest(bytes);
}

/**
 * Collects a stream of unknown length (standard input from a pipe or a device) under the
 * same cap: reading stops at the first byte past 10 MB, so `< /dev/zero` ends at once.
 */
export async function readCappedStream(chunks: AsyncIterable<Uint8Array>, stop: () => void): Promise<ReadOutcome> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > MAX_FILE_BYTES) {
      stop();
      return oversize(undefined);
    }
    parts.push(chunk);
  }
  return decodeManifest(Buffer.concat(parts, total));
}

/** Standard input is not there or is not a stream of text: nothing to lint, exit 2. */
export class NoInputError extends UsageError {}

/**
 * Reads standard input with every check a file gets (size cap while streaming, NUL and
 * UTF-8 checks). A closed standard input (Node reopens it as /dev/null) or a directory
 * is "no usable input" and throws NoInputError.
 */
export async function readStandardInput(): Promise<ReadOutcome> {
  let stats;
  try {
    stats = fstatSync(0);
  } catch {
    throw new NoInputError('no usable input: standard input is closed');
  }
  if (stats.isDirectory()) throw new NoInputError('no usable input: standard input is a directory, not a manifest');
  if (stats.isCharacterDevice() && isDevNull(stats)) throw new NoInputError('no usable input: standard input is closed (or /dev/null)');
  if (stats.isFile()) {
    try {
      return readRegularFile(0, stats.size);
    } catch (error) {
      throw new NoInputError(`cannot read standard input: ${ioReason(error)}`);
    }
  }
  // A pipe, socket, terminal or device: stream it; process.stdin handles non-blocking pipes.
  const stdin = process.stdin;
  try {
    return await readCappedStream(stdin, () => stdin.destroy());
  } catch (error) {
    throw new NoInputError(`cannot read standard input: ${ioReason(error)}`);
  }
}

function isDevNull(stats: { rdev: number }): boolean {
  try {
    return statSync('/dev/null').rdev === stats.rdev;
  } catch {
    return false;
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function decodeManifest(buffer: Uint8Array): ReadOutcome {
  if (buffer.includes(0)) return { problem: 'file is binary (it contains NUL bytes), not a YAML or JSON manifest' };
  try {
    return { text: UTF8.decode(buffer) };
  } catch {
    return { problem: 'file is not valid UTF-8: Kubernetes manifests must be UTF-8 text. Re-save it as UTF-8' };
  }
}

/** A file that could not be read becomes one fatal finding at 1:1, like ESLint's parse errors. */
export function unreadableResult(filePath: string, problem: string): LintResult {
  return summarize({
    filePath,
    messages: [
      { ruleId: 'yaml-syntax', severity: 2, fatal: true, message: `${problem}.`, line: 1, column: 1, endLine: 1, endColumn: 1 },
    ],
    suppressedMessages: [],
    source: '',
  });
}

/** A result with what the file was when read, for --cache (a private field, dropped by lintRun). */
export type LintedFile = LintResult & { fileMeta?: FileMeta };

/**
 * Lints one file. With `cacheMeta` ('metadata' or 'content'), the result carries the file's
 * FileMeta when the file was read (an I/O problem leaves none: such a result is not cached,
 * since fixing permissions changes no modification time).
 */
export function lintFile(filePath: string, options: EngineOptions, cacheMeta?: 'metadata' | 'content'): LintedFile {
  const meta: { hash: boolean; found?: FileMeta } | undefined = cacheMeta ? { hash: cacheMeta === 'content' } : undefined;
  const outcome = readManifest(filePath, meta ? { meta } : {});
  const result: LintedFile = 'problem' in outcome ? unreadableResult(filePath, outcome.problem) : lintText(outcome.text, filePath, options, true);
  if (meta?.found) result.fileMeta = meta.found;
  return result;
}

/**
 * A file's text read again (for a finding the run added, or to print it): nothing when it
 * can no longer be read, or is no longer `length` long (changed since it was linted).
 */
export function sourceFromDisk(filePath: string, length: number): string | undefined {
  const outcome = readManifest(filePath, { purpose: 'again' });
  if ('problem' in outcome) return undefined;
  const text = withoutByteOrderMark(outcome.text);
  return text.length === length ? text : undefined;
}

/**
 * A result that does not hold its file's text: `source` reads the file again each time it
 * is asked for (each formatter asks once per file), so that only the file being printed is
 * in memory. The getter is the class's, not each object's: a getter defined on each result
 * put it in V8's slow dictionary mode (measured at 100k documents: 440 bytes more a result
 * with findings, 5.7 MB in all).
 */
export class ResultReadFromDisk {
  readonly #length: number;

  /** `fields` without `source` (a result has only a getter for it); `length`, the text's when linted. */
  constructor(fields: Omit<LintResult, 'source'>, length: number) {
    Object.assign(this, fields);
    this.#length = length;
  }

  get source(): string | undefined {
    return sourceFromDisk(this.filePath, this.#length);
  }

  /** A copy with some fields replaced (--quiet keeps only the errors), its source still on disk. */
  with(changes: Partial<Omit<LintResult, 'source'>>): ResultReadFromDisk & LintResult {
    return new ResultReadFromDisk({ ...this, ...changes }, this.#length) as ResultReadFromDisk & LintResult;
  }
}
// The fields Object.assign gives each instance.
export interface ResultReadFromDisk extends Omit<LintResult, 'source'> {}

export async function lintPaths(
  paths: readonly string[],
  engine: EngineOptions,
  options: DiscoverOptions,
): Promise<LintResult[]> {
  return (await lintRun(await discover(paths, options), engine)).results;
}

/** Lints what discovery found; the results only (see lintRun). */
export async function lintDiscovered(found: Discovered, engine: EngineOptions): Promise<LintResult[]> {
  return (await lintRun(found, engine)).results;
}

export interface RunOutcome {
  results: LintResult[];
  /** Files not linted, each once: tool files, non-manifests, ignored files. */
  skipped: SkippedFile[];
  /** One line each for stderr: a chart that could not be rendered, and how to lint it. */
  notes: string[];
  stats: RunStats;
}

export interface RunHooks {
  debug?: (message: string) => void;
  /** Renders a Helm chart (tests pass a stand-in; default: the helm on PATH). */
  render?: (chartDir: string) => RenderOutcome;
  /** Called after each file with how many objects it held, for a progress line. */
  onFileDone?: (done: number, total: number, objects: number) => void;
  /** --cache: results of unchanged files are replayed from it, those of the others stored in it (the caller saves it). */
  cache?: { store: LintCache; runKey: string; strategy: 'metadata' | 'content' };
  /**
   * Told where files are linted: 'here' before this thread lints them, 'on workers' as each
   * worker thread comes online (the executable tunes V8 by it: src/cli/memory.ts).
   */
  onLinting?: (linting: 'here' | 'on workers') => void;
}

/**
 * Lints what discovery found, renders the Helm charts it met, and accounts for every file:
 * linted, skipped as not a manifest, ignored. A directory that could not be read is an
 * unreadable input, like a file: one finding at 1:1, in path order with the files.
 */
export async function lintRun(found: Discovered, baseEngine: EngineOptions, hooks: RunHooks = {}): Promise<RunOutcome> {
  const engine: EngineOptions = {
    ...baseEngine,
    skipNonManifests: true,
    ...(found.patchFiles.length ? { patchFiles: new Set(found.patchFiles) } : {}),
  };
  const { files, deniedDirectories } = found;
  const linted = await lintFiles(files, engine, hooks);
  const skipped: SkippedFile[] = [...found.skipped];
  const results: LintResult[] = [];
  for (const result of linted) {
    if (!result.skipped) {
      results.push(result);
      continue;
    }
    const reason = result.skipped as NotAManifestReason;
    skipped.push({ file: result.filePath, reason, explicit: found.explicit.has(result.filePath) });
    hooks.debug?.(`skipped ${result.filePath}: not a manifest, ${REASON_TEXT[reason]}`);
  }
  const notes: string[] = [];
  for (const chart of found.charts) {
    const outcome = (hooks.render ?? renderChart)(chart);
    if ('helmMissing' in outcome) {
      notes.push(helmMissingNote(path.relative(process.cwd(), chart) || '.'));
      hooks.debug?.(`chart ${chart}: not rendered (helm is not on PATH)`);
    } else if ('problem' in outcome) {
      results.push(problemResult(path.join(chart, 'Chart.yaml'), outcome.problem));
      hooks.debug?.(`chart ${chart}: ${outcome.problem}`);
    } else {
      const rendered = lintRendered(outcome.rendered, path.join(chart, 'Chart.yaml'), chart, engine);
      hooks.debug?.(`chart ${chart}: rendered with helm template (${rendered.length} templates)`);
      results.push(...rendered);
    }
  }
  results.push(...deniedDirectories.map((dir) => unreadableResult(dir, 'cannot read the directory: permission denied')));
  results.sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
  return finishRun(resolveRunFacts(results, engine, sourceFromDisk), skipped, notes, hooks);
}

/**
 * Every file's result, in the order of `files`: from the cache where it holds an unchanged
 * file's, else linted (on worker threads when there is enough to lint) and stored in it.
 */
async function lintFiles(files: readonly string[], engine: EngineOptions, hooks: RunHooks): Promise<LintResult[]> {
  const cache = hooks.cache;
  const results: LintResult[] = new Array(files.length);
  const keys: string[] = [];
  let toLint: number[] = [];
  let done = 0;
  if (cache) {
    for (let index = 0; index < files.length; index++) {
      const file = files[index]!;
      const key = (keys[index] = fileKey(cache.runKey, engine, file));
      const hit = cache.store.lookup(file, key);
      if (hit) {
        results[index] = hit;
        hooks.onFileDone?.(++done, files.length, hit.objects ?? 0);
      } else toLint.push(index);
    }
    hooks.debug?.(`cache: ${files.length - toLint.length} of ${files.length} files from ${cache.strategy === 'metadata' ? 'the cache (unchanged size and time)' : 'the cache (unchanged content)'}`);
  } else toLint = files.map((_file, index) => index);
  const paths = toLint.map((index) => files[index]!);
  const workers = workerCount(paths);
  if (workers === 0 && paths.length > 0) hooks.onLinting?.('here');
  const strategy = cache?.strategy;
  const onDone = (objects: number) => hooks.onFileDone?.(++done, files.length, objects);
  const linted: LintedFile[] =
    workers > 0
      ? await lintInWorkers(paths, engine, workers, {
          onFileDone: (_done, _total, objects) => onDone(objects),
          cacheMeta: strategy,
          ...(hooks.onLinting ? { onWorkerOnline: () => hooks.onLinting!('on workers') } : {}),
        })
      : paths.map((file) => {
          const result = lintFile(file, engine, strategy);
          onDone(result.objects ?? 0);
          return result;
        });
  linted.forEach((result, at) => {
    const index = toLint[at]!;
    const { fileMeta, ...kept } = result;
    cache?.store.store(files[index]!, keys[index]!, fileMeta, kept);
    results[index] = kept;
  });
  return results;
}

/** Counts, --debug lines, and results without kubelint's private fields. */
export function finishRun(results: LintResult[], skipped: SkippedFile[], notes: string[], hooks: RunHooks = {}): RunOutcome {
  const stats: RunStats = { filesLinted: results.length, objects: 0, skipped: {}, notSchemaValidated: {} };
  for (const entry of skipped) {
    const key = entry.reason === 'ignored' ? 'ignored' : 'not a manifest';
    stats.skipped[key] = (stats.skipped[key] ?? 0) + 1;
  }
  const clean = results.map((result) => {
    stats.objects += result.objects ?? 0;
    for (const [kind, count] of Object.entries(result.notSchemaValidated ?? {})) {
      stats.notSchemaValidated[kind] = (stats.notSchemaValidated[kind] ?? 0) + count;
    }
    hooks.debug?.(`linted ${result.filePath}`);
    const { skipped: _skipped, objects: _objects, runFacts: _runFacts, sourceOnDisk, ...kept } = result;
    if (sourceOnDisk === undefined || kept.source !== undefined) return kept;
    const { source: _none, ...fields } = kept;
    return new ResultReadFromDisk(fields, sourceOnDisk) as ResultReadFromDisk & LintResult;
  });
  const unvalidated = Object.entries(stats.notSchemaValidated);
  if (unvalidated.length > 0) {
    const total = unvalidated.reduce((sum, [, count]) => sum + count, 0);
    hooks.debug?.(`not schema-validated (no schema; --schema-dir adds one): ${total} objects: ${unvalidated.map(([kind, count]) => `${kind} x${count}`).join(', ')}`);
  }
  return { results: clean, skipped, notes, stats };
}

/**
 * Lints a stream helm rendered: each template's documents are one result, named after the
 * template file (from helm's `# Source:` comments), at their position in helm's output for
 * that template. A stream without `# Source:` comments is one result named `name`.
 */
export function lintRendered(stream: string, name: string, chartDir: string | undefined, engine: EngineOptions): LintResult[] {
  const slices = splitRenderedSources(stream);
  if (slices.length === 1 && slices[0]!.source === undefined) return [lintText(stream, name, engine)];
  const bySource = new Map<string, string[]>();
  for (const slice of slices) {
    const file = slice.source === undefined ? name : templatePath(slice.source, chartDir);
    const texts = bySource.get(file) ?? [];
    texts.push(slice.text.endsWith('\n') || slice.text === '' ? slice.text : `${slice.text}\n`);
    bySource.set(file, texts);
  }
  return [...bySource].map(([file, texts]) => lintText(texts.join('---\n'), file, engine));
}

/** A problem that is not a finding of any rule (helm failed): one error at 1:1. */
function problemResult(filePath: string, problem: string): LintResult {
  return summarize({
    filePath,
    messages: [{ ruleId: null, severity: 2, fatal: true, message: `${problem}.`, line: 1, column: 1, endLine: 1, endColumn: 1 }],
    suppressedMessages: [],
  });
}
