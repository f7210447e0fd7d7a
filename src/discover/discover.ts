/**
 * Discover files: arguments are files, directories (recursed for manifests, .gitignore
 * honoured, node_modules skipped) or globs. Each file is listed once, in a stable order.
 */
import fs, { existsSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { globToRegExp, toPosix } from './glob.js';
import { UsageError } from '../errors.js';
import { chartRootOf, REASON_TEXT, toolFileReason, type NotAManifestReason } from './manifest-files.js';
import { patchFilesOf } from './kustomize.js';
import type { StaticPodMatcher } from './static-pods.js';
import { ignoredByGit, isInside, walkDirectory, type WalkEvents } from './walk.js';

const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

export interface DiscoverOptions {
  cwd: string;
  /** .gitignore-style patterns, relative to `base`, whose matches are never linted. */
  ignore?: { patterns: readonly string[]; base: string };
  /** Extra .gitignore-style patterns (--ignore-pattern), relative to `cwd`. */
  ignorePatterns?: readonly string[];
  /** --no-ignore: neither ignore patterns nor .gitignore apply. */
  noIgnore?: boolean;
  /** Files matching these are found by a directory search whatever their name (the kubelet reads them all). */
  staticPods?: StaticPodMatcher;
  /** Configured schema directories: their JSON schemas are not manifests. */
  schemaDirs?: readonly string[];
  /** Receives one line per --debug event. */
  debug?: (message: string) => void;
}

/** A file looked at and not linted, and why. */
export interface SkippedFile {
  file: string;
  reason: NotAManifestReason | 'ignored';
  /** The ignore pattern that matched, for 'ignored'. */
  pattern?: string;
  /** Named on the command line (an ignored one gets a warning, as in ESLint). */
  explicit: boolean;
}

export interface Discovered {
  /** Absolute paths of the files to lint, sorted. */
  files: string[];
  /** Directories a scan could not read (EACCES): unreadable inputs, reported as such. */
  deniedDirectories: string[];
  /** Files not linted: tool files known by name, ignored files. */
  skipped: SkippedFile[];
  /** Helm charts (directories with Chart.yaml) a scan met or a named file lies in; no subcharts. */
  charts: string[];
  /** Files that kustomizations beside or above the linted files name as patches. */
  patchFiles: string[];
  /** Some argument was a directory or a glob (then finding nothing to lint is an error). */
  searched: boolean;
  /** Files named on the command line. */
  explicit: ReadonlySet<string>;
}

/** Characters that make an argument a glob rather than a path. */
const GLOB_CHARS = /[*?[\]{}()!]/;

type Callback = (error: NodeJS.ErrnoException | null, value?: unknown) => void;

/** What globby learns of a file the walker listed as regular: that it is no directory. */
const LISTED_FILE = { isDirectory: () => false, isFile: () => true } as Stats;

/**
 * The file system globby walks with. A scan follows symbolic links only while they resolve
 * inside `root` (the walker calls `stat` only for links, so regular files cost nothing more):
 * for a link that leaves it, `stat` fails as for a broken link, so the walker neither lists
 * nor enters it. `readdir` records directories it may not read instead of losing them.
 * The walker's paths are relative to `cwd`.
 * globby stats every match to learn whether it is a directory (for `dir/` lines of
 * .gitignore); a regular file the walker has just listed is answered from its listing.
 */
function guardedFs(root: string, cwd: string, events: WalkEvents): typeof fs {
  let realRoot = root;
  try {
    realRoot = realpathSync(root);
  } catch {
    // the root itself is unreadable: readdir reports it
  }
  const guarded = Object.create(fs) as typeof fs & Record<string, unknown>;
  guarded.stat = ((file: string, ...rest: unknown[]) => {
    const callback = rest.pop() as Callback;
    fs.realpath(file, (error, real) => {
      if (!error && !isInside(realRoot, real)) {
        events.outside.set(path.resolve(cwd, file), real);
        const outside: NodeJS.ErrnoException = new Error('a symbolic link out of the scanned directory');
        outside.code = 'ENOENT';
        callback(outside);
        return;
      }
      (fs.stat as (...args: unknown[]) => void)(file, ...rest, callback);
    });
  }) as typeof fs.stat;
  // Each directory's regular files by name (the Dirents' own strings): a path per file, built
  // by path.resolve as a tree of string pieces, held 9 MB at 26,000 files while the walk ran.
  const listedFiles = new Map<string, Set<string>>();
  guarded.readdir = ((directory: string, ...rest: unknown[]) => {
    const callback = rest.pop() as Callback;
    (fs.readdir as (...args: unknown[]) => void)(directory, ...rest, (error: NodeJS.ErrnoException | null, entries: unknown) => {
      if (error && (error.code === 'EACCES' || error.code === 'EPERM')) events.denied.add(path.resolve(cwd, directory));
      if (Array.isArray(entries)) {
        const names = new Set<string>();
        for (const entry of entries) if (entry instanceof fs.Dirent && entry.isFile()) names.add(entry.name);
        listedFiles.set(path.resolve(cwd, directory), names);
      }
      callback(error, entries);
    });
  }) as typeof fs.readdir;
  const promises = Object.create(fs.promises) as typeof fs.promises;
  promises.stat = ((file: string, ...rest: unknown[]) =>
    listedFiles.get(path.dirname(file))?.has(path.basename(file))
      ? Promise.resolve(LISTED_FILE)
      : (fs.promises.stat as (...args: unknown[]) => Promise<Stats>)(file, ...rest)) as typeof fs.promises.stat;
  // fs.promises is a getter: shadowed on the copy, not assigned.
  Object.defineProperty(guarded, 'promises', { value: promises });
  return guarded;
}

/**
 * The files a glob argument matches under `cwd`; globby is loaded only for globs (directories
 * are searched by walkDirectory), so a run on named files (pre-commit) starts faster without
 * it. `root` is what the scan may not leave.
 */
async function glob(pattern: string | string[], cwd: string, root: string, events: WalkEvents, gitignore = true): Promise<string[]> {
  const { globby } = await import('globby');
  const found = await globby(pattern, {
    cwd,
    absolute: true,
    gitignore,
    ignore: ALWAYS_IGNORED,
    dot: false,
    onlyFiles: true,
    followSymbolicLinks: true,
    suppressErrors: true,
    fs: guardedFs(root, cwd, events),
  });
  return found.map((file) => path.normalize(file));
}

/** The directory a glob cannot match outside of: its leading segments without glob characters. */
function globBase(pattern: string, cwd: string): string {
  const segments = pattern.split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (GLOB_CHARS.test(segment)) break;
    fixed.push(segment);
  }
  return path.resolve(cwd, fixed.join('/') || '.');
}

