/**
 * The yaml syntax tree of a fast-path document, built from the positions a second fast
 * parse records (recordPositions) instead of the yaml package's full parse: a fix walks
 * the tree of every document it edits, and that parse was a tenth of a run's time and a
 * quarter of what it allocated.
 *
 * The nodes are the yaml package's own classes with the values, scalar types, collection
 * styles and ranges (all three offsets) its parse gives; property tests hold the two equal.
 * Comments are not attached to nodes (`comment`, `commentBefore`, `spaceBefore`). Where the
 * yaml package's ranges depend on more than this knows (a comment line after a collection,
 * an empty value, trailing blank lines after a block scalar), nothing is built and the
 * caller parses the document fully. Flow collections are parsed by the yaml package on
 * their own text, which gives the same nodes as in place.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, isNode, parseDocument, visit, type Node, type Schema, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import type { DocumentPositions, PlainScalars, Range } from './fast-parse.js';

class CannotBuild extends Error {}
const CANNOT_BUILD = new CannotBuild();
function cannot(): never {
  throw CANNOT_BUILD;
}

type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * The root node of the document whose positions were recorded, its ranges relative to
 * `base` (the document's first offset, as in the yaml parse of the document's own text);
 * undefined when the tree cannot be made exactly as the yaml package makes it.
 */
export function buildSyntaxTree(
  positions: DocumentPositions,
  text: string,
  base: number,
  scalars: PlainScalars,
  options: YamlOptions,
): Node | undefined {
  if (positions.value === null || positions.root === undefined) return undefined;
  try {
    return new TreeBuilder(positions, text, base, scalars, options).node(positions.value, positions.root);
  } catch (error) {
    if (error === CANNOT_BUILD) return undefined;
    throw error;
  }
}

/** A block collection's range before it is closed: where it starts and where its last child ends. */
type Range3 = [number, number, number];

/** The schema collections carry (as the yaml parse's do), one per set of parse options. */
const schemas = new WeakMap<YamlOptions, Schema>();

class TreeBuilder {
  constructor(
    private readonly positions: DocumentPositions,
    private readonly text: string,
    private readonly base: number,
    private readonly scalars: PlainScalars,
    private readonly options: YamlOptions,
  ) {}

