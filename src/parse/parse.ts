/**
 * Parse with positions: a YAML (or JSON) stream becomes documents that keep their
 * syntax tree, so that findings can be placed at an exact line and column later.
 *
 * Kubernetes decodes manifests with go-yaml v2, i.e. YAML 1.1 scalars: yes/no/on/off
 * are booleans and 0644 is octal. We parse the same way so that rules see what the
 * cluster sees, minus the two 1.1 types go-yaml does not resolve for untyped values
 * (sexagesimal numbers like 1:20 and timestamps stay strings).
 */
import { LineCounter, Parser, parseAllDocuments, parseDocument, isScalar, type Document, type Node, type Tags } from 'yaml';
import type { ObjectPath, Target } from '../types.js';
import { locateNode, locateOffsets, locateRecorded, type SyntaxTree } from './locate.js';
import { closingQuoteFrom, fastParseSegment, PlainScalars, recordPositions, splitSegments, type DocumentPositions, type Segment } from './fast-parse.js';
import { MAX_DEPTH, nestsDeeperThan } from './depth.js';
import { buildSyntaxTree } from './fast-tree.js';
import { addKeyErrors, indexAliases } from './linear-yaml.js';
import { getIn, isPlainObject } from '../kube.js';

/** How many alias expansions one document may make before it counts as an alias bomb. */
export const MAX_ALIAS_COUNT = 1000;
/** A Kubernetes object found in a document: the document root, or one item of a List. */
export interface ManifestObject {
  value: Record<string, unknown>;
  /** Where the object sits in its document: [] for the root, ['items', 3] for a List item. */
  path: ObjectPath;
}

export interface SyntaxProblem {
  message: string;
  /** Offsets into the file's text. */
  start: number;
  end: number;
}

export interface ParsedDocument {
  index: number;
  /**
   * The yaml package's syntax tree with positions. On the fast path it is parsed on first
   * use, from the document's own text, and only where the tree built from recorded
   * positions (`contents`) cannot be made: add `offset` to its ranges to get offsets in the file.
   */
  readonly document: Document.Parsed;
  /**
   * The root node of the syntax tree, as fixes walk it (Fixer.node). On the fast path it is
   * built from recorded positions where it can be (fast-tree.ts: no comments attached to
   * its nodes), else it is `document.contents`.
   */
  readonly contents: Node | null;
  offset: number;
  /** File offsets of the key or value at `path` (or of the nearest key above it). */
  locate(path: ObjectPath, target: Target): [number, number];
  /** The scalar at `path` as written in the file, if there is one. */
  scalarSource(path: ObjectPath): string | undefined;
  /** The document holds nothing (an empty stream, `---` alone, or only comments). */
  empty: boolean;
  /** Problems that make the document unusable; rules do not run on it. */
  fatal: SyntaxProblem[];
  /** Problems reported, but the document is still usable (duplicate keys). */
  nonFatal: SyntaxProblem[];
  /** The plain JavaScript value, as the cluster would decode it. */
  value: unknown;
  objects: ManifestObject[];
}

export interface ParsedFile {
  text: string;
  readonly lineCounter: LineCounter;
  documents: ParsedDocument[];
  /**
   * The comments of the linted documents, as [start, end) offsets in the text, in order,
   * from the yaml parser's own tokens: text inside a scalar is never a comment. Made on
   * first use (only files that mention a directive ask).
   */
  comments(): ReadonlyArray<readonly [number, number]>;
  /** Offset of the first document not linted because the file holds too many (see MAX_DOCUMENTS). */
  skippedFrom?: number;
}

/**
 * Documents linted per file. Real streams hold one (a static pod) to hundreds (a rendered
 * chart); past this the rest of the file is not linted, so that a file of a million tiny
 * documents cannot exhaust memory (one finding says so).
 */
export const MAX_DOCUMENTS = 10_000;

