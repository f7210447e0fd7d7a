/**
 * The fast path against the full parse where they used to differ (issue 15, items 1 and 2):
 * characters JavaScript counts as white space but YAML reads as content, bare indicators in
 * flow collections, implicit keys over 1024 characters, and collection ends followed by a
 * comment. Each case asserts what the full parse says, then that the fast path says the same
 * (or gives up), down to the complete lint result.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { fastParse, isDocumentMarker } from '../src/parse/fast-parse.js';
import { KUBERNETES_SCALARS, parseManifestsFully } from '../src/parse/parse.js';
import { lintText } from '../src/lint/engine.js';
import type { LintMessage, LintResult } from '../src/types.js';
import { engineOptions } from './helpers/engine.js';

const FAST = engineOptions();
const FULL = engineOptions({ fullParse: true });

/** The full parse: each document's value, or 'error' for a document with a syntax error. */
function full(text: string): unknown[] {
  return parseManifestsFully(text).documents.map((doc) => (doc.fatal.length ? 'error' : doc.empty ? null : doc.value));
}

/** The fast path's values, or undefined when it gives up. */
function fast(text: string): unknown[] | undefined {
  return fastParse(text, KUBERNETES_SCALARS)?.map((doc) => doc.value);
}

function lintBoth(text: string, file = 'x.yaml'): { fast: LintResult; full: LintResult } {
  return { fast: lintText(text, file, FAST), full: lintText(text, file, FULL) };
}

function assertSameLint(text: string, file = 'x.yaml'): LintResult {
  const results = lintBoth(text, file);
  assert.deepEqual(results.fast, results.full, `lint results differ for ${JSON.stringify(text)}`);
  return results.full;
}

/** Every character JavaScript's \s or trim() takes (or NEL, which YAML 1.1 once called a line break) that YAML does not. */
const NOT_YAML_WHITE = [
  '\u00a0', '\ufeff', '\u2028', '\u2029', '\u3000', '\u1680', '\u202f', '\u205f', '\v', '\f', '\u0085',
  ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
];

const SELECTOR_MISMATCH = (after: string) =>
  [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    '  name: cni',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      k8s-app: cni-agent',
    '  template:',
    '    metadata:',
    '      labels:',
    `        k8s-app: cni-agent${after}`,
    '    spec:',
    '      tolerations:',
    '      - operator: Exists',
    '      containers:',
    '      - name: agent',
    '        image: registry.example/agent:1.0',
    '',
  ].join('\n');

