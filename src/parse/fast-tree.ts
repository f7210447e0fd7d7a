/**
 * The yaml syntax tree of a fast-path document, built from the positions a second fast
 * parse records (recordPositions) instead of the yaml package's full parse: a fix walks
 * the tree of every document it edits, and that parse was a tenth of a run's time and a
 * quarter of what it allocated.
 *
 * The nodes are the yaml package's own classes with the values, scalar types, collection
 * styles and ranges (all three offsets) its parse gives; property tests hold the two equal.
 * Comments are not attached to nodes (`comment`, `commentBefore`, `spaceBefore`), but they
 * move ranges as the yaml parser moves them (a run of comment lines after a value or a
 * collection can end up in its range). Where the ranges depend on more than this knows (an
 * empty value followed by a comment or a blank line, blank lines after a block scalar),
 * nothing is built and the caller parses the document fully. Flow collections are parsed by
 * the yaml package on their own text, which gives the same nodes as in place.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, isNode, parseDocument, visit, type Node, type Schema, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import type { DocumentPositions, PlainScalars, Range } from './fast-parse.js';
import { ownString } from './own-string.js';

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
  end: number,
  scalars: PlainScalars,
  options: YamlOptions,
): Node | undefined {
  if (positions.value === null) return undefined;
  try {
    return new TreeBuilder(positions, text, base, end, scalars, options).node(positions.value, positions.root);
  } catch (error) {
    if (error === CANNOT_BUILD) return undefined;
    throw error;
  }
}

/** A node range as the yaml package writes it: start, end of the value, end of the node (its trailing comments included). */
type Range3 = [number, number, number];

/** The schema collections carry (as the yaml parse's do), one per set of parse options. */
const schemas = new WeakMap<YamlOptions, Schema>();