/** The offset of the line of the (max+1)th `---` document marker, if the text has that many. */
function documentCutOffset(text: string, max: number): number | undefined {
  // Each marker is a line of at least "---" and its line break: a shorter text holds fewer
  // (most files; the scan below looks at every line).
  if (text.length < 4 * (max + 1) - 1) return undefined;
  let markers = 0;
  for (let at = 0; at >= 0 && at < text.length; ) {
    if (text.startsWith('---', at)) {
      const next = text.charCodeAt(at + 3);
      // `---` alone on its line, or followed by YAML white space (space, tab, a line break).
      if (Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13) {
        if (++markers > max) return at;
      }
    }
    const lineEnd = text.indexOf('\n', at);
    at = lineEnd < 0 ? -1 : lineEnd + 1;
  }
  return undefined;
}

/** Comment tokens of `text` from the yaml CST, shifted by `offset` (and mapped, for repaired text). */
function commentsOf(text: string, offset: number, out: Array<readonly [number, number]>, toOriginal: (at: number) => number = (at) => at): void {
  try {
    // A stack, not recursion: the CST nests as deeply as the text does.
    const stack: unknown[] = [...new Parser().parse(text)];
    while (stack.length > 0) {
      const token = stack.pop();
      if (Array.isArray(token)) {
        for (let i = token.length - 1; i >= 0; i--) stack.push(token[i]);
      } else if (token !== null && typeof token === 'object') {
        const { type, offset: start, source } = token as { type?: string; offset?: number; source?: unknown };
        if (type === 'comment' && typeof start === 'number' && typeof source === 'string') {
          const from = toOriginal(start + offset);
          out.push([from, from + source.length]);
          continue;
        }
        const values = Object.values(token);
        for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && typeof values[i] === 'object') stack.push(values[i]);
      }
    }
  } catch {
    // Text the parser cannot even tokenize has no directives kubelint can trust.
  }
}

/** go-yaml leaves `1:20` and `2001-12-14` as strings; so do we. */
function kubernetesYaml11Tags(tags: Tags): Tags {
  return tags.filter((tag) => {
    if (typeof tag !== 'object') return true;
    if (tag.tag === 'tag:yaml.org,2002:timestamp') return false;
    return tag.format !== 'TIME';
  });
}

export const YAML_PARSE_OPTIONS = {
  version: '1.1',
  // Duplicate keys are found by addKeyErrors, in linear time (yaml's check is quadratic).
  uniqueKeys: false,
  prettyErrors: false,
  // Every problem becomes a finding; the yaml package writes nothing to the process's stderr.
  logLevel: 'error',
  customTags: kubernetesYaml11Tags,
} as const;

/** Splits a parsed document into the Kubernetes objects it holds. */
function objectsOf(value: unknown): ManifestObject[] {
  if (!isPlainObject(value)) return [];
  const kind = value.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items.flatMap((item, index) =>
      isPlainObject(item) ? [{ value: item, path: ['items', index] }] : [],
    );
  }
  return [{ value, path: [] }];
}

/** Plain scalars as Kubernetes (go-yaml) resolves them, for the fast path. */
export const KUBERNETES_SCALARS = new PlainScalars(kubernetesYaml11Tags);

/** parseAllDocuments with kubelint's options, duplicate keys included (as `uniqueKeys: true` would report them). */
export function parseYamlStream(text: string): Document.Parsed[] {
  const documents = parseAllDocuments(text, YAML_PARSE_OPTIONS);
  // parseAllDocuments returns an EmptyStream (not an array) for input with no documents.
  if (!Array.isArray(documents)) return [];
  const aliases = text.includes('*');
  for (const document of documents) {
    addKeyErrors(document, text);
    if (aliases) indexAliases(document);
  }
  return documents;
}

/**
 * Parses a stream document by document: the fast path where it can, the full parse for
 * the documents it refuses, and the full parse of the whole file where a document needs
 * the file's context (the quoted-indentation repair, directives).
 */
