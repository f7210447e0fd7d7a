/**
 * The fast path must produce exactly what the yaml package's YAML 1.1 parse produces, or
 * give up. Checked on every corpus file and on generated YAML in many styles, including
 * damaged YAML (where the fast path must give up or agree with an error-free full parse).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { isPair, isScalar, Schema, stringify, type Node } from 'yaml';
import { defaultTestedTags, fastParse, hasMappingIndicator, KnownKeys, knownFreeOfNullFields, mayNotBeString } from '../src/parse/fast-parse.js';
import { isFastPathDocument, KUBERNETES_SCALARS, parseManifests, parseManifestsFully } from '../src/parse/parse.js';
import { lintText } from '../src/lint/engine.js';
import { toSourceRange } from '../src/positions/positions.js';
import { PROJECT_ROOT } from './helpers/cli.js';
import { engineOptions } from './helpers/engine.js';

const CORPUS = path.resolve(PROJECT_ROOT, '..', 'shared', 'corpus');

/** Compares the fast path with the full parse; returns whether the fast path handled it. */
function assertSameAsFullParse(text: string): boolean {
  const fast = fastParse(text, KUBERNETES_SCALARS);
  if (!fast) return false;
  const full = parseManifestsFully(text);
  const errors = full.documents.flatMap((doc) => [...doc.fatal, ...doc.nonFatal].map((e) => e.message));
  assert.deepEqual(errors, [], `the fast path accepted text the full parse rejects:\n${text}`);
  assert.deepEqual(
    fast.map((doc) => ({ empty: doc.empty, value: doc.value })),
    full.documents.map((doc) => ({ empty: doc.empty, value: doc.empty ? null : doc.value })),
    `values differ for:\n${text}`,
  );
  return true;
}

/** JavaScript white space (and NEL) that YAML reads as content. */
const UNICODE_NOT_WHITE = ['\u00a0', '\ufeff', '\u2028', '\u2029', '\u3000', '\u2000', '\u2009', '\u200a', '\v', '\f', '\u0085'];
const word = fc.stringMatching(/^[a-z][a-z0-9.\/-]{0,14}$/);
const tricky = fc.constantFrom(
  'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', '~', 'null', '', ' ', '0644', '0o17', '0x1F', '1_000', '1:20',
  '2024-01-02', '12e3', '.5', '-.inf', '.NaN', '+1', '-0', '007', 'a: b', 'a:b', '#x', 'x #y', 'x#y', '- x', '-x', '? x',
  '"q"', "'q'", "it's", 'back\\slash', 'tab\there', 'new\nline', 'two\n\nlines', 'trailing ', ' leading', 'ünïcödé',
  '[a]', '{a: b}', '*alias', '&anchor', '!tag', '%', '@', '`', '|', '>', 'a, b', 'http://x.io/a?b=c#d', 'key:', '---', '...',
  'trail\u00a0', '\u3000lead', 'mid\u2028dle', '\ufeff', 'x\u2009y z', '\v', 'a\f', '-', '[-]', 'x'.repeat(1030),
);
const keys = fc.oneof(
  { arbitrary: fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'labels', 'app.kubernetes.io/name', 'spec', 'containers'), weight: 6 },
  { arbitrary: word, weight: 4 },
  { arbitrary: fc.constantFrom('yes', '1', 'a b', 'x:y', '"q"', '<<', '- a', '#'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
);
const sentence = fc.array(word, { minLength: 2, maxLength: 12 }).map((words) => words.join(' '));
const scalar = fc.oneof(
  { arbitrary: word, weight: 6 },
  { arbitrary: sentence, weight: 3 },
  { arbitrary: tricky, weight: 3 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
  { arbitrary: fc.integer(), weight: 2 },
  { arbitrary: fc.double({ noNaN: true }), weight: 1 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(keys, tie('node'), { maxKeys: 5 }),
})).node;
const styles = fc.record({
  lineWidth: fc.constantFrom(0, 12, 40, 80),
  minContentWidth: fc.constantFrom(0, 5, 20),
  defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
  defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
  collectionStyle: fc.constantFrom('any', 'block', 'flow'),
  indentSeq: fc.boolean(),
  indent: fc.constantFrom(2, 4),
  version: fc.constantFrom('1.1', '1.2'),
});

/** Runs `check` on streams of one to three generated documents in every yaml.stringify style (and places to put comment lines). */
function onGeneratedStreams(numRuns: number, check: (text: string, comments: Array<[number, number]>) => void): void {
  fc.assert(
    fc.property(fc.array(value, { minLength: 1, maxLength: 3 }), styles, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }), (docs, options, comments) => {
      let text: string;
      try {
        text = docs.map((doc) => stringify(doc, options as never)).join('---\n');
      } catch {
        return; // a combination stringify itself refuses
      }
      check(text, comments);
    }),
    { numRuns },
  );
}

