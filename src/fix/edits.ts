/** Edits rules share, computed on the original text from yaml node ranges. */
import { isMap, isScalar, Scalar } from 'yaml';
import type { FixFunction } from '../engine/rule.js';
import type { ObjectPath } from '../types.js';

/**
 * Quotes the plain scalar at `path`: `value: no` -> `value: "no"`, so that YAML 1.1 reads
 * it as the string it was meant to be. Only that scalar's bytes change (a comment after it
 * stays); multi-line plain scalars are left to the user.
 */
export function quotePlainScalar(path: ObjectPath): FixFunction {
  return (fixer) => {
    const node = fixer.node(path);
    if (!isScalar(node) || node.type !== Scalar.PLAIN || !node.range) return undefined;
    const start = node.range[0] + fixer.offset;
    const end = node.range[1] + fixer.offset;
    const source = fixer.text.slice(start, end);
    if (source === '' || /[\r\n]/.test(source)) return undefined;
    // JSON's escapes (\" and \\) mean the same in a YAML double-quoted scalar.
    return fixer.replace([start, end], JSON.stringify(source));
  };
}

function scalarSource(fixer: Parameters<FixFunction>[0], node: unknown): string | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const source = fixer.text.slice(node.range[0] + fixer.offset, node.range[1] + fixer.offset);
  return /[\r\n]/.test(source) ? undefined : source;
}

/** `key: value` lines of a map of scalars, as written (quoting kept); undefined for anything else. */
function scalarEntries(fixer: Parameters<FixFunction>[0], node: unknown): string[] | undefined {
  if (!isMap(node) || node.items.length === 0) return undefined;
  const lines: string[] = [];
  for (const pair of node.items) {
    const key = scalarSource(fixer, pair.key);
    const value = scalarSource(fixer, pair.value);
    if (key === undefined || value === undefined || key === '<<') return undefined;
    lines.push(`${key}: ${value}`);
  }
  return lines;
}

/** The text of the line `offset` is on, up to it, when it is only spaces (the offset's indentation). */
function indentationAt(text: string, offset: number): { lineStart: number; indent: number } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^ *$/.test(text.slice(lineStart, offset)) ? { lineStart, indent: offset - lineStart } : undefined;
}

/**
 * extensions/v1beta1 (or apps/v1beta2) DaemonSet -> apps/v1: the apiVersion in its own
 * quoting, and, when spec.selector is absent, `selector.matchLabels` from the template's
 * labels (the old API defaulted the selector to them; apps/v1 requires it). The selector
 * goes before `template:` (and the comment lines above it), in the spec's indentation.
 */
export function daemonSetToAppsV1(object: Readonly<Record<string, unknown>>): FixFunction {
  return (fixer) => {
    const apiVersion = fixer.node(['apiVersion']);
    if (!isScalar(apiVersion) || !apiVersion.range) return undefined;
    const quote = apiVersion.type === Scalar.QUOTE_DOUBLE ? '"' : apiVersion.type === Scalar.QUOTE_SINGLE ? "'" : apiVersion.type === Scalar.PLAIN ? '' : undefined;
    if (quote === undefined) return undefined;
    const edits = [fixer.replace([apiVersion.range[0] + fixer.offset, apiVersion.range[1] + fixer.offset], `${quote}apps/v1${quote}`)];
    const spec = object.spec as Record<string, unknown> | undefined;
    if (spec && typeof spec === 'object' && spec.selector !== undefined && spec.selector !== null) return edits;
    const specNode = fixer.node(['spec']);
    if (!isMap(specNode) || specNode.flow) return undefined;
    const templatePair = specNode.items.find((pair) => isScalar(pair.key) && pair.key.value === 'template');
    const templateKey = templatePair?.key as Scalar | undefined;
    if (!templateKey?.range) return undefined;
    const labels = scalarEntries(fixer, fixer.node(['spec', 'template', 'metadata', 'labels']));
    if (!labels) return undefined;
    const text = fixer.text;
    const keyAt = indentationAt(text, templateKey.range[0] + fixer.offset);
    if (!keyAt) return undefined;
    // The indentation step the file uses: template's first child against template itself.
    const template = fixer.node(['spec', 'template']);
    const firstChild = isMap(template) && !template.flow ? (template.items[0]?.key as Scalar | undefined) : undefined;
    const childAt = firstChild?.range ? indentationAt(text, firstChild.range[0] + fixer.offset) : undefined;
    const step = childAt && childAt.indent > keyAt.indent ? childAt.indent - keyAt.indent : 2;
    // Comment lines right above `template:`, as indented, belong to it.
    let insertAt = keyAt.lineStart;
    while (insertAt > 0) {
      const previousStart = text.lastIndexOf('\n', insertAt - 2) + 1;
      const previous = text.slice(previousStart, insertAt).replace(/\r?\n$/, '');
      if (!new RegExp(`^ {${keyAt.indent}}#`).test(previous)) break;
      insertAt = previousStart;
    }
    const pad = (level: number) => ' '.repeat(keyAt.indent + level * step);
    const eol = fixer.eol;
    const selector = `${pad(0)}selector:${eol}${pad(1)}matchLabels:${eol}${labels.map((line) => `${pad(2)}${line}${eol}`).join('')}`;
    edits.push(fixer.insertAt(insertAt, selector));
    return edits;
  };
}
