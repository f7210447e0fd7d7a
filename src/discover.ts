/**
 * Discover files: arguments are files, directories (recursed for manifests, .gitignore
 * honoured, node_modules skipped) or globs. Each file is listed once, in a stable order.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { matchesGlob } from './glob.js';

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

/** Returns absolute paths of the files to lint; throws UsageError for a path that does not exist. */
/** Loaded only for directories and globs: a run on named files (pre-commit) starts faster without it. */
async function loadGlobby() {
  return import('globby');
}

/** Characters that make an argument a glob rather than a path. */
const GLOB_CHARS = /[*?[\]{}()!]/;

export async function discoverFiles(args: readonly string[], options: DiscoverOptions): Promise<string[]> {
  const files = new Set<string>();
  const ignore = ALWAYS_IGNORED;
  const ignored = ignoreMatcher(options);
  for (const arg of args) {
    const absolute = path.resolve(options.cwd, arg);
    const stats = statOrUndefined(absolute);
    if (stats?.isDirectory()) {
      const { globby } = await loadGlobby();
      const found = await globby(`**/*.{${MANIFEST_EXTENSIONS.join(',')}}`, {
        cwd: absolute,
        absolute: true,
        gitignore: true,
        ignore,
        dot: false,
        followSymbolicLinks: true,
        suppressErrors: true,
      });
      found.sort().forEach((file) => files.add(path.normalize(file)));
    } else if (stats) {
      // A file named explicitly is linted whatever its extension (static pod files have none);
      // a FIFO, socket or device is reported when read, never opened (a FIFO would block).
      files.add(absolute);
    } else if (GLOB_CHARS.test(arg) && (await loadGlobby()).isDynamicPattern(arg.replace(/\\/g, '/'))) {
      const { globby } = await loadGlobby();
      const found = await globby(arg.replace(/\\/g, '/'), {
        cwd: options.cwd,
        absolute: true,
        gitignore: true,
        ignore,
        suppressErrors: true,
        onlyFiles: true,
      });
      if (found.length === 0) throw new UsageError(`No files matching the pattern "${arg}" were found.`);
      found.sort().forEach((file) => files.add(path.normalize(file)));
    } else {
      throw new UsageError(`No such file or directory: ${arg}`);
    }
  }
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
  const patterns = (options.ignore?.patterns ?? []).map((pattern) => {
    let glob = pattern.replace(/^\.\//, '');
    const directory = glob.endsWith('/');
    if (directory) glob = glob.slice(0, -1);
    if (!glob.includes('/')) glob = `**/${glob}`;
    else glob = glob.replace(/^\//, '');
    return [glob, `${glob}/**`];
  });
  const base = options.ignore?.base ?? options.cwd;
  return (absolute) => {
    const relative = path.relative(base, absolute).split(path.sep).join('/');
    if (relative.startsWith('../')) return false;
    return patterns.some((globs) => globs.some((glob) => matchesGlob(relative, glob)));
  };
}