describe('fast path', () => {
  it('agrees with the full parse on every corpus file it handles', { skip: existsSync(CORPUS) ? false : 'no corpus' }, () => {
    const texts = corpusTexts();
    const total = texts.length;
    const handled = texts.filter(assertSameAsFullParse).length;
    assert.ok(handled / total > 0.8, `the fast path handled only ${handled} of ${total} corpus files`);
  });

  it('agrees with the full parse on generated YAML in every style', () => {
    let handled = 0;
    onGeneratedStreams(1500, (text) => {
      if (assertSameAsFullParse(text)) handled++;
    });
    assert.ok(handled > 300, `the fast path handled only ${handled} of 1500 generated streams`);
  });

  it('gives the same findings at the same positions as the full parse', () => {
    const fast = engineOptions();
    const full = engineOptions({ fullParse: true });
    const manifest = fc.record({
      apiVersion: fc.constantFrom('apps/v1', 'v1', 'extensions/v1beta1'),
      kind: fc.constantFrom('DaemonSet', 'Pod', 'ConfigMap'),
      metadata: fc.record({ name: word, labels: fc.dictionary(word, scalar, { maxKeys: 3 }) }),
      spec: value,
    });
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), styles, (docs, options) => {
        let text: string;
        try {
          text = docs.map((doc) => stringify(doc, options as never)).join('---\n');
        } catch {
          return;
        }
        const strip = (result: ReturnType<typeof lintText>) => ({ messages: result.messages, suppressed: result.suppressedMessages });
        assert.deepEqual(strip(lintText(text, 'etc/kubernetes/manifests/x.yaml', fast)), strip(lintText(text, 'etc/kubernetes/manifests/x.yaml', full)));
      }),
      { numRuns: 300 },
    );
  });

  it('reads flow collections over several lines as the yaml package does', () => {
    // Each is read by the fast path, to the full parse's value (filebeat's and konnectivity's args).
    const handled = [
      'args: [\n  "-c", "/etc/filebeat.yml",\n  "-e",\n]\n',
      'args: [\n    "a",\n    # why a\n  # a comment at any indentation\n    "b"\n    ]\n',
      'a:\n  b: {x: [1,\n      2],\n    z: 3\n  }\n',
      '- [1,\n  2,\n]\n',
      '- a: [1,\n  ]\n',
      'a: ["x",\n  "y"\n  ]\n',
      'a: [x\n  , y]\n',
      'a: {k: v\n  }\n',
      // Quoted scalars folded over lines (SUSE's command: ["sh", "-c", "umask 377; ..."]).
      'c: ["sh", "-c", "umask 377;\n    if x; then   \n      y\n    fi"]\n',
      "c: ['it''s\n  # not a comment\n  done']\n",
    ];
    for (const text of handled) assert.equal(assertSameAsFullParse(text), true, `the fast path gave up on:\n${text}`);
    // The fast path gives up on each: the first four end the collection early (an error the
    // full parse reports), the others fold a plain scalar over two lines ("x y"), escape a
    // line break in a quoted scalar ("ab"), or hold a blank line in one ("a\nb").
    const refused = ['a: [[1,\n]]\n', 'a: [1,\nb: 2]\n', 'a:\n  b: [1,\n ]\n', 'a: [1,\n\n  2]\n', 'a: [x\n  y]\n', 'c: ["a\\\n  b"]\n', 'c: ["a\n\n  b"]\n'];
    for (const text of refused) assert.equal(assertSameAsFullParse(text), false, `the fast path read:\n${text}`);
  });

  it('reads a key with spaces before its colon, and places findings on it as the full parse does', () => {
    for (const text of ['args :\n  - a\n', 'a  : x\nb: {c  : d}\n', '- name : x\n  image : y\n']) {
      assert.equal(assertSameAsFullParse(text), true, `the fast path gave up on:\n${text}`);
    }
    // openebs's LVM operator writes "args :"; a finding on the key and one on its value.
    const text = 'apiVersion : extensions/v1beta1\nkind : DaemonSet\nmetadata :\n  name : x\nspec :\n  template :\n    spec :\n      containers :\n      - name : c\n        image : i\n        args :\n        - a\n';
    const lint = (fullParse: boolean) => lintText(text, 'x.yaml', engineOptions(fullParse ? { fullParse } : {})).messages;
    assert.ok(lint(false).length > 0);
    assert.deepEqual(lint(false), lint(true));
  });

  it('ends a key where the yaml package does', () => {
    // Read by the fast path: a colon inside the key, a colon at the line's end, one in the value.
    for (const text of ['a:b: c\n', 'url:http://x: y\n', 'a:\n  b: 1\n', 'k: v:w\n', 'image: nginx:1.25\n']) {
      assert.equal(assertSameAsFullParse(text), true, `the fast path gave up on:\n${text}`);
    }
    // Agrees or gives up: a tab after or before the colon, a comment or a lone CR in the key, no colon.
    for (const text of ['a:\tb\n', 'a\t: b\n', 'a \t : b\n', 'a #c: b\n', 'a\rb: c\n', 'a\u2028b: c\n', 'just text\n', 'a:b\n']) assertSameAsFullParse(text);
  });

  it('gives up or agrees on damaged YAML', () => {
    fc.assert(
      fc.property(value, styles, fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'indent', 'dedent', 'dup', 'colon', 'unicode', 'dash')), { maxLength: 3 }), fc.nat(), fc.constantFrom(...UNICODE_NOT_WHITE), (doc, options, edits, column, char) => {
        let lines: string[];
        try {
          lines = stringify({ root: doc, other: doc }, options as never).split('\n');
        } catch {
          return;
        }
        for (const [at, edit] of edits) {
          if (lines.length === 0) break;
          const i = at % lines.length;
          if (edit === 'drop') lines.splice(i, 1);
          else if (edit === 'indent') lines[i] = ` ${lines[i]}`;
          else if (edit === 'dedent') lines[i] = lines[i]!.replace(/^ /, '');
          else if (edit === 'dup') lines.splice(i, 0, lines[i]!);
          else if (edit === 'colon') lines[i] = `${lines[i]}:`;
          else {
            // A character YAML reads as content, or a bare "-", anywhere in the line.
            const at = column % (lines[i]!.length + 1);
            lines[i] = lines[i]!.slice(0, at) + (edit === 'unicode' ? char : '-') + lines[i]!.slice(at);
          }
        }
        assertSameAsFullParse(lines.join('\n'));
      }),
      { numRuns: 1500 },
    );
  });
});

