/**
 * Discover files: arguments are files, directories (recursed for manifests, .gitignore
 * honoured, node_modules skipped) or globs. Each file is listed once, in a stable order.
 */
import { statSync } from 'node:fs';
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
}

/** Characters that make an argument a glob rather than a path. */
const GLOB_CHARS = /[*?[\]{}()!]/;

/**
 * Matching files under `cwd`; globby is loaded only for directories and globs, so a run
 * on named files (pre-commit) starts faster without it.
 */
async function glob(pattern: string, cwd: string): Promise<string[]> {
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
  });
  return found.map((file) => path.normalize(file));
}

/** Returns absolute paths of the files to lint; throws UsageError for a path that does not exist. */
export async function discoverFiles(args: readonly string[], options: DiscoverOptions): Promise<string[]> {
  const files = new Set<string>();
  for (const arg of args) {
    const absolute = path.resolve(options.cwd, arg);
    const stats = statOrUndefined(absolute);
    if (stats?.isDirectory()) {
      for (const file of await glob(`**/*.{${MANIFEST_EXTENSIONS.join(',')}}`, absolute)) files.add(file);
    } else if (stats) {
      // A file named explicitly is linted whatever its extension (static pod files have none);
      // a FIFO, socket or device is reported when read, never opened for long (a FIFO would block).
      files.add(absolute);
    } else if (GLOB_CHARS.test(arg) && (await import('globby')).isDynamicPattern(arg.replace(/\\/g, '/'))) {
      const found = await glob(arg.replace(/\\/g, '/'), options.cwd);
      if (found.length === 0) throw new UsageError(`No files matching the pattern "${arg}" were found.`);
      for (const file of found) files.add(file);
    } else {
      throw new UsageError(`No such file or directory: ${arg}`);
    }
  }
  const ignored = ignoreMatcher(options);
  // A canonical order: the output must not depend on the order the paths were given in.
  return [...files].filter((file) => !ignored(file)).sort();
}

function statOrUndefined(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
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