export function parseManifests(source: string): ParsedFile {
  // At most MAX_DOCUMENTS + 1 documents lie before the cut; only MAX_DOCUMENTS are linted.
  const cut = documentCutOffset(source, MAX_DOCUMENTS);
  const linted = cut === undefined ? source : source.slice(0, cut);
  const segments = splitSegments(linted);
  if (!segments) return parseManifestsFully(source);
  let skippedFrom = cut;
  if (segments.length > MAX_DOCUMENTS) {
    skippedFrom = segments[MAX_DOCUMENTS]!.start;
    segments.length = MAX_DOCUMENTS;
  }
  const documents: ParsedDocument[] = [];
  for (const [index, segment] of segments.entries()) {
    const fast = fastParseSegment(segment, source, KUBERNETES_SCALARS);
    if (fast) {
      documents.push(new FastPathDocument(source, segment, index, fast.value));
      continue;
    }
    const parsed = parseYamlStream(source.slice(segment.start, segment.end));
    // A syntax error may mean the document does not end at the `---` line (an unclosed quote
    // or flow collection runs on past it): the whole file's parse says where it ends.
    if (parsed.length !== 1 || parsed[0]!.errors.some((error) => error.code !== 'DUPLICATE_KEY')) {
      return parseManifestsFully(source);
    }
    documents.push(toParsedDocument(source, parsed[0]!, index, segment.start));
  }
  return new FastPathFile(source, documents, segments, skippedFrom);
}

/**
 * A parsed file, whichever parse made it: its line starts and its comments are found on
 * first use (only files with findings, or that mention a directive, ask). A class, for the
 * reason FastPathDocument is one.
 */
class ParsedText implements ParsedFile {
  private counted: LineCounter | undefined;
  private collected: Array<readonly [number, number]> | undefined;
  readonly skippedFrom?: number;

  constructor(
    readonly text: string,
    readonly documents: ParsedDocument[],
    skippedFrom: number | undefined,
  ) {
    if (skippedFrom !== undefined) this.skippedFrom = skippedFrom;
  }

  // Lines are counted from the text itself: the yaml lexer's LineCounter misses line starts
  // inside double-quoted scalars with escaped line breaks.
  get lineCounter(): LineCounter {
    this.counted ??= countLines(this.text);
    return this.counted;
  }

  comments(): ReadonlyArray<readonly [number, number]> {
    if (!this.collected) {
      const out: Array<readonly [number, number]> = [];
      this.collectComments(out);
      this.collected = out.sort((a, b) => a[0] - b[0]);
    }
    return this.collected;
  }

  /** Adds the comments of the linted documents to `out`, in any order (none, for a file that could not be parsed). */
  protected collectComments(_out: Array<readonly [number, number]>): void {}
}

/** A file the fast path split into documents: each document's comments from its own text, as each was parsed. */
class FastPathFile extends ParsedText {
  constructor(text: string, documents: ParsedDocument[], private readonly segments: readonly Segment[], skippedFrom: number | undefined) {
    super(text, documents, skippedFrom);
  }

  protected override collectComments(out: Array<readonly [number, number]>): void {
    for (const segment of this.segments) commentsOf(this.text.slice(segment.start, segment.end), segment.start, out);
  }
}

/** A file the yaml package parsed whole, perhaps repaired: its comments from that parse, mapped back. */
class FullParseFile extends ParsedText {
  constructor(
    text: string,
    documents: ParsedDocument[],
    private readonly repaired: string,
    private readonly toOriginal: ((offset: number) => number) | undefined,
    skippedFrom: number | undefined,
  ) {
    super(text, documents, skippedFrom);
  }

  protected override collectComments(out: Array<readonly [number, number]>): void {
    const end = this.skippedFrom === undefined ? this.text.length : this.skippedFrom;
    commentsOf(this.repaired, 0, out, this.toOriginal);
    // Comments in documents not linted are not kubelint's to read.
    while (out.length && out[out.length - 1]![0] >= end) out.pop();
  }
}