/** Where two syntax trees differ (class, range, value, scalar type, source, format, style), or undefined. */
function treeDifference(fast: unknown, full: unknown, where = 'root'): string | undefined {
  const a = fast as Record<string, unknown> | null;
  const b = full as Record<string, unknown> | null;
  if (a?.constructor !== b?.constructor) return `${where}: ${a?.constructor.name} against ${b?.constructor.name}`;
  if (a === null || b === null) return undefined;
  if (isPair(a) && isPair(b)) return treeDifference(a.key, b.key, `${where}.key`) ?? treeDifference(a.value, b.value, `${where}.value`);
  for (const field of ['range', 'type', 'source', 'format', 'minFractionDigits', 'tag', 'anchor', 'flow']) {
    if (JSON.stringify(a[field]) !== JSON.stringify(b[field])) return `${where}: ${field} ${JSON.stringify(a[field])} against ${JSON.stringify(b[field])}`;
  }
  if (isScalar(a) && isScalar(b)) {
    const same = a.value instanceof Date && b.value instanceof Date ? a.value.getTime() === b.value.getTime() : Object.is(a.value, b.value);
    return same ? undefined : `${where}: value ${String(a.value)} against ${String(b.value)}`;
  }
  const items = [a.items as unknown[], b.items as unknown[]] as const;
  if (items[0].length !== items[1].length) return `${where}: ${items[0].length} items against ${items[1].length}`;
  if ((a.schema as { name?: string } | undefined)?.name !== (b.schema as { name?: string } | undefined)?.name) return `${where}: schema`;
  for (let i = 0; i < items[0].length; i++) {
    const difference = treeDifference(items[0][i], items[1][i], `${where}[${i}]`);
    if (difference) return difference;
  }
  return undefined;
}