/** Returns absolute paths of the files to lint; throws UsageError for a path that does not exist. */
export async function discoverFiles(args: readonly string[], options: DiscoverOptions): Promise<string[]> {
  return (await discover(args, options)).files;
}

/** Files to lint and directories that could not be read; throws UsageError for a path that does not exist. */
export async function discover(args: readonly string[], options: DiscoverOptions): Promise<Discovered> {
  const files = new Set<string>();
  const explicit = new Set<string>();
  let searched = false;
  const events: WalkEvents = { outside: new Map(), denied: new Set() };
  for (const arg of args) {
    const absolute = path.resolve(options.cwd, arg);
    const { stats, code } = statOrCode(absolute);
    if (stats?.isDirectory()) {
      searched = true;
      const wanted = (file: string, name: string) => SCANNED_FILE.test(name) || (options.staticPods?.test(file) ?? false);
      for (const file of walkDirectory(absolute, { wanted, gitignore: !options.noIgnore, events })) files.add(file);
    } else if (stats || code === 'EACCES' || code === 'EPERM') {
      // A file named explicitly is linted whatever its extension (static pod files have none);
      // a FIFO, socket or device is reported when read, never opened for long (a FIFO would block).
      // A path behind a directory it may not search is read too, so it is reported as
      // "permission denied", not as missing.
      files.add(absolute);
      explicit.add(absolute);
    } else if (GLOB_CHARS.test(arg) && (await import('globby')).isDynamicPattern(arg.replace(/\\/g, '/'))) {
      const pattern = arg.replace(/\\/g, '/');
      searched = true;
      const found = await glob(pattern, options.cwd, globBase(pattern, options.cwd), events, !options.noIgnore);
      if (found.length === 0 && events.denied.size === 0) throw new UsageError(`No files matching the pattern "${arg}" were found.`);
      for (const file of found) files.add(file);
    } else {
      throw new UsageError(`No such file or directory: ${arg}`);
    }
  }
  if (options.debug) {
    for (const [link, target] of [...events.outside].sort(([a], [b]) => (a < b ? -1 : 1))) {
      options.debug(`not following ${link}: a symbolic link to ${target}, outside the scanned directory`);
    }
  }
  return classify(files, explicit, events, searched, options);
}