function countLines(text: string): LineCounter {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineCounter.addNewLine(at + 1);
  return lineCounter;
}

/**
 * A fast-path document. Findings are placed from positions a second fast parse records;
 * what those cannot tell (inside flow collections, empty values) is read from the syntax
 * tree built from them, and the yaml parse of the document's own text is made only for a
 * document that tree cannot be built for.
 *
 * A class, not an object literal with getters and closures made for every document: with
 * those (here and for the file), 113 MB of what parsing workloads-10k allocated survived
 * young-generation collections, each document's data carried into the old generation;
 * as classes, 18 MB, as for the bare parse (--trace-gc-nvp).
 */
class FastPathDocument implements ParsedDocument {
  readonly fatal: SyntaxProblem[] = [];
  readonly nonFatal: SyntaxProblem[] = [];
  readonly empty: boolean;
  readonly objects: ManifestObject[];
  readonly offset: number;
  private parsedDocument: Document.Parsed | undefined;
  private builtContents: Node | null | undefined;
  private positions: DocumentPositions | null | undefined;

  constructor(
    private readonly text: string,
    private readonly segment: Segment,
    readonly index: number,
    readonly value: unknown,
  ) {
    this.empty = value === null;
    this.objects = this.empty ? [] : objectsOf(value);
    this.offset = segment.start;
  }

  private recorded(): DocumentPositions | undefined {
    if (this.positions === undefined) this.positions = recordPositions(this.segment, KUBERNETES_SCALARS) ?? null;
    return this.positions ?? undefined;
  }

  get document(): Document.Parsed {
    this.parsedDocument ??= parseYamlStream(this.text.slice(this.segment.start, this.segment.end))[0]!;
    return this.parsedDocument;
  }

  get contents(): Node | null {
    if (this.builtContents === undefined) {
      const fast = this.recorded();
      this.builtContents =
        (fast && buildSyntaxTree(fast, this.text, this.segment.start, this.segment.end, KUBERNETES_SCALARS, YAML_PARSE_OPTIONS)) ?? this.document.contents;
    }
    return this.builtContents;
  }

  /**
   * The tree to locate what the recorded positions cannot tell: the one built from them
   * (the yaml parse's ranges, property-tested), the yaml parse only where none could be built.
   */
  private syntaxTree(): SyntaxTree {
    const contents = this.contents;
    return this.parsedDocument ?? { contents };
  }

  locate(path: ObjectPath, target: Target): [number, number] {
    const fast = this.recorded();
    return (fast && locateRecorded(fast, path, target)) ?? locateInTree(this.syntaxTree(), this.offset, path, target);
  }

  scalarSource(path: ObjectPath): string | undefined {
    const fast = this.recorded();
    const range = fast && locateRecorded(fast, path, 'value');
    if (!range) return scalarSourceInTree(this.text, this.syntaxTree(), this.offset, path);
    // A path that is not written, or leads to a collection, has no scalar source.
    const at = getIn(this.value, path);
    return at === undefined || (at !== null && typeof at === 'object') ? undefined : this.text.slice(range[0], range[1]);
  }
}

/** Whether the fast path made this document (its syntax tree is then built from recorded positions). */
export function isFastPathDocument(doc: ParsedDocument): boolean {
  return doc instanceof FastPathDocument;
}

/** The file offsets of `path` from a document's syntax tree, whose ranges start at `offset`. */
function locateInTree(tree: SyntaxTree, offset: number, path: ObjectPath, target: Target): [number, number] {
  const [start, end] = locateOffsets(tree, path, target);
  return [start + offset, end + offset];
}

function scalarSourceInTree(text: string, tree: SyntaxTree, offset: number, path: ObjectPath): string | undefined {
  const { node, exact } = locateNode(tree, path);
  if (!exact || !isScalar(node) || !node.range) return undefined;
  return text.slice(node.range[0] + offset, node.range[1] + offset);
}

