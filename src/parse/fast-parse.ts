/**
 * A fast path for the common, clean manifest: block mappings and sequences (compact
 * "- key:" items included), plain and quoted scalars with YAML's line folding, flow
 * collections, literal and simple folded block scalars, comments and `---` separators.
 * It produces exactly the values the `yaml` package's YAML 1.1 parse produces (plain
 * scalars are resolved by that package's own 1.1 tags), and gives up on anything else:
 * anchors, aliases, tags, tabs, CR, escaped line breaks, duplicate keys, odd indentation,
 * deep nesting. The caller then parses that document fully. Property tests hold the two
 * paths equal, values and positions alike.
 *
 * Values come first; positions are recorded by a second parse (recordPositions) only for
 * documents that have a finding to place.
 */
import { Scalar, Schema, isScalar, type ScalarTag, type Tags } from 'yaml';
import { MAX_DEPTH } from './depth.js';
import { ownString } from './own-string.js';

/** Block nesting the fast path takes; flow collections add at most 51 levels, staying under MAX_DEPTH. */
const MAX_BLOCK_DEPTH = MAX_DEPTH - 64;

const MEMO_TEXT_LENGTH = 64;
const MEMO_ENTRIES = 20_000;

/**
 * How plain scalars resolve: the yaml package's own YAML 1.1 tags with the caller's changes
 * (kubelint removes the two go-yaml does not resolve). The fast path is handed one, so it
 * resolves exactly as the full parse configured with the same tags.
 */
export class PlainScalars {
  private readonly tags: ScalarTag[];

  /** Keys that passed splitKey's checks with these tags. */
  readonly keys = new KnownKeys();

  /** Whether `mayNotBeString` may answer for these tags: they are yaml's own YAML 1.1 tags, or some of them. */
  private readonly knownTags: boolean;

  constructor(customTags: (tags: Tags) => Tags) {
    const schema = new Schema({ schema: 'yaml-1.1', customTags, merge: true });
    // As yaml's findScalarTagByTest does for a plain scalar: the default tags, in order, by test.
    this.tags = defaultTestedTags(schema);
    const yaml11 = defaultTestedTags(new Schema({ schema: 'yaml-1.1', merge: true }));
    this.knownTags = this.tags.every((tag) => yaml11.includes(tag));
  }

  /**
   * Each short text's value, when it is a primitive: keys and values repeat from document to
   * document (apiVersion, name, true), and each costs a test of every YAML 1.1 tag (a dozen
   * RegExps) otherwise. Emptied when full, so it stays small whatever the input.
   */
  private readonly known = new Map<string, unknown>();

  resolve(text: string): unknown {
    // Most texts (names, images, paths) cannot be anything but a string: no memo, no RegExp.
    if (this.knownTags && !mayNotBeString(text)) return text;
    const memo = text.length <= MEMO_TEXT_LENGTH;
    if (memo) {
      const known = this.known.get(text);
      if (known !== undefined) return known;
    }
    const tag = this.tagOf(text);
    const resolved: unknown = tag ? tag.resolve(text, bail, {} as never) : text;
    const value = isScalar(resolved) ? resolved.value : resolved;
    // A timestamp is a Date: a mutable object, so never shared.
    if (memo && (value === null || typeof value !== 'object')) {
      if (this.known.size >= MEMO_ENTRIES) this.known.clear();
      const own = ownString(text);
      this.known.set(own, value === text ? own : value);
      if (value === text) return own;
    }
    return value;
  }

  /** A plain scalar's node as the yaml package composes it: its value, and the format its tag gives (HEX, EXP...). */
  node(text: string): Scalar {
    const tag = this.tagOf(text);
    if (!tag) return new Scalar(text);
    const resolved = tag.resolve(text, bail, {} as never);
    const scalar = isScalar(resolved) ? resolved : new Scalar(resolved);
    if (tag.format) scalar.format = tag.format;
    return scalar;
  }

  /** As yaml's findScalarTagByTest does for a plain scalar: the first default tag whose test takes it. */
  private tagOf(text: string): ScalarTag | undefined {
    for (const tag of this.tags) if (tag.test!.test(text)) return tag;
    return undefined;
  }
}

/** A schema's tags that test plain scalars, in order, as yaml's findScalarTagByTest takes them. */
export function defaultTestedTags(schema: Schema): ScalarTag[] {
  return schema.tags.filter(
    (tag): tag is ScalarTag => typeof tag === 'object' && tag.default === true && (tag as ScalarTag).test !== undefined,
  );
}

/**
 * Whether a plain scalar might resolve to something other than a string under yaml's YAML 1.1
 * tags: null (empty, ~, null), booleans (y, yes, on, off, true, false... five characters at
 * most), numbers and infinities ([-+.0-9], or "e5": the exponent form's digits are optional),
 * and the merge key (<<). Anything else is a string whatever tag tests it. A property test
 * holds this to the tags' own tests.
 */
