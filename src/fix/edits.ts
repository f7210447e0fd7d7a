/** Edits rules share, computed on the original text from yaml node ranges. */
import { isMap, isScalar, isSeq, Scalar } from 'yaml';
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
    const insertAt = startOfCommentsAbove(text, keyAt.lineStart, keyAt.indent);
    const pad = (level: number) => ' '.repeat(keyAt.indent + level * step);
    const eol = fixer.eol;
    const selector = `${pad(0)}selector:${eol}${pad(1)}matchLabels:${eol}${labels.map((line) => `${pad(2)}${line}${eol}`).join('')}`;
    edits.push(fixer.insertAt(insertAt, selector));
    return edits;
  };
}

/** A toleration a fix adds, its fields in the order written when nothing says otherwise. */
export interface AddedToleration {
  key: string;
  operator: 'Exists';
  effect: string;
}

const TOLERATION_FIELDS = ['key', 'operator', 'effect'] as const;

type Quote = '' | '"' | "'";

function quoteOf(node: unknown): Quote | undefined {
  if (!isScalar(node)) return undefined;
  return node.type === Scalar.QUOTE_DOUBLE ? '"' : node.type === Scalar.QUOTE_SINGLE ? "'" : node.type === Scalar.PLAIN ? '' : undefined;
}

/** How the list's existing items are written: flow or block maps, field order, quoting. */
interface ItemStyle {
  flow: boolean;
  order: string[];
  quote: Quote;
}

function styleOf(item: unknown, fallbackFlow: boolean): ItemStyle {
  if (!isMap(item)) return { flow: fallbackFlow, order: [...TOLERATION_FIELDS], quote: '' };
  const keys = item.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''));
  const known = keys.filter((key): key is (typeof TOLERATION_FIELDS)[number] => (TOLERATION_FIELDS as readonly string[]).includes(key));
  const order = [...known, ...TOLERATION_FIELDS.filter((field) => !known.includes(field))];
  // The quoting of the item's own values (its `key` first): `key: "node-role..."` gets quoted company.
  const keyPair = item.items.find((pair) => isScalar(pair.key) && pair.key.value === 'key') ?? item.items[0];
  return { flow: item.flow === true, order, quote: quoteOf(keyPair?.value) ?? '' };
}

function fieldsText(toleration: AddedToleration, style: ItemStyle): string[] {
  return style.order.map((field) => `${field}: ${style.quote}${toleration[field as keyof AddedToleration]}${style.quote}`);
}

/** The column of `offset`, when only spaces precede it on its line. */
function columnAt(text: string, offset: number): number | undefined {
  return indentationAt(text, offset)?.indent;
}

/** Where the line holding `offset - 1` ends (after its line break); `text.length` on the last line. */
function afterLineOf(text: string, offset: number): { at: number; needsBreak: boolean } {
  const newline = text.indexOf('\n', Math.max(offset - 1, 0));
  return newline < 0 ? { at: text.length, needsBreak: true } : { at: newline + 1, needsBreak: false };
}

/** Block sequence items: `- {…}` or `- key: …` with the following fields under the first. */
function blockItems(tolerations: readonly AddedToleration[], style: ItemStyle, dash: number, content: number, eol: string): string {
  return tolerations
    .map((toleration) => {
      const fields = fieldsText(toleration, style);
      if (style.flow) return `${' '.repeat(dash)}-${' '.repeat(content - dash - 1)}{${fields.join(', ')}}${eol}`;
      return fields.map((field, i) => `${' '.repeat(i === 0 ? dash : content)}${i === 0 ? `-${' '.repeat(content - dash - 1)}` : ''}${field}${eol}`).join('');
    })
    .join('');
}

/**
 * Adds tolerations to the pod spec at `specPath`, written as the file writes them: appended
 * to an existing `tolerations:` list in its style (block or flow sequence, flow or block
 * items, their indentation, field order and quoting), or as a new `tolerations:` list just
 * before `containers:` (and the comment lines above it), where Kubernetes' own DaemonSet
 * example puts it, in the style of the containers list. Anything else (a flow pod spec, an
 * alias, `tolerations: null`) gets no fix.
 */
