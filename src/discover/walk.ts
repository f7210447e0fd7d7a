/**
 * The directory search: one synchronous walk that lists what a directory argument holds,
 * with .gitignore applied as it goes. globby walked the tree twice for this (once for
 * `**\/.gitignore`, once for the files) and then matched every path it found against the
 * patterns: 250 ms of a 2,664-file tree, more than replaying every result from the cache.
 * Here a directory's .gitignore is read when its listing shows one, and an ignored directory
 * is never entered.
 *
 * What it finds is what globby found with `dot: false`, `node_modules` ignored and symbolic
 * links followed: names starting with "." are neither listed nor entered (the kubelet skips
 * them in a static pod directory too), and a link is followed only while it resolves inside
 * the scanned directory.
 */
import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import createIgnore from 'ignore';

type Ignore = ReturnType<typeof createIgnore>;

/** What a walk met that the caller reports: links not followed, directories it could not read. */
export interface WalkEvents {
  /** A symbolic link (absolute) that resolves outside the scanned directory, and where to. */
  outside: Map<string, string>;
  /** Directories (absolute) it was not allowed to read. */
  denied: Set<string>;
}

export interface WalkOptions {
  /** Which regular files to list (absolute paths; directories are always entered). */
  wanted: (file: string, name: string) => boolean;
  /** Apply .gitignore files: those in the tree, and those above it up to the repository root. */
  gitignore: boolean;
  events: WalkEvents;
}

/** The .gitignore rules of one directory, matched against paths relative to it. */
interface IgnoreLevel {
  base: string;
  rules: Ignore;
}

/** The files `wanted` accepts under `root`, in no particular order. */
export function walkDirectory(root: string, { wanted, gitignore, events }: WalkOptions): string[] {
  const found: string[] = [];
  let realRoot = root;
  try {
    realRoot = realpathSync(root);
  } catch {
    // unreadable: readdir reports it
  }
  // Every directory entered, by real path: a link to one (back up the tree, or to one already
  // searched) is not followed, so a loop ends at once and no file is listed twice that way.
  const entered = new Set<string>();
  const visit = (dir: string, realDir: string, levels: readonly IgnoreLevel[]) => {
    entered.add(realDir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') events.denied.add(dir);
      return; // gone meanwhile, or not a directory: nothing to list
    }
    const here = gitignore && entries.some((entry) => entry.name === '.gitignore' && !entry.isDirectory()) ? ignoreLevel(dir) : undefined;
    const active = here ? [...levels, here] : levels;
    for (const entry of entries) {
      const name = entry.name;
      if (name.startsWith('.')) continue;
      const absolute = path.join(dir, name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let real = path.join(realDir, name);
      if (entry.isSymbolicLink()) {
        const target = followedLink(absolute, realRoot, events, wanted);
        if (!target || (target.isDirectory && entered.has(target.real))) continue;
        ({ real, isDirectory } = target);
        isFile = !isDirectory;
      }
      if (isDirectory) {
        if (name === 'node_modules' || isIgnored(active, absolute, true)) continue;
        visit(absolute, real, active);
      } else if (isFile && wanted(absolute, name) && !isIgnored(active, absolute, false)) {
        found.push(absolute);
      }
    }
  };
  visit(root, realRoot, gitignore ? parentIgnoreLevels(root) : []);
  return found;
}

/**
 * Where a symbolic link leads, when the walk may follow it: to a directory or regular file
 * inside `realRoot`. A link leading out is recorded (when it is one the walk would have
 * used), a broken one skipped.
 */
function followedLink(
  link: string,
  realRoot: string,
  events: WalkEvents,
  wanted: WalkOptions['wanted'],
): { real: string; isDirectory: boolean } | undefined {
  let real: string;
  let isDirectory: boolean;
  try {
    real = realpathSync(link);
    const stats = statSync(real);
    if (!stats.isDirectory() && !stats.isFile()) return undefined;
    isDirectory = stats.isDirectory();
  } catch {
    return undefined;
  }
  if (isInside(realRoot, real)) return { real, isDirectory };
  if (isDirectory || wanted(link, path.basename(link))) events.outside.set(link, real);
  return undefined;
}

/** Whether `file` is `root` or lies below it. */
export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** git's rule: a deeper .gitignore overrides a shallower one, and a later line an earlier one. */
function isIgnored(levels: readonly IgnoreLevel[], absolute: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const { base, rules } of levels) {
    const relative = toPosix(path.relative(base, absolute));
    if (relative === '' || relative.startsWith('../')) continue;
    const verdict = rules.test(isDirectory ? `${relative}/` : relative);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/** The rules of `dir`'s .gitignore; undefined when it cannot be read or holds none. */
function ignoreLevel(dir: string): IgnoreLevel | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim() !== '' && !line.startsWith('#'));
  return lines.length ? { base: dir, rules: createIgnore().add(lines) } : undefined;
}

/**
 * The .gitignore files above `root` that apply inside it: those of the directories from the
 * repository's root (the nearest one holding `.git`) down to `root`'s parent. Outside a
 * repository, none.
 */
function parentIgnoreLevels(root: string): IgnoreLevel[] {
  if (hasEntry(root, '.git')) return [];
  const above: string[] = [];
  for (let dir = root; path.dirname(dir) !== dir; ) {
    dir = path.dirname(dir);
    above.push(dir);
    if (hasEntry(dir, '.git')) {
      return above
        .reverse()
        .map(ignoreLevel)
        .filter((level): level is IgnoreLevel => level !== undefined);
    }
  }
  return [];
}

function hasEntry(dir: string, name: string): boolean {
  try {
    statSync(path.join(dir, name));
    return true;
  } catch {
    return false;
  }
}

function toPosix(file: string): string {
  return path.sep === '/' ? file : file.split(path.sep).join('/');
}