describe('fast path: YAML white space is space and tab only', () => {
  it('reads "a:\\u00a0b" as one string, as the full parse does', () => {
    assert.deepEqual(full('a:\u00a0b'), ['a:\u00a0b']);
    assert.deepEqual(fast('a:\u00a0b'), ['a:\u00a0b']);
  });

  it('keeps a trailing U+00A0 in a plain value', () => {
    assert.deepEqual(full('a: b\u00a0'), [{ a: 'b\u00a0' }]);
    assert.deepEqual(fast('a: b\u00a0'), [{ a: 'b\u00a0' }]);
  });

  for (const [name, text] of [
    ['after a quoted scalar', 'a: "x"\u00a0'],
    ['after ---', '---\u00a0\na: 1'],
    ['after a block scalar header', 'a: |\u00a0\n  x'],
    ['after --- with no white space before a comment', '---#x\na: 1'],
  ] as const) {
    it(`gives up where the full parse reports an error: U+00A0 ${name}`, () => {
      assert.deepEqual(full(text), ['error']);
      assert.equal(fastParse(text, KUBERNETES_SCALARS), undefined);
      const result = assertSameLint(text);
      assert.equal(result.messages[0]?.ruleId, 'yaml-syntax');
    });
  }

  it('agrees with the full parse for every such character, in every position, under LF and CRLF', () => {
    const templates = [
      'a:Xb', 'a: bX', 'a: "x"X', '---X\na: 1', 'a: |X\n  x', 'a: >-X\n  x', 'aX: b', '"a"X: b', 'a: b #cX', 'a: bX#c',
      'a: b\nXc: d', 'Xa: b', 'X', 'a: X', '- X', '- aX', 'a: [xX]', 'a: [X]', 'a: {b: cX}', 'a: {bX: c}', 'a: [a,X b]',
      'a: bX\n  c', 'a:\n  b\n  Xc', 'a: "x\n  Xy"', 'a: "xX\n  y"', "a: 'xX\n\n  y'", 'a: >\n  x\n  X\n  y',
      'a: |\n  X\n  y', 'a: |\n  x\n  X\n', 'a: b\n---X\nc: d', '--- #X\na: 1', 'a: b # X\nc: d', '# X\na: b', 'a: -X',
      'a: [-X]', '- -X', '-X a', 'a:\n  - b\n  # X\n', 'X---\na: 1',
    ];
    let handled = 0;
    for (const char of NOT_YAML_WHITE) {
      for (const template of templates) {
        for (const eol of ['\n', '\r\n']) {
          const text = template.replaceAll('X', char).replaceAll('\n', eol);
          const values = fast(text);
          if (values) {
            handled++;
            assert.deepEqual(values, full(text), `values differ for ${JSON.stringify(text)}`);
          }
          assertSameLint(text);
        }
      }
    }
    // The fast path handles these characters as content rather than always giving up.
    assert.ok(handled > 400, `the fast path handled only ${handled} cases`);
  });

  it('reports the DaemonSet selector mismatch for a label value ending in U+00A0, as with CRLF line ends', () => {
    const lf = SELECTOR_MISMATCH('\u00a0');
    const crlf = lf.replaceAll('\n', '\r\n');
    const results = lintBoth(lf, 'ds.yaml');
    assert.deepEqual(results.fast, results.full);
    const mismatch = results.fast.messages.filter((message) => message.ruleId === 'daemonset-selector-mismatch');
    assert.deepEqual(
      mismatch.map(({ line, column, endLine, endColumn }) => ({ line, column, endLine, endColumn })),
      [{ line: 8, column: 7, endLine: 8, endColumn: 14 }],
    );
    const viaCrlf = lintText(crlf, 'ds.yaml', FAST);
    // Positions agree; the suggestions' edits are offsets, which CRLF moves, and their text is the same.
    const positions = (messages: readonly LintMessage[]) =>
      messages.map(({ suggestions, ...message }) => ({ ...message, suggestions: suggestions?.map((suggestion) => [suggestion.desc, suggestion.fix.text]) }));
    assert.deepEqual(positions(viaCrlf.messages), positions(results.fast.messages));
    // And without the no-break space there is no mismatch.
    assert.equal(lintText(SELECTOR_MISMATCH(''), 'ds.yaml', FAST).messages.some((m) => m.ruleId === 'daemonset-selector-mismatch'), false);
  });

  it('skips only the byte order mark the yaml package skips', () => {
    // lintText strips one; a second is content to the engine, and the stream's BOM to yaml.
    assertSameLint('\ufeff\ufeffa: b\n');
    assert.equal(fastParse('\ufeffa: b', KUBERNETES_SCALARS), undefined);
    // A BOM after a document start is content: a key that starts with U+FEFF.
    assert.deepEqual(full('a: b\n---\n\ufeffc: d'), [{ a: 'b' }, { '\ufeffc': 'd' }]);
    // The fast path leaves any U+FEFF to the full parse: after blank lines at the stream start it is a BOM.
    assert.equal(fast('a: b\n---\n\ufeffc: d'), undefined);
    assert.deepEqual(full('\n\ufeffa: b'), [{ a: 'b' }]);
  });

  it('counts a line as a document marker only when --- ends it or YAML white space follows', () => {
    for (const line of ['---', '--- ', '---\t', '---\r', '--- # c', '--- a']) assert.equal(isDocumentMarker(line), true, JSON.stringify(line));
    for (const line of ['---\u00a0', '---\u2028', '---\ufeff', '---#x', '----', '--']) assert.equal(isDocumentMarker(line), false, JSON.stringify(line));
  });
});