  /** The node of `value`, written at `range`, in a block collection whose entries start at `column` (-1: the root). */
  node(value: unknown, range: Range | undefined, column = -1): Node {
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      const recorded = this.positions.nodes.get(value);
      if (!recorded) cannot();
      if (recorded.opaque) return this.flowCollection(range ?? cannot(), column);
      if (recorded.entries) return this.mapping(value as Record<string, unknown>, recorded.entries);
      if (recorded.items) return this.sequence(value as unknown[], recorded.items);
      cannot();
    }
    return this.scalar(value, range ?? cannot(), column);
  }

  private dashBefore(itemStart: number): number {
    let dash = itemStart - 1;
    while (dash > 0 && this.text.charCodeAt(dash) === 32) dash--;
    return this.text[dash] === '-' ? dash : cannot();
  }

  private columnOf(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1);
  }

  private mapping(value: Record<string, unknown>, entries: NonNullable<DocumentPositionsNode['entries']>): YAMLMap {
    const map = new YAMLMap(this.yamlSchema());
    let start = -1;
    let end = -1;
    for (const [key, { key: keyRange, value: valueRange }] of entries) {
      if (start < 0) start = keyRange[0];
      const column = this.columnOf(start);
      const child = valueRange === undefined && value[key] === null ? this.emptyValue(keyRange[1]) : this.node(value[key], valueRange, column);
      end = (child.range as Range3)[2] + this.base;
      map.items.push(new Pair(this.key(key, keyRange), child));
    }
    if (start < 0) cannot();
    map.range = this.closeBlock(start, end);
    return map;
  }

  private sequence(value: unknown[], items: NonNullable<DocumentPositionsNode['items']>): YAMLSeq {
    const seq = new YAMLSeq(this.yamlSchema());
    // The sequence starts at its first dash: the first item's text follows it on its line. A
    // collection item's range is not always recorded, but its children place themselves.
    let dash = items[0] ? this.dashBefore(items[0][0]) : -1;
    let end = -1;
    for (let index = 0; index < value.length; index++) {
      const child = this.node(value[index], items[index], dash < 0 ? -1 : this.columnOf(dash));
      if (dash < 0) dash = this.dashBefore(child.range![0] + this.base);
      end = (child.range as Range3)[2] + this.base;
      seq.items.push(child);
    }
    if (dash < 0) cannot();
    seq.range = this.closeBlock(dash, end);
    return seq;
  }

  /**
   * A block collection's range: from its start to where its last child's range ends. The
   * comment lines right after it (blank lines between) stay in the collection, in its
   * range, when one of them is indented at least as deep as it is (and it is not at the
   * margin); that case is left to the full parse.
   */
  private closeBlock(start: number, end: number): Range3 {
    const text = this.text;
    const column = this.columnOf(start);
    // `end` is where a line starts (the last child's range takes its line break), or the text's end.
    for (let lineStart = end; column > 0 && lineStart < text.length; ) {
      let first = lineStart;
      while (text.charCodeAt(first) === 32) first++;
      if (text[first] === '#') {
        if (first - lineStart >= column) cannot();
        const newline = text.indexOf('\n', first);
        if (newline < 0) break;
        lineStart = newline + 1;
      } else if (text[first] === '\n') lineStart = first + 1;
      else break;
    }
    return [start - this.base, end - this.base, end - this.base];
  }

  private key(key: string, range: Range): Scalar {
    const quote = this.text[range[0]];
    const scalar = new Scalar(key);
    scalar.range = [range[0] - this.base, range[1] - this.base, range[1] - this.base];
    scalar.source = key;
    scalar.type = quote === '"' ? Scalar.QUOTE_DOUBLE : quote === "'" ? Scalar.QUOTE_SINGLE : Scalar.PLAIN;
    return scalar;
  }

  private scalar(value: unknown, range: Range, column: number): Scalar {
    const first = this.text[range[0]];
    let scalar: Scalar;
    let end: number;
    if (first === '|' || first === '>') {
      if (typeof value !== 'string') cannot();
      scalar = new Scalar(value);
      scalar.source = value;
      scalar.type = first === '|' ? Scalar.BLOCK_LITERAL : Scalar.BLOCK_FOLDED;
      end = this.blockScalarEnd(range);
    } else {
      if (first === '"' || first === "'") {
        if (typeof value !== 'string') cannot();
        scalar = new Scalar(value);
        scalar.source = value;
        scalar.type = first === '"' ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
      } else {
        const raw = this.text.slice(range[0], range[1]);
        // A plain scalar over several lines is folded into its value, which is its source.
        const source = raw.includes('\n') ? (typeof value === 'string' ? value : cannot()) : raw;
        scalar = this.scalars.node(source);
        if (!Object.is(scalar.value, value) && !(value instanceof Date)) cannot();
        scalar.source = source;
        scalar.type = Scalar.PLAIN;
      }
      end = this.valueEnd(range[1], column);
    }
    scalar.range = [range[0] - this.base, (first === '|' || first === '>' ? end : range[1]) - this.base, end - this.base];
    return scalar;
  }

  /**
   * A mapping's empty value (`key:` and nothing more on the line): the yaml package puts it
   * after the colon and the spaces that follow. Comments and blank lines after it go into
   * its range, by rules of their own: left to the full parse.
   */
  private emptyValue(keyEnd: number): Scalar {
    const text = this.text;
    let at = keyEnd;
    while (text.charCodeAt(at) === 32) at++;
    if (text[at] !== ':') cannot();
    at++;
    while (text.charCodeAt(at) === 32) at++;
    if (at < text.length) {
      if (text[at] !== '\n') cannot();
      let next = at + 1;
      while (text.charCodeAt(next) === 32) next++;
      if (next < text.length && (text[next] === '\n' || text[next] === '#')) cannot();
    }
    const scalar = this.scalars.node('');
    scalar.range = [at - this.base, at - this.base, at - this.base];
    scalar.source = '';
    scalar.type = Scalar.PLAIN;
    return scalar;
  }

  /**
   * Where a scalar or flow collection's range ends: after the white space, comment and line
   * break that follow it on its line. A comment line after it (blank lines between allowed)
   * indented deeper than its collection's entries is counted in too: left to the full parse.
   */
  private valueEnd(at: number, column: number): number {
    const end = this.lineEnd(at);
    let first = end;
    for (;;) {
      while (this.text.charCodeAt(first) === 32) first++;
      if (this.text[first] !== '\n') break;
      first++;
    }
    if (this.text[first] === '#' && this.columnOf(first) > column) cannot();
    return end;
  }

  /** After a value on its line: the white space, a comment and the line break that follow it. */
  private lineEnd(at: number): number {
    const text = this.text;
    while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) at++;
    if (text[at] === '#') {
      const newline = text.indexOf('\n', at);
      at = newline < 0 ? text.length : newline;
    }
    if (text[at] === '\n') at++;
    else if (at < text.length) cannot();
    return at;
  }

  /**
   * A block scalar ends after its last content line's line break. Blank lines after it
   * belong to it or not by its chomping and their spaces: left to the full parse.
   */
  private blockScalarEnd(range: Range): number {
    const text = this.text;
    let end = range[1];
    if (end >= text.length) return end;
    if (text[end] !== '\n') cannot();
    end++;
    const nextLineEnd = text.indexOf('\n', end);
    const nextLine = text.slice(end, nextLineEnd < 0 ? text.length : nextLineEnd);
    if (nextLine.trim() === '' && end < text.length) cannot();
    return end;
  }

  /** A flow collection, parsed on its own text by the yaml package, its ranges moved into place. */
  private flowCollection(range: Range, column: number): Node {
    const source = this.text.slice(range[0], range[1]);
    const document = parseDocument(source, this.options);
    if (document.errors.length > 0 || document.warnings.length > 0 || !isNode(document.contents)) cannot();
    const shift = range[0] - this.base;
    visit(document, (_key, node) => {
      if (isNode(node) && node.range) node.range = [node.range[0] + shift, node.range[1] + shift, node.range[2] + shift];
    });
    const root = document.contents;
    root.range = [root.range![0], root.range![1], this.valueEnd(range[1], column) - this.base];
    return root;
  }

  private yamlSchema(): Schema {
    let schema = schemas.get(this.options);
    if (!schema) schemas.set(this.options, (schema = parseDocument('', this.options).schema));
    return schema;
  }
}

type DocumentPositionsNode = NonNullable<ReturnType<DocumentPositions['nodes']['get']>>;
