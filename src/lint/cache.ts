/**
 * --cache (ESLint's semantics): a file's result is kept between runs in one JSON file and
 * replayed, without reading the file, while the file and everything its result depends on
 * are unchanged. An entry's key covers the run's resolved settings (every rule's severity
 * and options, the target Kubernetes version, the --schema-dir contents, kubelint's version,
 * the plugins' versions and code, the static pod globs) and whether the file is a patch; the
 * file itself is compared by size and modification time (strategy "metadata", the default)
 * or by a hash of its content ("content", which survives a fresh git checkout in CI).
 *
 * The cache is an optimisation, never a failure: a corrupt, truncated or foreign cache file
 * is ignored with one warning and rebuilt, and a cache that cannot be written is one warning.
 * It is written atomically (a new file in the same directory, renamed over the old one), so
 * concurrent runs leave one whole cache (the last writer's), never a mixture.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { writeAtomically } from './atomic-write.js';
import { readBytes } from './read-bytes.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../version.js';
import { ruleOptionsFor, severityOf, type EngineOptions } from './engine.js';
import type { RuleSource } from '../engine/registry.js';
import type { LintResult } from '../types.js';

export type CacheStrategy = 'metadata' | 'content';
export const CACHE_STRATEGIES: readonly CacheStrategy[] = ['metadata', 'content'];

/** ESLint's default is .eslintcache in the working directory. */
export const DEFAULT_CACHE_FILE = '.kubelintcache';

/** Bumped when an entry's shape changes: an older cache is then foreign. */
const CACHE_FORMAT = 1;
const TOOL = 'kubelint';

/** What a file was when it was linted: its size and time, and (strategy content) its hash. */
export interface FileMeta {
  size: number;
  mtimeMs: number;
  hash?: string;
}

interface CacheEntry extends FileMeta {
  /** The settings the result was linted with (settingsKey plus the file's own flags). */
  key: string;
  /** The whole result as linting produced it, kubelint's private fields included. */
  result: LintResult;
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * Where the cache file is: --cache-location as given, or a file inside it when it is a
 * directory (an existing one, or a path ending in a separator), named after the working
 * directory as ESLint does, so that runs from several directories can share one folder.
 */
export function resolveCacheLocation(given: string | undefined, cwd: string): string {
  if (given === undefined || given === '') return path.join(cwd, DEFAULT_CACHE_FILE);
  const absolute = path.resolve(cwd, given);
  const isDirectory = /[\\/]$/.test(given) || statSync(absolute, { throwIfNoEntry: false })?.isDirectory() === true;
  return isDirectory ? path.join(absolute, `.cache_${createHash('sha1').update(path.resolve(cwd)).digest('hex').slice(0, 10)}`) : absolute;
}

/** JSON with object keys sorted, so that the same settings give the same key. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, inner]) => inner !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A plugin as it is today: its package's version and its entry module's content. */
function pluginIdentity(source: RuleSource): unknown {
  let file: string;
  try {
    file = fileURLToPath(source.module);
  } catch {
    return { plugin: source.plugin, module: source.module };
  }
  let hash: string | undefined;
  try {
    hash = contentHash(readFileSync(file));
  } catch {
    hash = undefined;
  }
  return { plugin: source.plugin, module: file, version: packageVersionOf(file), hash };
}

/** The version in the nearest package.json above a module (a plugin's package), if any. */
function packageVersionOf(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown };
      return typeof manifest.version === 'string' ? manifest.version : undefined;
    } catch {
      // no package.json here (or not JSON): look further up
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A --schema-dir as it is today: its schema files by name, each by size and time, or content. */
function schemaDirIdentity(dir: string, strategy: CacheStrategy): unknown {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return { dir, unreadable: true };
  }
  return {
    dir,
    files: names.map((name) => {
      const file = path.join(dir, name);
      try {
        if (strategy === 'content') return [name, contentHash(readFileSync(file))];
        const stats = statSync(file);
        return [name, stats.size, stats.mtimeMs];
      } catch {
        return [name, null];
      }
    }),
  };
}

/** Bumped when what a cached result holds changes, within one kubelint version (2: sourceOnDisk). */
const RESULT_SHAPE = 2;

/**
 * The run's part of every entry's key: what the result of any file depends on besides the
 * file itself. `version` is kubelint's (a parameter for tests).
 */