/** The full parse with the yaml package: every document's syntax tree, errors and values. */
export function parseManifestsFully(source: string): ParsedFile {
  const cut = documentCutOffset(source, MAX_DOCUMENTS);
  const linted = cut === undefined ? source : source.slice(0, cut);
  const original = parseText(linted);
  if ('unparsable' in original) return unparsable(source, original.unparsable);
  // go-yaml accepts under-indented quoted continuations; repair them (all in one pass), but
  // keep the repair only if it leaves every document without errors (on garbage it could
  // move the errors).
  let text = linted;
  let list = original.documents;
  if (list.some((doc) => doc.errors.some(isUnclosedQuote))) {
    const relaxed = relaxQuotedIndentation(linted);
    const reparsed = relaxed === undefined ? undefined : parseText(relaxed);
    if (reparsed && !('unparsable' in reparsed) && reparsed.documents.every((doc) => doc.errors.length === 0)) {
      text = relaxed!;
      list = reparsed.documents;
    }
  }
  let skippedFrom = cut;
  if (list.length > MAX_DOCUMENTS) {
    skippedFrom = list[MAX_DOCUMENTS]!.range[0];
    list = list.slice(0, MAX_DOCUMENTS);
  }
  // Findings are placed in the file as written: map offsets in the repaired text back.
  const toOriginal = text === linted ? undefined : alignInsertedSpaces(linted, text);
  if (toOriginal && skippedFrom !== undefined && skippedFrom !== cut) skippedFrom = toOriginal(skippedFrom);
  const documents = list.map((document, index) => toParsedDocument(text, document, index, 0, toOriginal));
  return new FullParseFile(source, documents, text, toOriginal, skippedFrom);
}

/** Maps offsets in `repaired` (the original with spaces inserted) to offsets in `original`. */
function alignInsertedSpaces(original: string, repaired: string): (offset: number) => number {
  const map = new Int32Array(repaired.length + 1);
  let i = 0;
  for (let j = 0; j < repaired.length; j++) {
    map[j] = i;
    if (repaired[j] === original[i]) i++;
  }
  map[repaired.length] = original.length;
  return (offset) => map[Math.min(Math.max(offset, 0), repaired.length)]!;
}

function parseText(text: string): { documents: Document.Parsed[] } | { unparsable: string } {
  // The yaml package recurses once per flow level; near the stack's end V8 can abort the
  // process outright (compiling a regular expression there fails), so refuse before that.
  if (flowNestsDeeperThan(text, MAX_DEPTH)) return { unparsable: TOO_DEEP };
  try {
    return { documents: parseYamlStream(text) };
  } catch (error) {
    if (error instanceof RangeError) return { unparsable: TOO_DEEP };
    throw error;
  }
}

/**
 * Whether `[`/`{` nest deeper than `limit` outside quotes and comments, in one pass. It may
 * over-count brackets in plain and block scalars, which only matters past `limit` of them
 * left open: no Kubernetes object comes near that.
 */