describe('fast path: what the full parse rejects', () => {
  for (const text of ['a: [-]', '{b: -}', 'a: [a, -]', 'a: [-, x]', 'a: [- ]', 'a: {b: -, c: d}', 'a: [-\n  ]', 'a: [-[a]]', '- [x, -]']) {
    it(`gives up on a bare "-" inside a flow collection: ${JSON.stringify(text)}`, () => {
      assert.equal(fastParse(text, KUBERNETES_SCALARS), undefined);
      assert.deepEqual(full(text), ['error']);
      const result = assertSameLint(text);
      assert.equal(result.messages[0]?.ruleId, 'yaml-syntax');
      assert.equal(result.messages[0]?.fatal, true);
    });
  }

  it('still reads "-" followed by a plain character inside flow', () => {
    for (const [text, value] of [['a: [-a]', { a: ['-a'] }], ['a: {-: b}', { a: { '-': 'b' } }], ['a: [--]', { a: ['--'] }]] as const) {
      assert.deepEqual(full(text), [value]);
      assert.deepEqual(fast(text), [value]);
    }
  });

  it('gives up on an implicit key over 1024 characters, counted as the yaml package counts', () => {
    const key = (n: number) => 'k'.repeat(n);
    // [text, the full parse accepts it]
    const cases: Array<[string, boolean]> = [
      [`${key(1024)}: v`, true],
      [`${key(1025)}: v`, false],
      [`"${key(1022)}": v`, true],
      [`"${key(1023)}": v`, false],
      [`- ${key(1025)}: v`, false],
      [`a:\n  ${key(1025)}: v`, false],
      [`a:\n  ${key(1024)}: v`, true],
      // After an empty value yaml counts from the line break before the key.
      [`- a: 1\n  b:\n  ${key(1022)}: v`, false],
      [`a:\n  b: 1\n  c:\n  ${key(1022)}: v`, false],
      [`b:\n${key(1024)}: v`, false],
      [`- a: 1\n  b: 2\n  ${key(1022)}: v`, true],
    ];
    for (const [text, accepted] of cases) {
      const values = full(text);
      assert.equal(values.includes('error'), !accepted, `full parse of ${JSON.stringify(text.slice(0, 20))}...`);
      const fastValues = fast(text);
      if (accepted) assert.ok(fastValues === undefined || isDeepStrictEqual(fastValues, values));
      else assert.equal(fastValues, undefined);
      const result = assertSameLint(text);
      if (!accepted) assert.ok(result.messages.some((m) => m.ruleId === 'yaml-syntax' && /1024/.test(m.message)), result.messages.map((m) => m.message).join('\n'));
    }
    // Long keys well under the limit stay on the fast path.
    assert.deepEqual(fast(`a:\n  b:\n  ${key(1000)}: v`), [{ a: { b: null, [key(1000)]: 'v' } }]);
  });

  it('places a root finding on a list with a trailing comment as the full parse does', () => {
    const cases: Array<[string, [number, number, number, number]]> = [
      ['- a # c\n', [1, 1, 1, 8]],
      ['- a\n- b # c\n', [1, 1, 2, 8]],
      ["- 'x' # c\n", [1, 1, 1, 10]],
      ['- [a] # c\n', [1, 1, 1, 10]],
      ['- - a # c\n', [1, 1, 1, 10]],
      ['- a:\n    - b # c\n', [1, 1, 2, 12]],
      ['- a\n  # c\n', [1, 1, 2, 6]],
      ['- a\n# c\n', [1, 1, 1, 4]],
    ];
    for (const [text, [line, column, endLine, endColumn]] of cases) {
      for (const eol of ['\n', '\r\n']) {
        const source = text.replaceAll('\n', eol);
        const result = assertSameLint(source);
        assert.deepEqual(
          result.messages.map((m) => [m.ruleId, m.line, m.column, m.endLine, m.endColumn]),
          [['invalid-manifest', line, column, endLine, endColumn]],
          JSON.stringify(source),
        );
      }
    }
  });

  it('places findings on a collection value followed by a comment as the full parse does', () => {
    // A List of scalars: the root mapping gets the finding; its last value carries the comment.
    assertSameLint('apiVersion: v1\nkind: List\nitems:\n- 1 # c\n');
    assertSameLint('apiVersion: v1\nkind: List\nitems:\n- 1\n  # c\n');
    // Collections reported on by rules, with the comment on the last line of their value.
    assertSameLint(SELECTOR_MISMATCH('x # the template label').replace('k8s-app: cni-agent\n  template', 'k8s-app: cni-agent # sel\n  template'));
  });

  it('leaves a document with a syntax error to the whole file\'s parse, which may end it past the next ---', () => {
    // The stray quote after a flow collection runs on through the `---` line in the full parse.
    const text = 'kind: DaemonSet\nspec:\n  containers: []"\n  x: 1\n---\nkind: Pod\nmetadata: {}\n';
    const result = assertSameLint(text);
    assert.deepEqual(
      result.messages.map((m) => [m.ruleId, m.line, m.column, m.endLine, m.endColumn]),
      [['yaml-syntax', 3, 17, 7, 13]],
    );
  });
});

describe('a byte order mark after the stream start', () => {
  it('is left to the full parse, which skips one that opens a document (found by the damaged-YAML property)', () => {
    for (const text of ['\n\ufeff', '\n\ufeffa: b\n', 'a: b\n---\n\ufeffc: d\n']) {
      const fast = lintText(text, 'x.yaml', engineOptions());
      const full = lintText(text, 'x.yaml', engineOptions({ fullParse: true }));
      assert.deepEqual(fast.messages, full.messages, JSON.stringify(text));
    }
  });
});