export function addTolerations(specPath: ObjectPath, tolerations: readonly AddedToleration[]): FixFunction {
  return (fixer) => {
    if (tolerations.length === 0) return undefined;
    const spec = fixer.node(specPath);
    if (!isMap(spec)) return undefined;
    const text = fixer.text;
    const at = (offset: number) => offset + fixer.offset;
    const pair = spec.items.find((item) => isScalar(item.key) && item.key.value === 'tolerations');
    if (pair) {
      const list = pair.value;
      if (!isSeq(list) || !list.range) return undefined;
      const style = styleOf(list.items[0], true);
      if (list.flow) {
        const last = list.items.at(-1) as { range?: [number, number, number] } | undefined;
        const items = tolerations.map((toleration) => `{${fieldsText(toleration, style).join(', ')}}`).join(', ');
        if (last) return last.range ? fixer.insertAt(at(last.range[1]), `, ${items}`) : undefined;
        const close = at(list.range[1]) - 1;
        return text[close] === ']' ? fixer.insertAt(close, items) : undefined;
      }
      const first = list.items[0] as { range?: [number, number, number] } | undefined;
      const last = list.items.at(-1) as { range?: [number, number, number] } | undefined;
      const dash = columnAt(text, at(list.range[0]));
      if (dash === undefined || !first?.range || !last?.range) return undefined;
      // The item's content column: `- key` is dash + 2, `-   key` keeps its own.
      const lineStart = text.lastIndexOf('\n', at(first.range[0]) - 1) + 1;
      const content = at(first.range[0]) - lineStart;
      if (content <= dash) return undefined;
      const { at: insertAt, needsBreak } = afterLineOf(text, at(last.range[1]));
      return fixer.insertAt(insertAt, `${needsBreak ? fixer.eol : ''}${blockItems(tolerations, style, dash, content, fixer.eol)}`);
    }
    if (spec.flow) return undefined;
    const containersPair = spec.items.find((item) => isScalar(item.key) && item.key.value === 'containers');
    const containersKey = containersPair?.key as Scalar | undefined;
    if (!containersKey?.range) return undefined;
    const keyAt = indentationAt(text, at(containersKey.range[0]));
    if (!keyAt) return undefined;
    // The containers list says how this file writes a list: `- ` under the key or indented, flow or block items.
    const containers = containersPair!.value;
    const firstContainer = isSeq(containers) && !containers.flow ? (containers.items[0] as { range?: [number, number, number] } | undefined) : undefined;
    const containerDash = isSeq(containers) && !containers.flow && containers.range ? columnAt(text, at(containers.range[0])) : undefined;
    const dash = containerDash !== undefined && containerDash >= keyAt.indent ? containerDash : keyAt.indent;
    let content = dash + 2;
    if (firstContainer?.range) {
      const start = at(firstContainer.range[0]);
      const column = start - (text.lastIndexOf('\n', start - 1) + 1);
      if (column > dash) content = column;
    }
    const style: ItemStyle = { ...styleOf(undefined, isMap(firstContainer) && firstContainer.flow === true), quote: '' };
    const insertAt = startOfCommentsAbove(text, keyAt.lineStart, keyAt.indent);
    const eol = fixer.eol;
    return fixer.insertAt(insertAt, `${' '.repeat(keyAt.indent)}tolerations:${eol}${blockItems(tolerations, style, dash, content, eol)}`);
  };
}