export function flowNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    // A quote opens a scalar only where a token starts (`don't` is plain text).
    if ((c === '"' || c === "'") && (i === 0 || ' \t\n[{,:-'.includes(text[i - 1]!))) quote = c;
    else if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t' || text[i - 1] === '\n')) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if (c === '[' || c === '{') {
      if (++depth > limit) return true;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return false;
}

function isUnclosedQuote(error: { code: string; message: string }): boolean {
  return error.code === 'MISSING_CHAR' && /Missing closing ["']quote/.test(error.message);
}

/**
 * go-yaml accepts a quoted scalar whose continuation lines are indented no deeper than
 * its key (common in generated CRDs); the yaml package does not. Indent those lines
 * further: inside quotes, leading white space of a continuation line is folded away, so
 * the value and every line number stay the same. One pass over the text finds every
 * quoted scalar (skipping comments, block scalars and plain scalars, whose quotes are
 * text). Returns undefined if no line needed it.
 */
export function relaxQuotedIndentation(text: string): string | undefined {
  const pieces: string[] = [];
  let copied = 0;
  let flowDepth = 0;
  /** The indentation of the line that opened a block scalar, while in one; else -1. */
  let blockOwner = -1;
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let i = lineStart;
    while (text.charCodeAt(i) === 32) i++;
    const indent = i - lineStart;
    const blank = i >= lineEnd || /^\s*$/.test(text.slice(i, lineEnd));
    if (blockOwner >= 0 && (blank || indent > blockOwner)) {
      lineStart = lineEnd + 1;
      continue;
    }
    blockOwner = -1;
    if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i))) flowDepth = 0;
    let valueStart = true;
    /** After a quoted scalar or a flow collection, `:` needs no space after it (JSON). */
    let jsonLike = false;
    let next = lineEnd + 1;
    while (i < lineEnd) {
      const char = text[i]!;
      const wasJsonLike = jsonLike;
      jsonLike = false;
      const after = text[i + 1];
      const spaceAfter = after === undefined || after === ' ' || after === '\t' || after === '\r' || after === '\n';
      if (char === ' ' || char === '\t' || char === '\r') {
        i++;
      } else if (char === '#') {
        break; // a comment to the end of the line
      } else if ((char === '"' || char === "'") && valueStart) {
        const close = closingQuote(text, i, char);
        if (close < 0) break;
        const needed = indent + 1;
        // Pad every under-indented, non-blank continuation line of this scalar.
        for (let at = text.indexOf('\n', i); at >= 0 && at < close; at = text.indexOf('\n', at + 1)) {
          let j = at + 1;
          while (text.charCodeAt(j) === 32) j++;
          const lineIndent = j - at - 1;
          const nextBreak = text.indexOf('\n', at + 1);
          const contentEnd = nextBreak < 0 ? text.length : nextBreak;
          if (lineIndent < needed && !/^\s*$/.test(text.slice(j, Math.min(contentEnd, close)))) {
            pieces.push(text.slice(copied, at + 1), ' '.repeat(needed - lineIndent));
            copied = at + 1;
          }
        }
        i = close + 1;
        valueStart = false;
        jsonLike = true;
        if (close >= lineEnd) {
          // Go on with the rest of the closing line.
          lineEnd = text.indexOf('\n', close);
          if (lineEnd < 0) lineEnd = text.length;
          next = lineEnd + 1;
        }
      } else if (char === '[' || char === '{') {
        flowDepth++;
        valueStart = true;
        i++;
      } else if (char === ']' || char === '}') {
        flowDepth = Math.max(0, flowDepth - 1);
        valueStart = false;
        jsonLike = true;
        i++;
      } else if (char === ',' && flowDepth > 0) {
        valueStart = true;
        i++;
      } else if ((char === '-' || char === '?' || char === ':') && spaceAfter) {
        valueStart = true;
        i++;
      } else if (char === ':' && (wasJsonLike || flowDepth > 0)) {
        valueStart = true;
        i++;
      } else if ((char === '|' || char === '>') && valueStart && flowDepth === 0) {
        blockOwner = indent;
        break;
      } else if ((char === '&' || char === '!' || char === '*') && valueStart) {
        // An anchor or tag comes before the value; an alias is the value.
        while (i < lineEnd && !/[\s,[\]{}]/.test(text[i]!)) i++;
        valueStart = char !== '*';
      } else {
        // A plain scalar: it runs to ": ", " #" or (in a flow collection) an indicator.
        valueStart = false;
        const start = i;
        while (i < lineEnd) {
          const c = text[i]!;
          if (c === ':' && /[\s]/.test(text[i + 1] ?? ' ')) break;
          if (c === ' ' && text[i + 1] === '#') break;
          if (flowDepth > 0 && (c === ',' || c === '[' || c === ']' || c === '{' || c === '}' || c === ':')) break;
          i++;
        }
        if (i === start) i++;
      }
    }
    lineStart = next;
  }
  if (pieces.length === 0) return undefined;
  pieces.push(text.slice(copied));
  return pieces.join('');
}