class TreeBuilder {
  constructor(
    private readonly positions: DocumentPositions,
    private readonly text: string,
    private readonly base: number,
    /** Where the document's text ends (the next `---` line, or the file's end). */
    private readonly end: number,
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
    let column = -1;
    for (const [key, { key: keyRange, value: valueRange }] of entries) {
      if (start < 0) column = this.columnOf((start = keyRange[0]));
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
   * comment lines right after it (blank lines between) stay in the collection when one of
   * them is indented at least as deep as it is and it is not at the margin; its range then
   * runs to what follows (the yaml parser keeps such a trailing run of comments in the
   * collection, else hands it to the parent).
   */
  private closeBlock(start: number, end: number): Range3 {
    const column = this.columnOf(start);
    let kept = false;
    let line = this.lineAt(end);
    for (; line.kind === 'blank' || line.kind === 'comment'; line = this.lineAt(line.next)) {
      if (line.kind === 'comment' && line.first - line.start >= column) kept = true;
    }
    // The run (and the indentation of the line after it) is the collection's.
    const closed = kept && column > 0 ? line.first : end;
    return [start - this.base, end - this.base, closed - this.base];
  }

  /** The line starting at `start` (or the end of the document): blank, a comment, content. */
  private lineAt(start: number): { start: number; first: number; next: number; kind: 'blank' | 'comment' | 'content' | 'end' } {
    const text = this.text;
    if (start >= this.end) return { start: this.end, first: this.end, next: this.end, kind: 'end' };
    let first = start;
    while (first < this.end && text.charCodeAt(first) === 32) first++;
    const newline = text.indexOf('\n', first);
    const next = newline < 0 || newline >= this.end ? this.end : newline + 1;
    const kind = first >= this.end || text[first] === '\n' ? 'blank' : text[first] === '#' ? 'comment' : 'content';
    return { start, first, next, kind };
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
    const block = first === '|' || first === '>';
    let scalar: Scalar;
    let end: number;
    if (block) {
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
    // A block scalar's value runs to its end; a flow scalar's ends where it is written.
    scalar.range = [range[0] - this.base, (block ? end : range[1]) - this.base, end - this.base];
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
    if (at < this.end) {
      if (text[at] !== '\n') cannot();
      const next = this.lineAt(at + 1).kind;
      if (next === 'blank' || next === 'comment') cannot();
    }
    const scalar = this.scalars.node('');
    scalar.range = [at - this.base, at - this.base, at - this.base];
    scalar.source = '';
    scalar.type = Scalar.PLAIN;
    return scalar;
  }

  /**
   * Where a scalar or flow collection's range ends: after the white space, comment and line
   * break that follow it on its line, and after the comment lines below it (blank lines
   * between) that are indented deeper than its collection's entries: the yaml parser counts
   * those into the value's end.
   */
  private valueEnd(at: number, column: number): number {
    let end = this.lineEnd(at);
    // A document's own value: the comments after it are the document's.
    if (column < 0) return end;
    for (let line = this.lineAt(end); line.kind === 'blank' || line.kind === 'comment'; line = this.lineAt(line.next)) {
      if (line.kind === 'comment') {
        if (line.first - line.start <= column) break;
        end = line.next;
      }
    }
    return end;
  }

  /** After a value on its line: the white space, a comment and the line break that follow it. */
  private lineEnd(at: number): number {
    const text = this.text;
    while (at < this.end && text.charCodeAt(at) === 32) at++;
    if (at < this.end && text[at] === '#') return this.lineAt(at).next;
    if (at >= this.end) return this.end;
    if (text[at] !== '\n') cannot();
    return at + 1;
  }

  /**
   * A block scalar ends after its last content line's line break. Blank lines after it
   * belong to it or not by its chomping and their spaces: left to the full parse.
   */
  private blockScalarEnd(range: Range): number {
    if (range[1] >= this.end) return this.end;
    if (this.text[range[1]] !== '\n') cannot();
    const end = range[1] + 1;
    if (this.lineAt(end).kind === 'blank') cannot();
    return end;
  }

  /** A flow collection, parsed on its own text by the yaml package, its ranges moved into place. */
  private flowCollection(range: Range, column: number): Node {
    const root = flowTree(this.text.slice(range[0], range[1]), this.options).clone() as Node;
    const shift = range[0] - this.base;
    // The clone's ranges are its own copies: moved in place.
    visit(root, (_key, node) => {
      if (!isNode(node) || !node.range) return;
      node.range[0] += shift;
      node.range[1] += shift;
      node.range[2] += shift;
    });
    root.range = [root.range![0], root.range![1], this.valueEnd(range[1], column) - this.base];
    return root;
  }

  private yamlSchema(): Schema {
    let schema = schemas.get(this.options);
    if (!schema) schemas.set(this.options, (schema = parseDocument('', this.options).schema));
    return schema;
  }
}

/**
 * The yaml package's tree of a flow collection's own text (ranges from 0), parsed once per
 * text: manifests repeat the same short ones ({}, [], ["ALL"], the same args) in every pod,
 * and a clone is a small fraction of a parse. Long texts are parsed each time, and the table
 * is emptied when full, so it stays small whatever the input.
 */
function flowTree(source: string, options: YamlOptions): Node {
  let trees = flowTrees.get(options);
  if (!trees) flowTrees.set(options, (trees = new Map()));
  const known = trees.get(source);
  if (known) return known;
  const kept = source.length <= FLOW_TREE_TEXT_LENGTH;
  // A text of its own to parse and keep (the tree's strings are cut from it): see ownString.
  const text = kept ? ownString(source) : source;
  const document = parseDocument(text, options);
  if (document.errors.length > 0 || document.warnings.length > 0 || !isNode(document.contents)) cannot();
  if (kept) {
    if (trees.size >= FLOW_TREE_ENTRIES) trees.clear();
    trees.set(text, document.contents);
  }
  return document.contents;
}

const flowTrees = new WeakMap<YamlOptions, Map<string, Node>>();
const FLOW_TREE_TEXT_LENGTH = 256;
const FLOW_TREE_ENTRIES = 2_000;

type DocumentPositionsNode = NonNullable<ReturnType<DocumentPositions['nodes']['get']>>;