/** For each fast-path document: whether its tree was built from positions; asserts it equals the yaml parse's. */
function assertSameTree(text: string): boolean[] {
  return parseManifests(text).documents.flatMap((doc) => {
    // Only fast-path documents have a tree of their own; it is built or it is yaml's.
    if (doc.empty || doc.fatal.length > 0 || !isFastPathDocument(doc)) return [];
    const fast: Node | null = doc.contents;
    const full = doc.document.contents;
    if (fast === full) return [false];
    const difference = treeDifference(fast, full);
    assert.equal(difference, undefined, `the tree built from positions differs from the yaml parse's at ${difference} in:\n${text}`);
    return [true];
  });
}

/** Comment lines put between the lines of a text, each at its own indentation. */
const commented = (text: string, comments: Array<[number, number]>): string => {
  const lines = text.split('\n');
  for (const [at, indent] of comments) lines.splice(at % (lines.length + 1), 0, `${' '.repeat(indent % 7)}# note`);
  return lines.join('\n');
};

/** Whether some mapping in `value` has a null value (what schema validation drops). */
function hasNullValuedField(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNullValuedField);
  if (value === null || typeof value !== 'object' || value instanceof Date) return false;
  return Object.values(value).some((field) => field === null || hasNullValuedField(field));
}

describe('documents known to hold no null field', () => {
  it('are exactly the fast path\'s documents without a null-valued field', () => {
    let free = 0;
    let withNulls = 0;
    onGeneratedStreams(1000, (text) => {
      for (const variant of [text, text.replace(/: null$/gm, ':'), text.replace(/: null$/gm, ': ~')]) {
        for (const doc of fastParse(variant, KUBERNETES_SCALARS) ?? []) {
          if (doc.value === null || typeof doc.value !== 'object') continue;
          const nulls = hasNullValuedField(doc.value);
          assert.equal(knownFreeOfNullFields(doc.value), !nulls, `null fields: ${nulls}, in:\n${variant}`);
          if (nulls) withNulls++;
          else free++;
        }
      }
    });
    assert.ok(free > 300 && withNulls > 100, `${free} documents without null fields, ${withNulls} with`);
  });

  it('include no document parsed in full, nor a value made elsewhere', () => {
    assert.equal(knownFreeOfNullFields({ a: 1 }), false);
    const [doc] = parseManifestsFully('a: 1\n').documents;
    assert.equal(knownFreeOfNullFields(doc!.value as object), false);
    const [flow] = fastParse('a: {b: null}\nc: [null]\n', KUBERNETES_SCALARS)!;
    assert.equal(knownFreeOfNullFields(flow!.value as object), false);
    const [list] = fastParse('a: [null]\n', KUBERNETES_SCALARS)!;
    assert.equal(knownFreeOfNullFields(list!.value as object), true);
  });
});