export function mayNotBeString(text: string): boolean {
  if (text.length === 0) return true;
  switch (text.charCodeAt(0)) {
    case 0x2d: case 0x2b: case 0x2e: case 0x7e: case 0x3c: case 0x65: case 0x45: // - + . ~ < e E
      return true;
    case 0x79: case 0x59: case 0x6e: case 0x4e: case 0x74: case 0x54: case 0x66: case 0x46: case 0x6f: case 0x4f: // yYnNtTfFoO
      return text.length <= 5;
    default: {
      const code = text.charCodeAt(0);
      return code >= 0x30 && code <= 0x39;
    }
  }
}

/**
 * Plain keys met before, each once, as property names: manifests repeat a few hundred keys
 * (name, image, containers...) hundreds of thousands of times. A key found here is not cut
 * out of its line, and the object gets a property name V8 already holds, where a new slice
 * had to be hashed and looked up in V8's string table first (the duplicate-key check and
 * the store were a sixth of the fast path). Only keys that passed every check of splitKey
 * are kept; a direct-mapped table, so it stays small whatever the input.
 */
export class KnownKeys {
  private readonly table: Array<string | undefined> = new Array(KNOWN_KEYS_SIZE).fill(undefined);

  /** The known key written as `line`'s first `length` characters, if there is one. */
  find(line: string, length: number): string | undefined {
    const slot = slotOf(line, length);
    const first = this.table[slot];
    if (first !== undefined && sameStart(first, line, length)) return first;
    const second = this.table[slot + 1];
    return second !== undefined && sameStart(second, line, length) ? second : undefined;
  }

  remember(key: string): void {
    if (key.length > MEMO_TEXT_LENGTH) return;
    // Two places per hash, the newest first, so that two frequent keys of one hash both stay
    // (workloads-10k: 7,856 misses in 381,000 lookups with one place; with two, 239, each
    // key's first sight).
    const slot = slotOf(key, key.length);
    this.table[slot + 1] = this.table[slot];
    // A property name of its own: a slice would keep its whole file's text alive.
    this.table[slot] = Object.keys({ [key]: 0 })[0]!;
  }
}

const KNOWN_KEYS_SIZE = 4096;

/** Whether `known` is exactly `line`'s first `length` characters. */
function sameStart(known: string, line: string, length: number): boolean {
  if (known.length !== length) return false;
  for (let i = 0; i < length; i++) if (known.charCodeAt(i) !== line.charCodeAt(i)) return false;
  return true;
}

/** FNV-1a of the first `length` characters, folded to the first of a pair of places in the table. */
function slotOf(text: string, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash ^ (hash >>> 15)) & (KNOWN_KEYS_SIZE - 2);
}

const NO_CONTINUATION: ReadonlyArray<{ blanks: number; text: string }> = Object.freeze([]);

/** Thrown internally to abandon the fast path. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();
function bail(): never {
  throw UNSUPPORTED;
}

export interface FastDocument {
  value: unknown;
  empty: boolean;
}

/**
 * One line of a stream. A class, not an object literal: literals with the same keys share
 * V8's hidden classes with every other such literal in the process, and when other code
 * widened those, V8 threw away the optimized code of splitLines (seen with --trace-deopt).
 */
class Line {
  constructor(
    /** Offset of the line start in the text. */
    readonly offset: number,
    readonly indent: number,
    /** The line without its indentation. */
    readonly content: string,
    /** Blank or comment-only. */
    readonly insignificant: boolean,
  ) {}
}

/*
 * White space here is YAML's (s-white: space and tab), never JavaScript's `\s` or trim():
 * those also take U+00A0, U+FEFF, U+2028/2029, U+3000, U+2000-200A, VT and FF, which the
 * yaml package (like the API server) reads as content, in YAML 1.1 mode too. Line breaks
 * are LF and CR only (NEL and U+2028/2029 are content as well).
 */
function isWhite(code: number): boolean {
  return code === 32 || code === 9;
}