/** Sorts what was found into files to lint, files skipped (and why), charts and patches. */
function classify(
  found: ReadonlySet<string>,
  explicit: ReadonlySet<string>,
  events: WalkEvents,
  searched: boolean,
  options: DiscoverOptions,
): Discovered {
  const ignoredBy = options.noIgnore ? () => undefined : ignoreMatcher(options);
  const gitIgnoredSet = explicit.size > 0 && !options.noIgnore ? ignoredByGit([...explicit]) : new Set<string>();
  const gitIgnored = (file: string) => gitIgnoredSet.has(file);
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const charts = new Set<string>();
  const nameContext = { root: options.cwd, schemaDirs: options.schemaDirs ?? [], chartRoots: new Map<string, string | undefined>() };
  // A canonical order: the output must not depend on the order the paths were given in.
  for (const file of [...found].sort()) {
    const isExplicit = explicit.has(file);
    const pattern = ignoredBy(file) ?? (isExplicit && gitIgnored(file) ? '.gitignore' : undefined);
    if (pattern !== undefined) {
      skipped.push({ file, reason: 'ignored', pattern, explicit: isExplicit });
      continue;
    }
    const chart = isExplicit ? chartRootOf(file, path.parse(file).root) : chartRootOf(file, options.cwd, existsSync, nameContext.chartRoots);
    if (chart !== undefined) charts.add(chart);
    // The kubelet reads every file of a static pod directory, whatever it is called.
    const reason = options.staticPods?.matches(file) ? undefined : toolFileReason(file, nameContext);
    if (reason) skipped.push({ file, reason, explicit: isExplicit });
    else files.push(file);
  }
  if (options.debug) {
    for (const entry of skipped) {
      options.debug(
        entry.reason === 'ignored'
          ? `ignored ${entry.file} (matches ignore pattern ${JSON.stringify(entry.pattern)})`
          : `skipped ${entry.file}: not a manifest, ${REASON_TEXT[entry.reason]}`,
      );
    }
  }
  return {
    files,
    deniedDirectories: [...events.denied].filter((dir) => ignoredBy(dir) === undefined).sort(),
    skipped,
    charts: outermost([...charts]).sort(),
    patchFiles: patchFilesNear(files),
    searched,
    explicit,
  };
}

/** What a directory search lists by name (as kubectl's `-f DIR`, case-sensitive); static pod directories list every file. */
const SCANNED_FILE = /\.(?:ya?ml|json)$/;

/** Charts not inside another chart found (subcharts are rendered with their parent). */
function outermost(charts: string[]): string[] {
  return charts.filter((chart) => !charts.some((other) => other !== chart && chart.startsWith(`${other}${path.sep}`)));
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Patch files named by the kustomizations in the linted files' directories and the ones above (each read once). */
function patchFilesNear(files: readonly string[]): string[] {
  const seen = new Map<string, string[]>();
  const patches = new Set<string>();
  const visit = (dir: string): string[] => {
    let named = seen.get(dir);
    if (named) return named;
    named = [];
    seen.set(dir, named);
    for (const name of KUSTOMIZATION_FILES) {
      const file = path.join(dir, name);
      if (statOrCode(file).stats?.isFile()) named.push(...patchFilesOf(file));
    }
    const parent = path.dirname(dir);
    // Overlays name patches below them, so a kustomization a few levels up may name this file.
    if (parent !== dir && dir.split(path.sep).length > 2) named.push(...visit(parent));
    return named;
  };
  for (const file of files) for (const patch of visit(path.dirname(file))) patches.add(patch);
  return files.filter((file) => patches.has(file));
}

/** The ignore pattern (or ".gitignore") that excludes `file`, as a run would decide; undefined if none. */
export function ignorePatternFor(file: string, options: DiscoverOptions): string | undefined {
  if (options.noIgnore) return undefined;
  return ignoreMatcher(options)(file) ?? (ignoredByGit([file]).has(file) ? '.gitignore' : undefined);
}

function statOrCode(file: string): { stats?: Stats; code?: string } {
  try {
    return { stats: statSync(file) };
  } catch (error) {
    return { code: (error as NodeJS.ErrnoException).code ?? 'UNKNOWN' };
  }
}

/**
 * .gitignore semantics for ignorePatterns: a pattern without a slash matches at any depth,
 * a trailing slash means a directory and everything in it, `!` is not supported.
 */
export function ignoreMatcher(options: DiscoverOptions): (absolute: string) => string | undefined {
  const sets = [
    { patterns: options.ignore?.patterns ?? [], base: options.ignore?.base ?? options.cwd },
    { patterns: options.ignorePatterns ?? [], base: options.cwd },
  ].map(({ patterns, base }) => ({
    base,
    // Compiled once: the matcher runs for every file found.
    compiled: patterns.map((pattern) => {
      let glob = pattern.replace(/^\.\//, '').replace(/\/$/, '');
      glob = glob.includes('/') ? glob.replace(/^\//, '') : `**/${glob}`;
      return { pattern, matchers: [globToRegExp(glob), globToRegExp(`${glob}/**`)] };
    }),
  }));
  return (absolute) => {
    for (const { base, compiled } of sets) {
      if (compiled.length === 0) continue;
      const relative = toPosix(path.relative(base, absolute));
      if (relative.startsWith('../')) continue;
      const hit = compiled.find(({ matchers }) => matchers.some((matcher) => matcher.test(relative)));
      if (hit) return hit.pattern;
    }
    return undefined;
  };
}
