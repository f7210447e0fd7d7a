/**
 * Discover files: arguments are files, directories (recursed for manifests, .gitignore
 * honoured, node_modules skipped) or globs. Each file is listed once, in a stable order.
 */
import fs, { realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { globToRegExp } from './glob.js';

export const MANIFEST_EXTENSIONS = ['yaml', 'yml', 'json'];
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface DiscoverOptions {
  cwd: string;
  /** .gitignore-style patterns, relative to `base`, whose matches are never linted. */
  ignore?: { patterns: readonly string[]; base: string };
  /** Receives one line per --debug event (a symbolic link not followed). */
  debug?: (message: string) => void;
}

export interface Discovered {
  /** Absolute paths of the files to lint, sorted. */
  files: string[];
  /** Directories a scan could not read (EACCES): unreadable inputs, reported as such. */
  deniedDirectories: string[];
}

/** Characters that make an argument a glob rather than a path. */
const GLOB_CHARS = /[*?[\]{}()!]/;

/** What a scan met that the caller reports: links not followed, directories it could not read. */
interface ScanEvents {
  outside: Map<string, string>;
  denied: Set<string>;
}

type Callback = (error: NodeJS.ErrnoException | null, value?: unknown) => void;

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * The file system globby walks with. A scan follows symbolic links only while they resolve
 * inside `root` (the walker calls `stat` only for links, so regular files cost nothing more):
 * for a link that leaves it, `stat` fails as for a broken link, so the walker neither lists
 * nor enters it. `readdir` records directories it may not read instead of losing them.
 * The walker's paths are relative to `cwd`.
 */
function guardedFs(root: string, cwd: string, events: ScanEvents): typeof fs {
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
  guarded.readdir = ((directory: string, ...rest: unknown[]) => {
    const callback = rest.pop() as Callback;
    (fs.readdir as (...args: unknown[]) => void)(directory, ...rest, (error: NodeJS.ErrnoException | null, entries: unknown) => {
      if (error && (error.code === 'EACCES' || error.code === 'EPERM')) events.denied.add(path.resolve(cwd, directory));
      callback(error, entries);
    });
  }) as typeof fs.readdir;
  return guarded;
}

/**
 * Matching files under `cwd`; globby is loaded only for directories and globs, so a run
 * on named files (pre-commit) starts faster without it. `root` is what the scan may not leave.
 */
async function glob(pattern: string, cwd: string, root: string, events: ScanEvents): Promise<string[]> {
  const { globby } = await import('globby');
  const found = await globby(pattern, {
    cwd,
    absolute: true,
    gitignore: true,
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
  const events: ScanEvents = { outside: new Map(), denied: new Set() };
  for (const arg of args) {
    const absolute = path.resolve(options.cwd, arg);
    const { stats, code } = statOrCode(absolute);
    if (stats?.isDirectory()) {
      for (const file of await glob(`**/*.{${MANIFEST_EXTENSIONS.join(',')}}`, absolute, absolute, events)) files.add(file);
    } else if (stats || code === 'EACCES' || code === 'EPERM') {
      // A file named explicitly is linted whatever its extension (static pod files have none);
      // a FIFO, socket or device is reported when read, never opened for long (a FIFO would block).
      // A path behind a directory it may not search is read too, so it is reported as
      // "permission denied", not as missing.
      files.add(absolute);
    } else if (GLOB_CHARS.test(arg) && (await import('globby')).isDynamicPattern(arg.replace(/\\/g, '/'))) {
      const pattern = arg.replace(/\\/g, '/');
      const found = await glob(pattern, options.cwd, globBase(pattern, options.cwd), events);
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
  const ignored = ignoreMatcher(options);
  // A canonical order: the output must not depend on the order the paths were given in.
  return {
    files: [...files].filter((file) => !ignored(file)).sort(),
    deniedDirectories: [...events.denied].filter((dir) => !ignored(dir)).sort(),
  };
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
export function ignoreMatcher(options: DiscoverOptions): (absolute: string) => boolean {
  // Compiled once: the matcher runs for every file found.
  const patterns = (options.ignore?.patterns ?? []).flatMap((pattern) => {
    let glob = pattern.replace(/^\.\//, '').replace(/\/$/, '');
    glob = glob.includes('/') ? glob.replace(/^\//, '') : `**/${glob}`;
    return [globToRegExp(glob), globToRegExp(`${glob}/**`)];
  });
  const base = options.ignore?.base ?? options.cwd;
  return (absolute) => {
    if (patterns.length === 0) return false;
    const relative = path.relative(base, absolute).split(path.sep).join('/');
    if (relative.startsWith('../')) return false;
    return patterns.some((pattern) => pattern.test(relative));
  };
}
