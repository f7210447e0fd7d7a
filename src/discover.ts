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
  /** Globs (relative to cwd) whose matches are never linted. */
  ignorePatterns?: readonly string[];
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
  const ignore = [...ALWAYS_IGNORED, ...(options.ignorePatterns ?? [])];
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
      // A file named explicitly is linted whatever its extension (static pod files have none).
      if (!isIgnored(absolute, options)) files.add(absolute);
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
  return [...files];
}

function statOrUndefined(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function isIgnored(absolute: string, options: DiscoverOptions): boolean {
  const relative = path.relative(options.cwd, absolute).split(path.sep).join('/');
  return (options.ignorePatterns ?? []).some((pattern) => matchesGlob(relative, pattern));
}
