import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../src/lint/engine.js';
import { engineOptions } from './helpers/engine.js';

/**
 * A DaemonSet whose selector does not match its template and that lacks the control-plane
 * toleration (hostPID makes it a node agent); `annotations` is what follows "  annotations:" (line 5), free text for the tests.
 */
function daemonSet(annotations: string, selector = '      app: a\n'): string {
  return (
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: a\n' +
    `  annotations:${annotations}` +
    'spec:\n  selector:\n    matchLabels:\n' +
    selector +
    '  template:\n    metadata:\n      labels: {app: b}\n    spec: {hostPID: true, containers: [{name: a, image: a, resources: {requests: {cpu: 1m}}}]}\n'
  );
}

type Found = Array<[string | null, number, number]>;
function lint(text: string, fullParse: boolean): { messages: Found; suppressed: Found } {
  const result = lintText(text, 'ds.yaml', engineOptions({ fullParse }));
  const pick = (list: typeof result.messages): Found => list.map((m) => [m.ruleId, m.line, m.column]);
  return { messages: pick(result.messages), suppressed: pick(result.suppressedMessages) };
}

/** The same outcome on the fast path and the full parse, with LF and with CRLF. */
function assertEverywhere(text: string, expected: { messages: Found; suppressed: Found }): void {
  for (const [name, variant] of [['LF', text], ['CRLF', text.replace(/\n/g, '\r\n')]] as const) {
    for (const fullParse of [false, true]) {
      assert.deepEqual(lint(variant, fullParse), expected, `${name}, ${fullParse ? 'full parse' : 'fast path'}`);
    }
  }
}

describe('suppression directives are comments only', () => {
  // Each holds "# kubelint-disable" as text on line 7: both findings after it must still be reported.
  const inText: Array<[string, string]> = [
    ['a literal block scalar', '\n    note: |\n      # kubelint-disable\n'],
    ['a folded block scalar', '\n    note: >\n      # kubelint-disable\n'],
    ['a double-quoted multi-line string', '\n    note: "see\n      # kubelint-disable"\n'],
    ['a single-quoted multi-line string', "\n    note: 'see\n      # kubelint-disable'\n"],
    // U+00A0 is white space to JavaScript's \s, not to YAML: this is one plain scalar.
    ['a plain multi-line scalar', '\n    note: see\n      this\u00a0# kubelint-disable\n'],
    ['a flow collection', ' {note: "see\n    # kubelint-disable",\n    b: c}\n'],
  ];
  for (const [name, annotations] of inText) {
    it(`text in ${name} suppresses nothing`, () => {
      const shift = annotations.split('\n').length - 2;
      assertEverywhere(daemonSet(annotations), {
        messages: [
          ['daemonset-selector-mismatch', 9 + shift, 7],
          ['daemonset-control-plane-toleration', 13 + shift, 5],
        ],
        suppressed: [],
      });
    });
  }

  it('a comment on its own line still suppresses', () => {
    assertEverywhere(daemonSet('\n    note: x\n', '      # kubelint-disable-next-line daemonset-selector-mismatch\n      app: a\n'), {
      messages: [['daemonset-control-plane-toleration', 15, 5]],
      suppressed: [['daemonset-selector-mismatch', 11, 7]],
    });
  });

  it('a comment at the end of a line still suppresses', () => {
    assertEverywhere(daemonSet('\n    note: x # kubelint-disable daemonset-control-plane-toleration\n'), {
      messages: [['daemonset-selector-mismatch', 10, 7]],
      suppressed: [['daemonset-control-plane-toleration', 14, 5]],
    });
  });

  it('a comment inside a flow collection over several lines still suppresses', () => {
    const text = daemonSet(' {note: x, # kubelint-disable daemonset-control-plane-toleration\n    b: c}\n', '      { # kubelint-disable-next-line daemonset-selector-mismatch\n       app: a}\n');
    assertEverywhere(text, {
      messages: [],
      suppressed: [
        ['daemonset-selector-mismatch', 11, 8],
        ['daemonset-control-plane-toleration', 15, 5],
      ],
    });
  });
});
