/**
 * The pipeline's direction, as a test: discover -> parse -> schema -> rules (engine) ->
 * positions -> report, then config and the entry points. A file may import only files of
 * its own rank or lower, so no import runs back up the layers; the engine is handed its
 * rules and never imports rules/.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './helpers/cli.js';

/** Stage ranks by folder (relative to the project root, with a trailing slash) or file. */
const RANKS: ReadonlyArray<readonly [string, number]> = [
  ['src/types.ts', 0],
  ['src/errors.ts', 0],
  ['src/version.ts', 0],
  ['src/package-root.ts', 0],
  ['src/kube-version.ts', 0],
  ['src/kube.ts', 0],
  ['src/discover/', 1],
  ['src/parse/', 2],
  ['src/schema/', 3],
  // The rule contract, the registry, the pod-spec visitor, suppressions; and the rules.
  ['src/engine/', 4],
  ['rules/', 4],
  // Fixes are computed with the rules' findings (src/lint applies them).
  ['src/fix/', 4],
  ['src/positions/', 5],
  // Linting a file and a run: parse -> schema -> rules -> positions, composed (and on worker threads).
  ['src/lint/', 6],
  ['src/report/', 7],
  ['src/config/', 8],
  ['src/cli/', 9],
  ['src/index.ts', 9],
  ['src/rule-tester/', 9],
  ['src/lsp/', 9],
]

/** Backward imports not fixed yet, each with why (none: keep it that way). */
const KNOWN_BACKWARDS: ReadonlyArray<readonly [string, string]> = [];

const isKnown = (edge: Edge) => KNOWN_BACKWARDS.some(([from, to]) => edge.from === from && edge.to === to);

/** The rank of a project file, or undefined for a file no stage owns (a test must add it to RANKS). */
export function rankOf(file: string): number | undefined {
  return RANKS.find(([prefix]) => (prefix.endsWith('/') ? file.startsWith(prefix) : file === prefix))?.[1];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.relative(PROJECT_ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/**
 * The relative module specifiers of a file: static imports and re-exports (`import ... from`,
 * `import '...'`, `export ... from`) and dynamic `import('...')` with a literal.
 */
export function importsOf(source: string): string[] {
  // Comments may mention imports; strip them (strings holding "//" are rare in imports' lines).
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const match of code.matchAll(/(?:^|[\s;])(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g)) found.push(match[1]!);
  for (const match of code.matchAll(/(?:^|[\s;])import\s*['"]([^'"]+)['"]/g)) found.push(match[1]!);
  for (const match of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1]!);
  return found.filter((specifier) => specifier.startsWith('.'));
}

/** The project file a relative specifier names (`.js` in source is the `.ts` file). */
function resolve(from: string, specifier: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)).replace(/\.js$/, '.ts');
}

interface Edge {
  from: string;
  to: string;
}

function edges(): Edge[] {
  return [...sourceFiles('src'), ...sourceFiles('rules')].flatMap((from) =>
    importsOf(readFileSync(path.join(PROJECT_ROOT, from), 'utf8')).map((specifier) => ({ from, to: resolve(from, specifier) })),
  );
}

describe('architecture', () => {
  it('reads every kind of import (the parser the rule relies on)', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      'import {',
      '  c,',
      "} from './c.js';",
      "import './side-effect.js';",
      "export { d } from './d.js';",
      "export * from './e.js';",
      "const f = await import('./f.js');",
      "import path from 'node:path';",
      "// import { g } from './g.js';",
      "/* import { h } from './h.js'; */",
    ].join('\n');
    assert.deepEqual(importsOf(source).sort(), ['../b.js', './a.js', './c.js', './d.js', './e.js', './f.js', './side-effect.js']);
  });

  it('gives every file in src/ and rules/ a stage', () => {
    const unranked = [...sourceFiles('src'), ...sourceFiles('rules')].filter((file) => rankOf(file) === undefined);
    assert.deepEqual(unranked, [], 'add new folders or shared files to RANKS in test/architecture.test.ts');
  });

  it('finds imports to check (the test is not vacuous)', () => {
    const all = edges();
    assert.ok(all.length > 100, `only ${all.length} imports found`);
    assert.ok(all.some((edge) => edge.from === 'src/lint/engine.ts' && edge.to === 'src/parse/parse.ts'));
  });

  it('has no import running backwards (a file imports only its own stage or earlier ones)', () => {
    const backwards = edges()
      .filter((edge) => rankOf(edge.to) !== undefined && rankOf(edge.from)! < rankOf(edge.to)! && !isKnown(edge))
      .map((edge) => `${edge.from} (${rankOf(edge.from)}) imports ${edge.to} (${rankOf(edge.to)})`);
    assert.deepEqual(backwards, []);
  });

  it('lists as known only backward imports that still exist (fixing one shortens the list)', () => {
    const all = edges();
    const stale = KNOWN_BACKWARDS.filter(([from, to]) => !all.some((edge) => edge.from === from && edge.to === to));
    assert.deepEqual(stale, []);
  });

  it('imports only files a stage owns (nothing outside src/ and rules/)', () => {
    const outside = edges()
      .filter((edge) => rankOf(edge.to) === undefined)
      .map((edge) => `${edge.from} imports ${edge.to}`);
    assert.deepEqual(outside, []);
  });

  it('keeps the engine free of rules/: it is handed its rules', () => {
    const engineToRules = edges()
      .filter((edge) => edge.from.startsWith('src/engine/') && edge.to.startsWith('rules/'))
      .map((edge) => `${edge.from} imports ${edge.to}`);
    assert.deepEqual(engineToRules, []);
  });
});