describe('plain scalars that can only be strings', () => {
  // Every tag yaml's YAML 1.1 schema tests a plain scalar with, timestamps and sexagesimals included.
  const tags = defaultTestedTags(new Schema({ schema: 'yaml-1.1', merge: true }));
  const tested = (text: string) => tags.find((tag) => tag.test!.test(text));
  const scalarText = fc.oneof(
    fc.stringMatching(/^[-+.~<0-9a-zA-Z_:eE]{0,12}$/),
    fc.string({ maxLength: 12 }),
    tricky,
    fc.constantFrom('Yes', 'YES', 'On', 'ON', 'Off', 'FALSE', 'False', 'NULL', 'Null', 'e5', 'E-3', '0b101', '1e9', '190:20:30', '2001-12-14t21:59:43.10-05:00', '<<', '.inf', 'nginx', 'falsey', 'onion'),
  );

  it('lets no text that a YAML 1.1 tag would read as something else through', () => {
    fc.assert(
      fc.property(scalarText, (text) => {
        if (!mayNotBeString(text)) assert.equal(tested(text), undefined, `${JSON.stringify(text)} is tested by ${tested(text)?.tag}`);
      }),
      { numRuns: 20_000 },
    );
  });

  it('finds a mapping indicator (": ", ":" at the end) as the RegExp does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^[a: \t#b]{0,10}$/), fc.string({ maxLength: 12 })), (text) => {
        assert.equal(hasMappingIndicator(text), /:(?:[ \t]|$)/.test(text), JSON.stringify(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads every corpus scalar as the tags do', { skip: existsSync(CORPUS) ? false : 'no corpus' }, () => {
    let strings = 0;
    for (const file of readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })) {
      if (!/\.ya?ml$/.test(file)) continue;
      for (const text of readFileSync(path.join(CORPUS, file), 'utf8').split(/[\s:,[\]{}"']+/)) {
        if (mayNotBeString(text)) continue;
        strings++;
        assert.equal(tested(text), undefined, JSON.stringify(text));
      }
    }
    assert.ok(strings > 1000);
  });
});

describe('known keys', () => {
  it('finds a remembered key only where a line starts with exactly it', () => {
    const keys = new KnownKeys();
    const common = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'annotations', 'spec', 'selector', 'matchLabels', 'template', 'containers', 'image', 'args', 'env', 'value', 'valueFrom', 'ports', 'containerPort', 'protocol', 'resources', 'requests', 'limits', 'cpu', 'memory', 'volumeMounts', 'mountPath', 'volumes', 'hostPath', 'path', 'tolerations', 'key', 'operator', 'effect'];
    for (const key of common) keys.remember(key);
    for (const key of common) assert.equal(keys.find(`${key}: x`, key.length), key);
    assert.equal(keys.find('names: x', 5), undefined);
    assert.equal(keys.find('nam: x', 3), undefined);
    assert.equal(keys.find('other: x', 5), undefined);
  });
});

/** The text of every corpus manifest. */
function corpusTexts(): string[] {
  return ['daemonsets', 'static-pods'].flatMap((dir) => readdirSync(path.join(CORPUS, dir)).map((name) => readFileSync(path.join(CORPUS, dir, name), 'utf8')));
}

/**
 * Runs `check` on generated streams in every style with comment lines anywhere, each also
 * with its nulls written as empty values (`key:`, as manifests often leave them); returns
 * the sum of what `check` counted on the first of each pair.
 */
function onGeneratedWithComments(numRuns: number, check: (text: string) => number): number {
  let counted = 0;
  onGeneratedStreams(numRuns, (text, comments) => {
    counted += check(commented(text, comments));
    check(commented(text.replace(/: null$/gm, ':'), comments));
  });
  return counted;
}

/** Every path in a value, and beyond each: a key and an index that are not there. */
function pathsIn(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const paths = [prefix, [...prefix, 'not-there'], [...prefix, 99]];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsIn(item, [...prefix, index])));
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, inner] of Object.entries(value)) paths.push(...pathsIn(inner, [...prefix, key]));
  }
  return paths;
}

/**
 * For each fast-path document, every path's key and value where the full parse puts them
 * (as a finding's line and column: the white space ending a range is not part of it), and
 * the same scalar source; how many documents were compared.
 */
function assertSameLocations(text: string): number {
  const full = parseManifestsFully(text).documents;
  const parsed = parseManifests(text);
  const position = (range: [number, number]) => toSourceRange(text, parsed.lineCounter, range[0], range[1]);
  let compared = 0;
  parsed.documents.forEach((doc, index) => {
    if (doc.empty || doc.fatal.length > 0 || !isFastPathDocument(doc)) return;
    const other = full[index]!;
    compared++;
    for (const at of pathsIn(doc.value)) {
      for (const target of ['key', 'value'] as const) {
        assert.deepEqual(position(doc.locate(at, target)), position(other.locate(at, target)), `${target} of ${JSON.stringify(at)} in:\n${text}`);
      }
      // (A block scalar's source may end with the line break after it or before it.)
      assert.equal(doc.scalarSource(at)?.trimEnd(), other.scalarSource(at)?.trimEnd(), `source of ${JSON.stringify(at)} in:\n${text}`);
    }
  });
  return compared;
}

