/**
 * Glob matching for static pod paths and ignore patterns, in linear time.
 *
 * A glob is compiled to a small NFA and run as a set of states (Thompson's simulation),
 * never to a backtracking RegExp: a pattern from a repository's .kubelint.yaml such as
 * `**\/a**a**a**a**a**b` made the RegExp version (and picomatch, which compiles to a
 * RegExp too) take seconds to minutes on a 200-character name. Here the work is at most
 * (path length + 1) × (pattern states) steps.
 *
 * Syntax, over `/`-separated paths, anchored at both ends:
 *   `**` as a whole segment (`**\/x`, `a/**\/x`): zero or more whole segments;
 *   `**` elsewhere (`a**`, trailing `/**`): any characters, `/` included;
 *   `*`: any characters but `/`;  `?`: one character but `/`;
 *   `{a,b}`: one of the choices (no nesting; `*` and `?` work inside);
 *   anything else, `[`, `]` and `\` included, is literal.
 */

import path from 'node:path';

type Node =
  | { type: 'char'; char: string; next: number }
  | { type: 'one'; next: number } // one character but '/'
  | { type: 'star'; next: number } // ε to next, or consume a character but '/' and stay
  | { type: 'any'; next: number } // ε to next, or consume any character and stay
  | { type: 'segments'; next: number } // ε to next, or consume any character and stay; after a '/' also go on
  | { type: 'split'; outs: number[] }
  | { type: 'match' };

export interface GlobMatcher {
  readonly glob: string;
  /** Text every path the glob matches holds (its longest literal run; '' when it has none). */
  readonly required: string;
  /** True when the whole `/`-separated path matches. */
  test(path: string): boolean;
  /** Steps taken by every test() so far: state visits, for bounding the work in tests. */
  readonly steps: number;
}

/** A piece of the glob before it is linked into nodes. */
type Piece =
  | { type: 'char'; char: string }
  | { type: 'one' | 'star' | 'any' | 'segments' }
  | { type: 'choice'; choices: Piece[][] };

function parse(glob: string): Piece[] {
  const pieces: Piece[] = [];
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      const slashBefore = i === 0 || glob[i - 1] === '/';
      if (slashBefore && slashAfter) {
        pieces.push({ type: 'segments' });
        i += 2;
      } else {
        pieces.push({ type: 'any' });
        i += 1;
      }
    } else if (char === '*') pieces.push({ type: 'star' });
    else if (char === '?') pieces.push({ type: 'one' });
    else if (char === '{' && glob.indexOf('}', i) > i) {
      const close = glob.indexOf('}', i);
      const choices = glob
        .slice(i + 1, close)
        .split(',')
        .map((choice) => [...choice].map((c): Piece => (c === '*' ? { type: 'star' } : c === '?' ? { type: 'one' } : { type: 'char', char: c })));
      pieces.push({ type: 'choice', choices });
      i = close;
    } else pieces.push({ type: 'char', char });
  }
  return pieces;
}

/** Links pieces into nodes, back to front, so each node knows the node after it. */
function link(pieces: readonly Piece[], next: number, nodes: Node[]): number {
  let after = next;
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i]!;
    if (piece.type === 'choice') {
      const outs = piece.choices.map((choice) => link(choice, after, nodes));
      nodes.push({ type: 'split', outs });
    } else if (piece.type === 'char') nodes.push({ type: 'char', char: piece.char, next: after });
    else nodes.push({ type: piece.type, next: after });
    after = nodes.length - 1;
  }
  return after;
}

export function compileGlob(glob: string): GlobMatcher {
  const nodes: Node[] = [{ type: 'match' }];
  const pieces = parse(glob);
  const start = link(pieces, 0, nodes);
  // A match holds every literal run of the glob, so the longest one is a cheap first test
  // (a static pod glob against thousands of paths that do not hold "etc/kubernetes/manifests/").
  let required = '';
  let run = '';
  for (const piece of [...pieces, undefined]) {
    if (piece?.type === 'char') {
      run += piece.char;
      continue;
    }
    if (run.length > required.length) required = run;
    run = '';
  }
  // Generation marks instead of Sets: each state enters a step's set at most once.
  // (Float64: exact up to 2^53 generations, so the marks never wrap.)
  const seen = new Float64Array(nodes.length).fill(-1);
  let generation = 0;
  let steps = 0;

  /** Adds `id` and everything reachable from it without consuming a character. */
  const add = (id: number, into: number[]): void => {
    const stack = [id];
    while (stack.length > 0) {
      const current = stack.pop()!;
      steps++;
      if (seen[current] === generation) continue;
      seen[current] = generation;
      const node = nodes[current]!;
      if (node.type === 'split') for (const out of node.outs) stack.push(out);
      else {
        into.push(current);
        if (node.type === 'star' || node.type === 'any' || node.type === 'segments') stack.push(node.next);
      }
    }
  };

  return {
    glob,
    required,
    get steps() {
      return steps;
    },
    test(path: string): boolean {
      if (!path.includes(required)) return false;
      generation++;
      let current: number[] = [];
      add(start, current);
      for (let i = 0; i < path.length && current.length > 0; i++) {
        const char = path[i]!;
        generation++;
        const next: number[] = [];
        for (const id of current) {
          const node = nodes[id]!;
          steps++;
          switch (node.type) {
            case 'char':
              if (node.char === char) add(node.next, next);
              break;
            case 'one':
              if (char !== '/') add(node.next, next);
              break;
            case 'star':
              if (char !== '/') add(id, next);
              break;
            case 'any':
              add(id, next);
              break;
            case 'segments':
              add(id, next);
              if (char === '/') add(node.next, next);
              break;
          }
        }
        current = next;
      }
      return current.some((id) => nodes[id]!.type === 'match');
    },
  };
}

/** A path with `/` between its segments, as globs and ignore files write them. */
export function toPosix(file: string): string {
  return path.sep === '/' ? file : file.split(path.sep).join('/');
}

/**
 * The former name: it returned a RegExp, and its callers only ever call `.test()`, which
 * a GlobMatcher has. Kept so those callers need no change.
 * @deprecated use compileGlob
 */
export const globToRegExp = compileGlob;