/** `text` written as `like` is written: plain when it stays a plain string, else in its quotes. */
function inQuotesOf(like: Scalar, text: string): string | undefined {
  if (like.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(text);
  if (like.type === Scalar.QUOTE_SINGLE) return `'${text.replace(/'/g, "''")}'`;
  if (like.type !== Scalar.PLAIN) return undefined;
  // Only names that YAML 1.1 reads as the same string stay plain.
  return /^[A-Za-z][A-Za-z0-9._/-]*$/.test(text) && !/^(?:y|n|yes|no|on|off|true|false|null)$/i.test(text) ? text : JSON.stringify(text);
}

/** The key scalar of the pair `path` ends in (its parent a mapping as written). */
function keyNodeAt(fixer: Parameters<FixFunction>[0], path: ObjectPath): { key: Scalar; map: ReturnType<Parameters<FixFunction>[0]['node']> } | undefined {
  const map = fixer.node(path.slice(0, -1));
  const name = String(path[path.length - 1]);
  if (!isMap(map)) return undefined;
  const pair = map.items.findLast((item) => isScalar(item.key) && String(item.key.value) === name);
  return isScalar(pair?.key) && pair.key.range ? { key: pair.key, map } : undefined;
}

/**
 * Renames the key `path` ends in to `to`, in the key's own quoting; nothing when the mapping
 * already has `to` (the rename would make a duplicate key).
 */
export function renameKey(path: ObjectPath, to: string): FixFunction {
  return (fixer) => {
    const found = keyNodeAt(fixer, path);
    if (!found || !isMap(found.map)) return undefined;
    if (found.map.items.some((item) => isScalar(item.key) && String(item.key.value) === to)) return undefined;
    const text = inQuotesOf(found.key, to);
    const range = found.key.range!;
    return text === undefined ? undefined : fixer.replace([range[0] + fixer.offset, range[1] + fixer.offset], text);
  };
}

/** Replaces the string scalar at `path` by `to`, in its own quoting (a comment after it stays). */
export function replaceStringValue(path: ObjectPath, to: string): FixFunction {
  return (fixer) => {
    const node = fixer.node(path);
    if (!isScalar(node) || !node.range) return undefined;
    const text = inQuotesOf(node, to);
    return text === undefined ? undefined : fixer.replace([node.range[0] + fixer.offset, node.range[1] + fixer.offset], text);
  };
}

/**
 * Sets the field `path` ends in to the plain scalar `value`: the value replaced when the
 * field is written as a single-line scalar, else `name: value` inserted just before the
 * sibling key `before` (on its own line in a block mapping, `, `-separated in a flow one).
 */
export function setScalarField(path: ObjectPath, value: string, before: string): FixFunction {
  return (fixer) => {
    const node = fixer.node(path);
    if (node !== undefined) {
      if (!isScalar(node) || !node.range) return undefined;
      const source = fixer.text.slice(node.range[0] + fixer.offset, node.range[1] + fixer.offset);
      return /[\r\n]/.test(source) ? undefined : fixer.replace([node.range[0] + fixer.offset, node.range[1] + fixer.offset], value);
    }
    const sibling = keyNodeAt(fixer, [...path.slice(0, -1), before]);
    if (!sibling || !isMap(sibling.map)) return undefined;
    const start = sibling.key.range![0] + fixer.offset;
    const name = String(path[path.length - 1]);
    if (sibling.map.flow) return fixer.insertAt(start, `${name}: ${value}, `);
    const at = indentationAt(fixer.text, start);
    return at ? fixer.insertAt(start, `${name}: ${value}${fixer.eol}${' '.repeat(at.indent)}`) : undefined;
  };
}

/**
 * Where the comment lines right above the line at `lineStart`, indented by exactly
 * `indent`, begin (`lineStart` when there are none): they belong to that line's key, so an
 * insertion before the key goes above them.
 */
function startOfCommentsAbove(text: string, lineStart: number, indent: number): number {
  const prefix = `${' '.repeat(indent)}#`;
  let start = lineStart;
  while (start > 0) {
    const previousStart = text.lastIndexOf('\n', start - 2) + 1;
    if (!text.startsWith(prefix, previousStart)) break;
    start = previousStart;
  }
  return start;
}