/** The offset of the quote that closes the one at `open`, or -1. */
function closingQuote(text: string, open: number, quote: string): number {
  return closingQuoteFrom(text, open + 1, quote);
}

const STACK_OVERFLOW = /Maximum call stack/;
/** The yaml parser reports its own stack overflow once per remaining level; kubelint says it once, plainly. */
const TOO_DEEP = 'the YAML nests too deeply to be read';

function toParsedDocument(
  text: string,
  document: Document.Parsed,
  index: number,
  offset = 0,
  toOriginal: (offset: number) => number = (at) => at,
): ParsedDocument {
  const fatal: SyntaxProblem[] = [];
  const nonFatal: SyntaxProblem[] = [];
  for (const error of document.errors) {
    const tooDeep = STACK_OVERFLOW.test(error.message);
    if (tooDeep && fatal.some((known) => known.message === TOO_DEEP)) continue;
    const message = tooDeep ? TOO_DEEP : error.message.split('\n')[0]!;
    const problem = { message, start: toOriginal(error.pos[0] + offset), end: toOriginal(error.pos[1] + offset) };
    (error.code === 'DUPLICATE_KEY' ? nonFatal : fatal).push(problem);
  }
  // A document that decodes to null (`---` at the end of a file, `~`) is skipped by kubectl.
  const contents = document.contents;
  const empty = contents === null || (isScalar(contents) && contents.value === null);
  let value: unknown = null;
  if (!empty && fatal.length === 0) {
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      if (nestsDeeperThan(value, MAX_DEPTH)) {
        const start = document.contents?.range?.[0] ?? document.range[0];
        fatal.push({ message: `the document nests deeper than ${MAX_DEPTH} levels, which no Kubernetes object does; it was not checked`, start: toOriginal(start + offset), end: toOriginal(start + offset) + 1 });
      }
    } catch (error) {
      const start = toOriginal((document.contents?.range?.[0] ?? document.range[0]) + offset);
      const message =
        error instanceof ReferenceError && /alias/i.test(error.message)
          ? `too many alias expansions (more than ${MAX_ALIAS_COUNT}): this looks like a "billion laughs" alias bomb, and the document was not expanded`
          : `the document could not be read: ${error instanceof Error ? error.message : String(error)}`;
      fatal.push({ message, start, end: start + 1 });
    }
  }
  const parsed: ParsedDocument = {
    index,
    document,
    contents: document.contents,
    offset,
    empty,
    fatal,
    nonFatal,
    value,
    objects: fatal.length ? [] : objectsOf(value),
    locate: (path, target) => {
      const [start, end] = locateInTree(document, offset, path, target);
      return [toOriginal(start), toOriginal(end)];
    },
    scalarSource: (path) => scalarSourceInTree(text, document, offset, path),
  };
  return parsed;
}

/** A file the parser could not even split into documents: one fatal problem at 1:1. */
function unparsable(text: string, message: string): ParsedFile {
  const placeholder = parseDocument('', YAML_PARSE_OPTIONS) as Document.Parsed;
  return new ParsedText(
    text,
    [
      {
        index: 0,
        get document(): Document.Parsed {
          return placeholder;
        },
        contents: null,
        offset: 0,
        empty: false,
        fatal: [{ message, start: 0, end: Math.min(1, text.length) }],
        nonFatal: [],
        value: null,
        objects: [],
        locate: () => [0, Math.min(1, text.length)],
        scalarSource: () => undefined,
      },
    ],
    undefined,
  );
}