describe('locating a path in a fast-path document', () => {
  it('gives what the full parse gives on every corpus document', { skip: existsSync(CORPUS) ? false : 'no corpus' }, () => {
    const compared = corpusTexts().reduce((sum, text) => sum + assertSameLocations(text), 0);
    assert.ok(compared > 50, `compared only ${compared} corpus documents`);
  });

  it('gives what the full parse gives on generated YAML, with comment lines and empty values', () => {
    const compared = onGeneratedWithComments(800, assertSameLocations);
    assert.ok(compared > 300, `compared only ${compared} generated documents`);
  });

  it('finds an item of a sequence of mappings after comment lines (recorded positions cannot tell it)', () => {
    const text = 'spec:\n  tolerations:\n  # first\n  - key: a\n    effect: NoSchedule\n  # second\n  - key: b\n    effect: NoSchedule\n';
    const [doc] = parseManifests(text).documents;
    assert.ok(doc && isFastPathDocument(doc));
    assert.deepEqual(doc.locate(['spec', 'tolerations', 1], 'value'), [text.indexOf('key: b'), text.length - 1]);
    assert.equal(assertSameLocations(text), 1);
  });
});

describe('syntax tree from recorded positions (fixes)', () => {
  it('equals the yaml parse\'s tree on every corpus document it is built for', { skip: existsSync(CORPUS) ? false : 'no corpus' }, () => {
    const built = corpusTexts().flatMap(assertSameTree);
    assert.ok(built.filter(Boolean).length / built.length > 0.9, `built for only ${built.filter(Boolean).length} of ${built.length} corpus documents`);
  });

  it('equals the yaml parse\'s tree on generated YAML in every style, with comment lines anywhere', () => {
    const built = onGeneratedWithComments(1500, (text) => assertSameTree(text).filter(Boolean).length);
    assert.ok(built > 300, `built for only ${built} generated documents`);
  });

  it('places ranges where the yaml package does around comment lines, or is left to the yaml parse', () => {
    const cases: Array<[string, boolean]> = [
      ['a:\n  b: 1\nc: 2\n', true],
      // A run of comment lines after a collection stays in it (its range runs to the next
      // line of content) when one of them is indented as deep as it is...
      ['a:\n  b: 1\n  # in\nc: 2\n', true],
      ['a:\n  b: 1\n  # in\n\nc: 2\n', true],
      ['x:\n  a:\n    b: 1\n    # in\n  c: 2\n', true],
      ['l:\n  - a\n  # kept\n# and kept with it\nz: 1\n', true],
      ['a:\n  b: 1\n  # at the end\n\n', true],
      ['a:\n  b: 1\n# out\nc: 2\n', true],
      // ...and comment lines indented deeper than a collection's entries go into the value above them.
      ['a: "x"\n    # deeper: the end of "x"\nb: 2\n', true],
      ['a: "x"\n    # deeper\n\n   # again\n  # and again\nb: 2\n', true],
      ['a:\n  b: [1]\n    # the end of [1]\n  # the map\'s\nz: 1\n', true],
      ['- [a]\n  # deeper than the dash: the end of [a]\n- b\n', true],
      ['a: 1\n# at the keys\' column: before the next key\nb: 2\n', true],
      // A block scalar's trailing blank lines are its own or not by its chomping.
      ['a: |\n  x\nb: 1\n', true],
      ['a: |\n  x\n\nb: 1\n', false],
      ['a: |+\n  x\n\nb: 1\n', false],
      // An empty value sits after its colon and the spaces after it; comments after it go into its range.
      ['a:\nb: 1\n', true],
      ['x:\n  a:\nz: 1\n', true],
      ['a: # why\nb: 1\n', false],
      ['a:\n# any comment line\nb: 1\n', false],
      ['a:\n\nb: 1\n', false],
      ['l:\n- \n- b\n', false],
      // A collection item's own range is not recorded when a comment follows it; its dash is found all the same.
      ['l:\n- a: 1\n  # the item\'s, at its keys\' column\n  b: 2\n- c\n', true],
      ['l:\n- a\n- [b, c]  # flow, parsed on its own text\n- {d: e}\n', true],
      ['l:\n  - - a\n    - b\n  -   c: 1\n      d: "x"\n', true],
      ['a: x\n  y\nb: 0x1F\nc: 1.50\nd: 2024-01-02\n', true],
      // Two documents: each tree ends at its own document's end.
      ['a:\n  b: 1\n  # end of the first\n---\nc: 2\n', true],
    ];
    for (const [text, expected] of cases) {
      const built = assertSameTree(text);
      assert.ok(built.length > 0, `the fast path gave up on:\n${text}`);
      assert.deepEqual(built, built.map(() => expected), text);
    }
  });
});
