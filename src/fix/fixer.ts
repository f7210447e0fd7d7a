/**
 * Turning a rule's fix function into one text edit over the file's original text, as
 * ESLint does: the rule gets the yaml syntax tree of its document (with exact ranges),
 * edits are checked to lie inside the text and not to overlap, and several edits become
 * one (the original text between them kept), so a fix is applied whole or not at all.
 */
import { isMap, isSeq, isScalar, type Node } from 'yaml';
import type { ParsedDocument } from '../parse/parse.js';
import type { Fixer, FixFunction, TextEdit } from '../engine/rule.js';
import type { EditInfo, ObjectPath } from '../types.js';

/** The line break a file uses: the first one decides (a file without one gets "\n"). */
export function eolOf(text: string): string {
  const at = text.indexOf('\n');
  return at > 0 && text[at - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * The node at `path`, walking only what is written: no alias or merge key is followed,
 * since editing an anchor would change every place that uses it.
 */
function nodeAt(root: unknown, path: ObjectPath): Node | undefined {
  let node = root as Node | null | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.findLast((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      node = pair?.value as Node | null | undefined;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment] as Node | null | undefined;
    } else {
      return undefined;
    }
    if (!node) return undefined;
  }
  return node ?? undefined;
}

export function makeFixer(text: string, doc: ParsedDocument, objectPath: ObjectPath): Fixer {
  return {
    text,
    eol: eolOf(text),
    offset: doc.offset,
    node: (path) => nodeAt(doc.contents, [...objectPath, ...path]),
    replace: (range, replacement) => ({ range: [range[0], range[1]], text: replacement }),
    insertAt: (offset, insertion) => ({ range: [offset, offset], text: insertion }),
  };
}

/** Several edits as one, the text between them unchanged; undefined if they overlap or leave the text. */
export function mergeEdits(text: string, edits: readonly TextEdit[]): EditInfo | undefined {
  if (edits.length === 0) return undefined;
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let previousEnd = -1;
  for (const edit of sorted) {
    const [start, end] = edit.range;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) return undefined;
    if (start < previousEnd) return undefined;
    previousEnd = end;
  }
  const start = sorted[0]!.range[0];
  const end = Math.max(...sorted.map((edit) => edit.range[1]));
  let out = '';
  let at = start;
  for (const edit of sorted) {
    out += text.slice(at, edit.range[0]) + edit.text;
    at = edit.range[1];
  }
  out += text.slice(at, end);
  return { range: [start, end], text: out };
}

/** Runs a rule's fix function; a fix that throws or is malformed is dropped, never the finding. */
export function resolveFix(fix: FixFunction, text: string, doc: ParsedDocument, objectPath: ObjectPath): EditInfo | undefined {
  try {
    const edits = fix(makeFixer(text, doc, objectPath));
    if (!edits) return undefined;
    return mergeEdits(text, Array.isArray(edits) ? edits : [edits as TextEdit]);
  } catch {
    return undefined;
  }
}