function trimWhiteEnd(text: string): string {
  let end = text.length;
  while (end > 0 && isWhite(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

function trimWhiteStart(text: string): string {
  let start = 0;
  while (start < text.length && isWhite(text.charCodeAt(start))) start++;
  return start === 0 ? text : text.slice(start);
}

function trimWhite(text: string): string {
  return trimWhiteStart(trimWhiteEnd(text));
}

/** `---` alone, or followed by white space and perhaps a comment (a CR of a CRLF line end is allowed). */
const DOCUMENT_MARKER = /^---(?:[ \t]+(?:#.*)?)?\r?$/;

/** A line that starts a new YAML document: `---`, alone or followed by white space or a line break. */
export function isDocumentMarker(line: string): boolean {
  return /^---(?:[ \t\r\n]|$)/.test(line);
}

/**
 * The yaml package's limit: the `:` of an implicit block key at most 1024 characters after
 * the key's start. After an empty value it counts from the line break before the key, so
 * the fast path counts from there always, and leaves keys near the limit to the full parse.
 */
const MAX_IMPLICIT_KEY = 1024;


/** The text between two `---` lines: one document, if it holds something or was started by `---`. */
export interface Segment {
  /** Offset of the segment's first character (its `---` line, or 0). */
  start: number;
  /** Offset where the next `---` line starts, or the end of the text. */
  end: number;
  lines: Line[];
  /** Holds something other than blank and comment lines. */
  meaningful: boolean;
}

/**
 * Splits a stream into documents the way the yaml package counts them: text before the
 * first `---` is a document only if it holds something; every `---` starts one (a trailing
 * `---` gives an empty document). Undefined for directives and `...` markers.
 */
export function splitSegments(text: string): Segment[] | undefined {
  // A byte order mark the engine did not strip (a second one): the yaml package skips it at the stream start only.
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  const lines = splitLines(text);
  const segments: Segment[] = [];
  let first = 0;
  let start = 0;
  let explicit = false;
  const flush = (last: number, end: number) => {
    const segmentLines = lines.slice(first, last);
    const meaningful = segmentLines.some((line) => !line.insignificant);
    if (explicit || meaningful) segments.push({ start, end, lines: segmentLines, meaningful });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.indent !== 0) continue;
    const content = line.content;
    if (content.startsWith('---')) {
      // Content on the marker line ("--- {a: b}") is left to the full parse.
      if (!DOCUMENT_MARKER.test(content)) return undefined;
      flush(i, line.offset);
      first = i + 1;
      start = line.offset;
      explicit = true;
    } else if (content.startsWith('...') || content.startsWith('%')) {
      return undefined;
    }
  }
  flush(lines.length, text.length);
  return segments;
}

/** The value of one document, or undefined when it is outside the fast path's subset. */
export function fastParseSegment(segment: Segment, text: string, scalars: PlainScalars): { value: unknown } | undefined {
  if (!segment.meaningful) return { value: null };
  const body = text.slice(segment.start, segment.end);
  // A byte order mark that opens a document's first line is one the yaml package skips
  // (a stream may hold one per document): the full parse decides, U+FEFF anywhere is rare.
  if (body.includes('\t') || body.includes('\r') || body.includes('\u0000') || body.includes('\ufeff')) return undefined;
  try {
    const parser = new BlockParser(segment.lines, scalars);
    const value = parser.parseDocument();
    if (!parser.nullField && value !== null && typeof value === 'object') NULL_FREE.add(value);
    return { value };
  } catch (error) {
    if (error === UNSUPPORTED || error instanceof RangeError) return undefined;
    throw error;
  }
}

/** Document values the fast path made without a null field anywhere in them. */
const NULL_FREE = new WeakSet<object>();

/**
 * True when `value` is a document the fast path parsed and no mapping in it has a null
 * value: schema validation, which drops null fields first (Kubernetes reads them as unset),
 * then need not walk it to find none. False says nothing.
 */
export function knownFreeOfNullFields(value: object): boolean {
  return NULL_FREE.has(value);
}

/** Parses a whole stream; undefined unless every document is inside the fast path's subset. */
export function fastParse(text: string, scalars: PlainScalars): FastDocument[] | undefined {
  const segments = splitSegments(text);
  if (!segments) return undefined;
  const documents: FastDocument[] = [];
  for (const segment of segments) {
    const parsed = fastParseSegment(segment, text, scalars);
    if (!parsed) return undefined;
    documents.push({ value: parsed.value, empty: parsed.value === null });
  }
  return documents;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  while (offset < text.length) {
    let next = text.indexOf('\n', offset);
    if (next < 0) next = text.length;
    let indent = offset;
    while (text.charCodeAt(indent) === 32) indent++;
    const content = text.slice(indent, next);
    lines.push(new Line(offset, indent - offset, content, content === '' || content.charCodeAt(0) === 35));
    offset = next + 1;
  }
  return lines;
}

/** Absolute [start, end) offsets of a key or value in the file. */
export type Range = [number, number];

/** Where the entries of one mapping, or the items of one sequence, are written. */
export interface NodePositions {
  entries?: Map<string, { key: Range; value: Range | undefined }>;
  items?: Array<Range | undefined>;
  /** A flow collection: its children's positions are not recorded. */
  opaque?: boolean;
}

/** Positions of a document, recorded by a second fast parse when findings need placing. */
export interface DocumentPositions {
  value: unknown;
  root: Range | undefined;
  nodes: WeakMap<object, NodePositions>;
}

/** Parses a segment again, recording where each key and value is. Undefined if it cannot. */
export function recordPositions(segment: Segment, scalars: PlainScalars): DocumentPositions | undefined {
  if (!segment.meaningful) return undefined;
  const nodes = new WeakMap<object, NodePositions>();
  try {
    const parser = new BlockParser(segment.lines, scalars, nodes);
    const value = parser.parseDocument();
    return { value, root: parser.lastRange(), nodes };
  } catch (error) {
    if (error === UNSUPPORTED || error instanceof RangeError) return undefined;
    throw error;
  }
}

function contentEnd(line: Line): number {
  return line.offset + line.indent + line.content.length;
}

class BlockParser {
  private i = 0;
  /** Block collections open around the current line: deep nesting goes to the full parse, which reports it. */
  private depth = 0;
  /** The range of the value parsed last (when recording positions). */
  private last: Range | undefined;
  /** Whether some mapping got a null value (which schema validation must drop first). */
  nullField = false;

  /** A copy of the segment's lines: parsing rewrites those of compact "- key:" items. */
  private readonly lines: Line[];

  constructor(
    lines: readonly Line[],
    private readonly scalars: PlainScalars,
    private readonly positions?: WeakMap<object, NodePositions>,
  ) {
    this.lines = [...lines];
  }

  lastRange(): Range | undefined {
    return this.last;
  }

  /**
   * Whether a comment follows offset `end` (where a collection's last value ends) before the
   * next significant line: on that line, or on comment lines after it. The yaml package
   * counts such comments into the collection's range, so its end is left to that parse.
   */
  private commentFollows(end: number): boolean {
    for (let j = this.i - 1; j >= 0; j--) {
      const line = this.lines[j]!;
      const contentStart = line.offset + line.indent;
      if (contentStart >= end) {
        if (line.content.startsWith('#')) return true;
        continue;
      }
      return line.content.includes('#', end - contentStart);
    }
    return false;
  }

  parseDocument(): unknown {
    const first = this.peek();
    if (!first) return null;
    if (first.indent !== 0) bail();
    let value: unknown;
    if (isSequenceItem(first.content) || looksLikeMappingEntry(first.content)) value = this.parseNode(first.indent);
    else {
      // A document that is one flow collection or scalar.
      this.i++;
      value = this.parseInline(first.content, -1, -1);
    }
    if (this.peek()) bail(); // something left over: not the simple shape we understand
    return value;
  }

  /** The next significant line, skipping blank and comment lines. */
  private peek(): Line | undefined {
    while (this.i < this.lines.length && this.lines[this.i]!.insignificant) this.i++;
    return this.lines[this.i];
  }

  private parseNode(indent: number): unknown {
    const line = this.peek()!;
    return isSequenceItem(line.content) ? this.parseSequence(indent) : this.parseMapping(indent);
  }

  private parseMapping(indent: number): Record<string, unknown> {
    if (++this.depth > MAX_BLOCK_DEPTH) bail();
    const mapping: Record<string, unknown> = {};
    const entries = this.positions ? new Map<string, { key: Range; value: Range | undefined }>() : undefined;
    let start = -1;
    let end: number | undefined;
    for (let line = this.peek(); line && line.indent >= indent; line = this.peek()) {
      if (line.indent > indent) bail();
      if (isSequenceItem(line.content)) break;
      const { key, rest, keyLength } = splitKey(line.content, line.indent, this.scalars);
      if (Object.prototype.hasOwnProperty.call(mapping, key) || key === '<<' || key === '__proto__') bail();
      this.i++;
      const value = this.parseValue(rest, indent, true);
      if (value === null) this.nullField = true;
      mapping[key] = value;
      if (entries) {
        const keyStart = line.offset + line.indent;
        if (start < 0) start = keyStart;
        entries.set(key, { key: [keyStart, keyStart + keyLength], value: this.last });
        end = this.last?.[1];
      }
    }
    if (entries) {
      this.positions!.set(mapping, { entries });
      this.last = start >= 0 && end !== undefined && !this.commentFollows(end) ? [start, end] : undefined;
    }
    this.depth--;
    return mapping;
  }

  private parseSequence(indent: number): unknown[] {
    if (++this.depth > MAX_BLOCK_DEPTH) bail();
    const sequence: unknown[] = [];
    const items = this.positions ? ([] as Array<Range | undefined>) : undefined;
    const first = this.peek();
    const start = first ? first.offset + first.indent : 0;
    for (let line = this.peek(); line && line.indent >= indent; line = this.peek(), items?.push(this.last)) {
      if (line.indent > indent) bail();
      if (!isSequenceItem(line.content)) break;
      let spaces = 1;
      while (line.content.charCodeAt(spaces) === 32) spaces++;
      const after = line.content.slice(spaces);
      if (after === '' || after.startsWith('#')) {
        this.i++;
        sequence.push(this.parseNested(indent, false));
      } else if (isSequenceItem(after)) {
        // "- - a": a sequence whose items sit at the column after "- ".
        const column = indent + spaces;
        this.lines[this.i] = new Line(line.offset, column, after, false);
        sequence.push(this.parseSequence(column));
      } else if (looksLikeMappingEntry(after)) {
        // "- key: value": a mapping whose keys sit at the column after "- ".
        const column = indent + spaces;
        this.lines[this.i] = new Line(line.offset, column, after, false);
        sequence.push(this.parseMapping(column));
      } else {
        this.i++;
        sequence.push(this.parseInline(after, indent, indent));
      }
    }
    if (items) {
      this.positions!.set(sequence, { items });
      const end = items.at(-1)?.[1];
      this.last = items.length && end !== undefined && !this.commentFollows(end) ? [start, end] : undefined;
    }
    this.depth--;
    return sequence;
  }

  /**
   * The value after "key:" (or "-"): nested block on the next lines, or inline text.
   * A mapping value may be a sequence at the key's own indentation.
   */
  private parseValue(rest: string, indent: number, inMapping: boolean): unknown {
    if (rest === '' || rest.startsWith('#')) return this.parseNested(indent, inMapping);
    return this.parseInline(rest, indent, indent);
  }

  private parseNested(indent: number, inMapping: boolean): unknown {
    const next = this.peek();
    this.last = undefined; // an empty value: yaml places it differently, so it is not recorded
    if (!next) return null;
    if (next.indent > indent) return this.parseNode(next.indent);
    if (inMapping && next.indent === indent && isSequenceItem(next.content)) return this.parseSequence(indent);
    return null;
  }

  /** An inline value: quoted, flow, block scalar header, or plain scalar. */
  private parseInline(text: string, ownerIndent: number, continuationIndent: number): unknown {
    const first = text[0]!;
    const start = this.positions ? contentEnd(this.lines[this.i - 1]!) - text.length : 0;
    let value: unknown;
    if (first === '"' || first === "'") {
      value = this.parseQuotedValue(text, ownerIndent, start);
    } else if (first === '[' || first === '{') {
      value = this.parseFlowValue(text, ownerIndent, start);
    } else if (first === '|' || first === '>') {
      return this.parseBlockScalar(text, ownerIndent, start);
    } else {
      // Indicators that start something other than a plain scalar ("-5" and ":x" are plain).
      if ('&*!%@`,[]{}#'.includes(first)) bail();
      if ('-?:'.includes(first) && (text.length === 1 || text[1] === ' ')) bail();
      const plain = trimWhiteEnd(stripComment(text));
      if (hasMappingIndicator(plain)) bail();
      const continuation = this.continuationLines(ownerIndent);
      if (continuation.length && plain.length !== trimWhiteEnd(text).length) bail(); // a comment, then more text
      if (this.positions) {
        const lastLine = this.lines[this.i - 1]!;
        this.last = [start, continuation.length ? lastLine.offset + lastLine.indent + trimWhiteEnd(lastLine.content).length : start + plain.length];
      }
      // YAML lets a continuation line start with anything but "#"; ": " and " #" end the scalar.
      for (const { text: line } of continuation) {
        if (line[0] === '#' || hasMappingIndicator(line) || line.includes(' #')) bail();
      }
      value = this.scalars.resolve(continuation.length ? fold([{ blanks: 0, text: plain }, ...continuation]) : plain);
    }
    // A more indented line after a scalar would continue it in a way we do not fold.
    const next = this.peek();
    if (next && next.indent > continuationIndent) bail();
    return value;
  }

  /**
   * A flow collection, possibly over several lines (each more indented than its owner, as
   * the yaml package requires, but for comment lines and a closing bracket at the owner's
   * own indentation); line breaks inside it are white space.
   */
  private parseFlowValue(text: string, ownerIndent: number, start: number): unknown {
    let source = text;
    // Where the last line's text starts, in `source` and in the file.
    let lastInSource = 0;
    let lastInFile = start;
    for (;;) {
      const parser = new FlowParser(source, this.scalars);
      const value = parser.tryParseFlow();
      if (value !== INCOMPLETE) {
        if (!isBlankOrComment(parser.remaining())) bail();
        if (parser.nullField) this.nullField = true;
        if (this.positions) {
          this.last = [start, lastInFile + (parser.position() - lastInSource)];
          if (value !== null && typeof value === 'object') this.positions.set(value, { opaque: true });
        }
        return value;
      }
      let next = this.lines[this.i];
      // A comment line is white space inside a flow collection, at any indentation (yaml's
      // lexer); inside a quoted scalar it is text.
      while (!parser.inQuote && next?.content.startsWith('#')) next = this.lines[++this.i];
      if (!next || next.content === '') bail();
      this.i++;
      // yaml lets the bracket that closes the outermost collection stand at its owner's
      // indentation ("args: [" ... "]"); any other line there ends it, with an error.
      const closesAll = parser.open === 1 && !parser.inQuote && (next.content[0] === ']' || next.content[0] === '}');
      if (next.indent <= ownerIndent && !(next.indent === ownerIndent && closesAll)) bail();
      lastInSource = source.length + 1;
      lastInFile = next.offset + next.indent;
      source += `\n${next.content}`;
    }
  }

  /**
   * Lines that continue a multi-line scalar: more indented than its owner, with the blank
   * lines between them counted. Consumes them; leaves trailing blank lines alone.
   */
  private continuationLines(ownerIndent: number): ReadonlyArray<{ blanks: number; text: string }> {
    let lines: Array<{ blanks: number; text: string }> | undefined;
    let blanks = 0;
    for (let j = this.i; j < this.lines.length; j++) {
      const line = this.lines[j]!;
      if (line.content === '') {
        blanks++;
        continue;
      }
      if (line.indent <= ownerIndent) break;
      if (line.content.startsWith('#')) bail(); // a comment inside a multi-line scalar
      (lines ??= []).push({ blanks, text: trimWhiteEnd(line.content) });
      blanks = 0;
      this.i = j + 1;
    }
    // Most scalars have none: no array for each of them.
    return lines ?? NO_CONTINUATION;
  }

  /** A quoted scalar, possibly over several lines (folded as YAML folds them). */
  private parseQuotedValue(text: string, ownerIndent: number, start: number): string {
    const quote = text[0]!;
    const parts = [{ blanks: 0, text: text.slice(1) }];
    let closing = findClosingQuote(parts[0]!.text, quote);
    let blanks = 0;
    while (closing < 0) {
      const next = this.lines[this.i];
      if (!next) bail();
      this.i++;
      if (next.content === '') {
        blanks++;
        continue;
      }
      if (next.indent <= ownerIndent) bail(); // under-indented continuation: the full parse decides
      parts.push({ blanks, text: next.content });
      blanks = 0;
      closing = findClosingQuote(next.content, quote);
    }
    const last = parts.at(-1)!;
    if (!isBlankOrComment(last.text.slice(closing + 1))) bail();
    if (this.positions) {
      const closingLine = this.lines[this.i - 1]!;
      this.last = [start, parts.length === 1 ? start + closing + 2 : closingLine.offset + closingLine.indent + closing + 1];
    }
    last.text = last.text.slice(0, closing);
    return quotedValue(quote, parts);
  }

  private parseBlockScalar(header: string, ownerIndent: number, start: number): string {
    const match = /^([|>])([+-]?)(?:[ \t]+#.*)?[ \t]*$/.exec(header);
    if (!match) bail(); // explicit indentation indicators and other headers
    const [, style, chomping] = match;
    // Content lines: blank, or indented deeper than the owner; raw (comments are content here).
    const content: string[] = [];
    let contentIndent = -1;
    let end = start + trimWhiteEnd(header).length;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      const blank = line.content === '';
      if (!blank && line.indent <= ownerIndent) break;
      if (!blank) {
        if (contentIndent < 0) contentIndent = line.indent;
        if (line.indent < contentIndent) bail();
        end = contentEnd(line);
      }
      content.push(blank ? ' '.repeat(line.indent) : ' '.repeat(line.indent) + line.content);
      this.i++;
    }
    if (this.positions) this.last = [start, end];
    if (contentIndent < 0) {
      // Only blank lines: yaml keeps them for "+", else the value is empty.
      if (content.some((line) => line.length > 0)) bail();
      return chomping === '+' ? '\n'.repeat(content.length) : '';
    }
    // Leading blank lines longer than the content indentation are an error in YAML.
    const firstContent = content.findIndex((line) => trimWhite(line) !== '');
    if (content.slice(0, firstContent).some((line) => line.length > contentIndent)) bail();
    // An empty line has at most the content indentation in spaces; a longer spaces-only
    // line is content (its extra spaces are kept by the literal style).
    const isEmpty = (line: string) => trimWhite(line) === '' && line.length <= contentIndent;
    let trailing = 0;
    while (trailing < content.length && isEmpty(content[content.length - 1 - trailing]!)) trailing++;
    const body = content.slice(0, content.length - trailing).map((line) => line.slice(contentIndent));
    if (style === '>' && body.some((line, index) => trimWhite(line) === '' && line.length > 0 && index >= firstContent)) bail();
    let text: string;
    if (style === '|') text = body.join('\n');
    else {
      if (body.some((line) => line.startsWith(' '))) bail(); // more-indented lines fold differently
      text = '';
      let blanks = 0;
      for (const [index, line] of body.entries()) {
        if (line === '') {
          blanks++;
          continue;
        }
        if (index > firstContent) text += blanks > 0 ? '\n'.repeat(blanks) : ' ';
        else text += '\n'.repeat(blanks);
        blanks = 0;
        text += line;
      }
    }
    if (chomping === '-') return text;
    if (chomping === '+') return `${text}\n${'\n'.repeat(trailing)}`;
    return `${text}\n`;
  }
}

/** Whether a ":" followed by white space or the end stands in `text` (as /:(?:[ \t]|$)/ tests, without a RegExp run per scalar). */
export function hasMappingIndicator(text: string): boolean {
  for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    if (colon + 1 === text.length || isWhite(text.charCodeAt(colon + 1))) return true;
  }
  return false;
}

function isSequenceItem(content: string): boolean {
  return content === '-' || content.startsWith('- ');
}

function isBlankOrComment(text: string): boolean {
  const trimmed = trimWhiteStart(text);
  // A comment needs white space before it; JavaScript's \s would also take U+00A0 and the like.
  return trimmed === '' || (trimmed.startsWith('#') && isWhite(text.charCodeAt(0)));
}

/** Removes a " #" comment from a plain scalar's line. */
function stripComment(text: string): string {
  const at = text.indexOf(' #');
  return at < 0 ? text : text.slice(0, at);
}

function looksLikeMappingEntry(content: string): boolean {
  if (content[0] === '"' || content[0] === "'") {
    try {
      const [, rest] = parseQuoted(content);
      return /^[ \t]*:(?:[ \t]|$)/.test(rest);
    } catch {
      return false;
    }
  }
  if (content.startsWith('[') || content.startsWith('{')) return false;
  return /^[^#]*?:(?:[ \t]|$)/.test(stripComment(content));
}

/** Characters that end a line for a RegExp's `.`: a key holding one is left to the yaml parse. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/** Splits "key: rest" (plain or quoted key); the key must be a plain string to the JS object. */
function splitKey(content: string, indent: number, scalars: PlainScalars): { key: string; rest: string; keyLength: number } {
  // Where the `:` may be at most: see MAX_IMPLICIT_KEY (the line break, then the indentation).
  const maxColon = MAX_IMPLICIT_KEY - indent - 1;
  let key: unknown;
  let after: string;
  if (content[0] === '"' || content[0] === "'") {
    [key, after] = parseQuoted(content);
    const colon = /^[ \t]*:(?:[ \t]+|$)/.exec(after);
    if (!colon) bail();
    if (content.length - after.length + colon[0].indexOf(':') > maxColon) bail();
    return { key: key as string, rest: after.slice(colon[0].length), keyLength: content.length - after.length };
  }
  if ('&*!%@`?-[]{},|>#'.includes(content[0]!) && !(content[0] === '-' && /^-[^ \t]/.test(content))) bail();
  // The key ends at the first ":" followed by white space or the line's end (scanned by hand:
  // the RegExp's match array and captures were a seventh of all a run allocated).
  let colon = content.indexOf(':');
  while (colon >= 0 && colon + 1 < content.length && !isWhite(content.charCodeAt(colon + 1))) colon = content.indexOf(':', colon + 1);
  if (colon < 0) bail();
  // "args :" is the key "args" (the yaml package's range ends before the spaces too).
  let keyEnd = colon;
  while (keyEnd > 0 && content.charCodeAt(keyEnd - 1) === 32) keyEnd--;
  if (colon > maxColon) bail();
  let rawKey = scalars.keys.find(content, keyEnd);
  if (rawKey === undefined) {
    rawKey = content.slice(0, keyEnd);
    // A tab before the spaces, a comment, or a line terminator inside: the yaml parse decides.
    if ((keyEnd > 0 && content.charCodeAt(keyEnd - 1) === 9) || rawKey.includes(' #') || LINE_TERMINATOR.test(rawKey)) bail();
    // Keys that YAML 1.1 reads as booleans, numbers or null would not be strings in JS.
    if (typeof scalars.resolve(rawKey) !== 'string') bail();
    scalars.keys.remember(rawKey);
  }
  let restStart = colon + 1;
  while (restStart < content.length && isWhite(content.charCodeAt(restStart))) restStart++;
  after = content.slice(restStart);
  return { key: rawKey, rest: after, keyLength: rawKey.length };
}

/** Index of the closing quote in `text` (which starts after the opening one), or -1. */
function findClosingQuote(text: string, quote: string): number {
  return closingQuoteFrom(text, 0, quote);
}

/** Index of the quote that closes a `quote` scalar whose text starts at `from`, or -1 ('' and \" escapes skipped). */
export function closingQuoteFrom(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (quote === '"' && char === '\\') i++;
    else if (char === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/** A single-line quoted scalar: [value, text after the closing quote]. */
function parseQuoted(text: string): [string, string] {
  const quote = text[0]!;
  const close = findClosingQuote(text.slice(1), quote);
  if (close < 0) bail(); // closes on a later line
  const value = quotedValue(quote, [{ blanks: 0, text: text.slice(1, close + 1) }]);
  return [value, text.slice(close + 2)];
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

/**
 * A quoted scalar's value from its text between the quotes, line by line (with the blank
 * lines before each): folded, then unescaped. An escaped line break is left to the full parse.
 */
function quotedValue(quote: string, parts: ReadonlyArray<{ blanks: number; text: string }>): string {
  if (quote === '"' && parts.slice(0, -1).some((part) => trimWhiteEnd(part.text).endsWith('\\'))) bail();
  const folded = parts.length === 1 ? parts[0]!.text : foldQuoted(parts);
  return quote === "'" ? folded.replace(/''/g, "'") : unescapeDoubleQuoted(folded);
}

function unescapeDoubleQuoted(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_whole, code: string) => {
    if (code.length > 1) return String.fromCodePoint(Number.parseInt(code.slice(1), 16));
    const char = ESCAPES[code];
    if (char === undefined) bail();
    return char;
  });
}

/** Plain multi-line folding: lines joined by a space, or by one newline per blank line between. */
function fold(parts: ReadonlyArray<{ blanks: number; text: string }>): string {
  let out = parts[0]!.text;
  for (const part of parts.slice(1)) out += (part.blanks ? '\n'.repeat(part.blanks) : ' ') + trimWhite(part.text);
  return out;
}

/** Quoted folding: the same, but white space at the line ends is trimmed too. */
function foldQuoted(parts: ReadonlyArray<{ blanks: number; text: string }>): string {
  let out = parts[0]!.text.replace(/[ ]+$/, '');
  for (const [index, part] of parts.slice(1).entries()) {
    const isLast = index === parts.length - 2;
    const text = isLast ? part.text.replace(/^[ ]+/, '') : trimWhite(part.text);
    out += (part.blanks ? '\n'.repeat(part.blanks) : ' ') + text;
  }
  return out;
}

/** Marks a flow collection that goes on past the end of the text given. */
const INCOMPLETE = Symbol('incomplete');
class Incomplete extends Error {}
// One instance, as UNSUPPORTED: a collection over many lines is parsed again at each, and an
// Error's stack trace is the dearest part of it.
const TEXT_ENDED = new Incomplete();

/** Flow collections: [a, "b", {c: d}]; a line break inside is white space between items. */
class FlowParser {
  private pos = 0;
  /** When the text ended before the collection closed: how many collections were open, */
  open = 0;
  /** and whether inside a quoted scalar. */
  inQuote = false;
  /** Whether some mapping got a null value. */
  nullField = false;

  constructor(
    private readonly text: string,
    private readonly scalars: PlainScalars,
  ) {}

  remaining(): string {
    return this.text.slice(this.pos);
  }

  position(): number {
    return this.pos;
  }

  /** The collection, or INCOMPLETE when the text ends before it closes. */
  tryParseFlow(): unknown {
    try {
      return this.parseFlow();
    } catch (error) {
      if (error instanceof Incomplete) return INCOMPLETE;
      throw error;
    }
  }

  private incomplete(depth: number): Incomplete {
    this.open = depth + 1;
    return TEXT_ENDED;
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\n') this.pos++;
  }

  parseFlow(depth = 0): unknown {
    if (depth > 50) bail();
    const open = this.text[this.pos];
    const close = open === '[' ? ']' : '}';
    this.pos++;
    const sequence: unknown[] = [];
    const mapping: Record<string, unknown> = {};
    for (;;) {
      this.skipSpaces();
      if (this.pos >= this.text.length) throw this.incomplete(depth); // continues on the next line
      if (this.text[this.pos] === close) {
        this.pos++;
        return open === '[' ? sequence : mapping;
      }
      if (open === '[') {
        sequence.push(this.parseFlowNode(depth));
      } else {
        const key = this.parseFlowNode(depth, true);
        if (typeof key !== 'string' || Object.prototype.hasOwnProperty.call(mapping, key) || key === '<<' || key === '__proto__') bail();
        this.skipSpaces();
        if (this.text[this.pos] !== ':') bail();
        this.pos++;
        if (this.text[this.pos] !== ' ') bail();
        this.skipSpaces();
        if (this.text[this.pos] === ',' || this.text[this.pos] === close) bail(); // implicit null
        const value = this.parseFlowNode(depth);
        if (value === null) this.nullField = true;
        mapping[key] = value;
      }
      this.skipSpaces();
      // The entry ends its line: the comma or the closing bracket is on the next.
      if (this.pos >= this.text.length) throw this.incomplete(depth);
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== close) bail();
    }
  }

  private parseFlowNode(depth: number, atKey = false): unknown {
    const char = this.text[this.pos];
    if (char === '[' || char === '{') {
      if (atKey) bail();
      return this.parseFlow(depth + 1);
    }
    if (char === '"' || char === "'") {
      const close = closingQuoteFrom(this.text, this.pos + 1, char);
      if (close < 0) {
        this.inQuote = true;
        throw this.incomplete(depth); // the quote closes on a later line
      }
      const raw = this.text.slice(this.pos + 1, close);
      this.pos = close + 1;
      // Folded over lines as in a block: the lines come without their indentation, and
      // parseFlowValue gives up on a blank one.
      return quotedValue(char, raw.split('\n').map((text) => ({ blanks: 0, text })));
    }
    if (char === undefined || '&*!%@`?#,]}|>'.includes(char)) bail();
    // A bare "-" is a block sequence entry, which a flow collection cannot hold (the full parse: BLOCK_IN_FLOW).
    if (char === '-' && (this.pos + 1 >= this.text.length || ' \t\n,[]{}'.includes(this.text[this.pos + 1]!))) bail();
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === ',' || c === ']' || c === '}' || c === '[' || c === '{') break;
      if (c === ':' && (this.text[this.pos + 1] === ' ' || this.text[this.pos + 1] === ',' || this.text[this.pos + 1] === undefined || /[\]}]/.test(this.text[this.pos + 1]!))) break;
      if (c === '#' && (this.text[this.pos - 1] === ' ' || this.text[this.pos - 1] === '\n')) bail();
      if (c === '\n') {
        // The line's end ends the scalar when the next line goes on with "," or a closing
        // bracket; a scalar continued there is folded over lines, left to the full parse.
        let ahead = this.pos + 1;
        while (this.text[ahead] === ' ' || this.text[ahead] === '\n') ahead++;
        if (ahead < this.text.length && ',]}'.includes(this.text[ahead]!)) break;
        bail();
      }
      this.pos++;
    }
    const plain = trimWhiteEnd(this.text.slice(start, this.pos));
    if (plain === '') bail();
    const value = this.scalars.resolve(plain);
    if (atKey && typeof value !== 'string') bail();
    return value;
  }
}
