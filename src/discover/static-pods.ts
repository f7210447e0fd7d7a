/**
 * Which files are kubelet static pod manifests: those whose path matches a static pod glob.
 * The kubelet reads every file of its staticPodPath except names starting with ".".
 */
import path from 'node:path';
import { compileGlob, toPosix, type GlobMatcher } from './glob.js';

export const DEFAULT_STATIC_POD_GLOBS = ['**/etc/kubernetes/manifests/*', '**/kubelet.d/*', '**/static-pods/**'];

export class StaticPodMatcher {
  private readonly patterns: GlobMatcher[];
  /** Each path's answer: discovery and the engine ask about every file more than once. */
  private readonly known = new Map<string, boolean>();
  /**
   * Text one of which a path must hold to match, when every glob has some: then most paths are
   * answered by a substring search. Only text a normalised absolute path keeps ("..", "./" and
   * "//" are resolved away in it) can stand for all three forms of the path tried.
   */
  private readonly required: string[] | undefined;

  constructor(
    readonly globs: readonly string[],
    readonly cwd: string = process.cwd(),
  ) {
    this.patterns = globs.map((glob) => compileGlob(glob.replace(/\\/g, '/').replace(/^\.\//, '')));
    const required = this.patterns.map((pattern) => pattern.required);
    this.required = required.every((text) => text !== '' && !/\.\.|\.\/|\/\//.test(text)) ? required : undefined;
  }

  /** Matches the path as given, relative to the working directory, and absolute. */
  matches(filePath: string): boolean {
    let answer = this.known.get(filePath);
    if (answer === undefined) {
      answer = this.test(filePath);
      this.known.set(filePath, answer);
    }
    return answer;
  }

  /**
   * The same answer, not remembered: for the directory search, which asks once about every
   * file without a manifest's extension (a monorepo's sources, thousands of them).
   */
  test(filePath: string): boolean {
    if (this.patterns.length === 0 || path.basename(filePath).startsWith('.')) return false;
    const absolute = path.resolve(this.cwd, filePath);
    if (this.required) {
      const posix = toPosix(absolute);
      if (!this.required.some((text) => posix.includes(text))) return false;
    }
    const candidates = new Set([
      toPosix(filePath).replace(/^\.\//, ''),
      toPosix(path.relative(this.cwd, absolute)),
      toPosix(absolute),
    ]);
    for (const candidate of candidates) if (this.patterns.some((pattern) => pattern.test(candidate))) return true;
    return false;
  }
}