export function settingsKey(engine: EngineOptions, strategy: CacheStrategy, version: string = VERSION): string {
  const rules = engine.registry.rules.map((rule) => [rule.meta.id, severityOf(rule.meta.id, engine), ruleOptionsFor(rule, engine)]);
  const schemaDirs = (engine.ruleOptions.schema?.schemaDirs as readonly string[] | undefined) ?? [];
  return createHash('sha1')
    .update(
      stableJson({
        version,
        kubeVersion: engine.kubeVersion,
        rules,
        plugins: engine.registry.sources.filter((source) => source.plugin !== undefined).map(pluginIdentity),
        schemaDirs: schemaDirs.map((dir) => schemaDirIdentity(dir, strategy)),
        // A file's static-pod-ness is its path (the entry's name) against these globs.
        staticPods: { globs: engine.staticPods.globs, cwd: engine.staticPods.cwd },
        fullParse: engine.fullParse === true,
        // fix.exclude turns a rule's fixes into suggestions, which results carry.
        fixExclude: [...(engine.fixExclude ?? [])].sort(),
        skipNonManifests: engine.skipNonManifests === true,
        // Results then hold no source (sourceOnDisk).
        sourcesOnDisk: engine.sourcesOnDisk === true,
        resultShape: RESULT_SHAPE,
      }),
    )
    .digest('hex');
}

/**
 * One file's key: the run's settings and whether the file is a kustomize patch (which a
 * kustomization elsewhere decides). Whether it is a static pod depends on its path only,
 * which the entry is stored under, and on the globs, which settingsKey covers.
 */
export function fileKey(runKey: string, engine: EngineOptions, filePath: string): string {
  return engine.patchFiles?.has(filePath) ? `${runKey}:patch` : runKey;
}

/** The metadata and hash of a regular file, without following a FIFO or reading a huge file. */
function currentMeta(filePath: string, strategy: CacheStrategy, maxBytes: number): FileMeta | undefined {
  if (strategy === 'metadata') {
    // One stat, no open: a cached run over a large tree asks this of every file. As with
    // ESLint's file-entry-cache, a file only made unreadable since (chmod) is still replayed.
    try {
      const stats = statSync(filePath, { throwIfNoEntry: false });
      return stats?.isFile() ? { size: stats.size, mtimeMs: stats.mtimeMs } : undefined;
    } catch {
      return undefined;
    }
  }
  let fd: number | undefined;
  try {
    fd = openSync(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stats = fstatSync(fd);
    if (!stats.isFile()) return undefined;
    if (stats.size > maxBytes) return undefined;
    return { size: stats.size, mtimeMs: stats.mtimeMs, hash: contentHash(readBytes(fd, stats.size)) };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface CacheCounts {
  /** Results replayed from the cache. */
  hits: number;
  /** Files looked up and not found (or changed): linted. */
  misses: number;
  /** Files whose content was read to compare hashes (strategy content). */
  contentReads: number;
}

export interface LintCacheOptions {
  location: string;
  strategy: CacheStrategy;
  /** settingsKey() of the run. */
  runKey: string;
  /** One line for standard error (the CLI prefixes nothing: the text starts with "kubelint:"). */
  warn: (message: string) => void;
  /** kubelint's version (a parameter for tests). */
  version?: string;
  /** Messages name the cache file relative to this directory (the run's). */
  cwd?: string;
  /** Files larger than this are never hashed (they are not linted either). */
  maxBytes?: number;
}

export class LintCache {
  readonly counts: CacheCounts = { hits: 0, misses: 0, contentReads: 0 };
  private readonly version: string;
  private readonly old: Map<string, CacheEntry>;
  private readonly fresh = new Map<string, CacheEntry>();
  /** Files this run looked at whose entry must not survive (changed, uncacheable, fixed). */
  private readonly dropped = new Set<string>();
  /** Metadata learnt at lookup (content strategy: the hash), reused when storing. */
  private readonly looked = new Map<string, FileMeta>();

  constructor(private readonly options: LintCacheOptions) {
    this.version = options.version ?? VERSION;
    this.old = this.load();
  }

  private display(): string {
    return path.relative(this.options.cwd ?? process.cwd(), this.options.location) || this.options.location;
  }

  private load(): Map<string, CacheEntry> {
    let text: string;
    try {
      text = readFileSync(this.options.location, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.options.warn(`kubelint: cannot read the cache file ${this.display()} (${code ?? 'error'}); linting every file`);
      return new Map();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const header = parsed as { tool?: unknown; format?: unknown; version?: unknown; files?: unknown } | undefined;
    if (
      typeof header !== 'object' ||
      header === null ||
      header.tool !== TOOL ||
      header.format !== CACHE_FORMAT ||
      header.version !== this.version ||
      typeof header.files !== 'object' ||
      header.files === null ||
      Array.isArray(header.files)
    ) {
      const why =
        header === undefined
          ? 'it is corrupt or truncated'
          : typeof header === 'object' && header !== null && header.tool === TOOL
            ? `it was written by kubelint ${String(header.version)} (cache format ${String(header.format)})`
            : 'it is not a kubelint cache';
      this.options.warn(`kubelint: ignoring the cache file ${this.display()}: ${why}; it will be rebuilt`);
      return new Map();
    }
    return new Map(Object.entries(header.files as Record<string, CacheEntry>));
  }

  /** The cached result of `filePath` linted under `key`, if the file is unchanged; else undefined. */
  lookup(filePath: string, key: string): LintResult | undefined {
    const entry = this.old.get(filePath);
    const valid =
      entry !== undefined &&
      typeof entry === 'object' &&
      entry.key === key &&
      typeof entry.result === 'object' &&
      entry.result !== null &&
      (this.options.strategy === 'metadata' || typeof entry.hash === 'string');
    if (!valid) {
      this.counts.misses++;
      return undefined;
    }
    const meta = currentMeta(filePath, this.options.strategy, this.options.maxBytes ?? Infinity);
    if (this.options.strategy === 'content' && meta?.hash !== undefined) this.counts.contentReads++;
    const unchanged =
      meta !== undefined &&
      (this.options.strategy === 'content' ? meta.hash === entry.hash : meta.size === entry.size && meta.mtimeMs === entry.mtimeMs);
    if (!unchanged) {
      if (meta?.hash !== undefined) this.looked.set(filePath, meta);
      this.counts.misses++;
      return undefined;
    }
    this.counts.hits++;
    // The entry is kept as it is, with the metadata it was stored with.
    this.fresh.set(filePath, entry);
    return entry.result;
  }

  /** Remembers the result of a file just linted, as it was when read (`meta`); no meta: not cacheable. */
  store(filePath: string, key: string, meta: FileMeta | undefined, result: LintResult): void {
    if (meta === undefined) {
      this.forget(filePath);
      return;
    }
    // Content strategy: the hash is of the bytes linted (from the read), else of the lookup's read.
    const hash = meta.hash ?? this.looked.get(filePath)?.hash;
    if (this.options.strategy === 'content' && hash === undefined) {
      this.forget(filePath);
      return;
    }
    this.fresh.set(filePath, { size: meta.size, mtimeMs: meta.mtimeMs, ...(hash !== undefined ? { hash } : {}), key, result });
    this.dropped.delete(filePath);
  }

  /** Drops a file's entry: its result is not to be replayed (--fix rewrote it, it could not be read). */
  forget(filePath: string): void {
    this.fresh.delete(filePath);
    this.dropped.add(filePath);
  }

  /**
   * Writes the cache: this run's entries, and the earlier entries of files this run did not
   * look at that still exist (a run over part of a tree keeps the rest of the tree's). Never
   * throws: a cache that cannot be written costs the next run time, not this run's result.
   * Not written at all when it would not change.
   */
  save(): void {
    // Every entry replayed as it was, none added or dropped: the file on disk is already this run's cache.
    if (this.counts.misses === 0 && this.dropped.size === 0 && this.fresh.size === this.old.size && [...this.fresh].every(([file, entry]) => this.old.get(file) === entry)) return;
    const entries = new Map(this.fresh);
    for (const [file, entry] of this.old) {
      if (entries.has(file) || this.dropped.has(file) || this.looked.has(file)) continue;
      if (statSync(file, { throwIfNoEntry: false })?.isFile()) entries.set(file, entry);
    }
    const version = this.version;
    // Written as it is serialised, in 64 KB pieces: the cache of a large tree is never one string.
    function* serialised(): Generator<string> {
      let pending = `{"tool":${JSON.stringify(TOOL)},"format":${CACHE_FORMAT},"version":${JSON.stringify(version)},"files":{`;
      let first = true;
      for (const [file, entry] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        pending += `${first ? '' : ','}${JSON.stringify(file)}:${JSON.stringify(entry)}`;
        first = false;
        if (pending.length >= 1 << 16) {
          yield pending;
          pending = '';
        }
      }
      yield `${pending}}}\n`;
    }
    try {
      writeAtomically(this.options.location, serialised());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.options.warn(`kubelint: cannot write the cache file ${this.display()} (${code ?? (error as Error).message}); the next run lints every file again`);
    }
  }
}
