/**
 * Parse with positions: a YAML (or JSON) stream becomes documents that keep their
 * syntax tree, so that findings can be placed at an exact line and column later.
 *
 * Kubernetes decodes manifests with go-yaml v2, i.e. YAML 1.1 scalars: yes/no/on/off
 * are booleans and 0644 is octal. We parse the same way so that rules see what the
 * cluster sees, minus the two 1.1 types go-yaml does not resolve for untyped values
 * (sexagesimal numbers like 1:20 and timestamps stay strings).
 */
import { LineCounter, parseAllDocuments, parseDocument, isScalar, type Document, type Tags } from 'yaml';
import type { ObjectPath, Target } from './types.js';
import { locateNode, locateOffsets, locateRecorded } from './positions.js';
import { fastParseSegment, recordPositions, setFastParseTags, splitSegments, type DocumentPositions, type Segment } from './fast-parse.js';
import { MAX_DEPTH, nestsDeeperThan } from './depth.js';
import { getIn, isPlainObject } from './kube.js';

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
   * The syntax tree with positions. On the fast path it is parsed on first use (only
   * documents with findings need it), from the document's own text: add `offset` to its
   * ranges to get offsets in the file.
   */
  readonly document: Document.Parsed;
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
  uniqueKeys: true,
  prettyErrors: false,
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

setFastParseTags(kubernetesYaml11Tags);

/**
 * Parses a stream document by document: the fast path where it can, the full parse for
 * the documents it refuses, and the full parse of the whole file where a document needs
 * the file's context (the quoted-indentation repair, directives).
 */
export function parseManifests(source: string): ParsedFile {
  const segments = splitSegments(source);
  if (!segments) return parseManifestsFully(source);
  const documents: ParsedDocument[] = [];
  for (const [index, segment] of segments.entries()) {
    const fast = fastParseSegment(segment, source);
    if (fast) {
      documents.push(lazyDocument(source, segment, index, fast.value));
      continue;
    }
    const parsed = parseAllDocuments(source.slice(segment.start, segment.end), YAML_PARSE_OPTIONS);
    // A syntax error may mean the document does not end at the `---` line (an unclosed quote
    // or flow collection runs on past it): the whole file's parse says where it ends.
    if (!Array.isArray(parsed) || parsed.length !== 1 || parsed[0]!.errors.some((error) => error.code !== 'DUPLICATE_KEY')) {
      return parseManifestsFully(source);
    }
    documents.push(toParsedDocument(source, parsed[0]!, index, segment.start));
  }
  let lineCounter: LineCounter | undefined;
  return {
    text: source,
    documents,
    get lineCounter() {
      lineCounter ??= countLines(source);
      return lineCounter;
    },
  };
}

function countLines(text: string): LineCounter {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineCounter.addNewLine(at + 1);
  return lineCounter;
}

/**
 * A fast-path document. Findings are placed from positions a second fast parse records;
 * only what those cannot tell (inside flow collections, empty values) needs the yaml
 * parse of the document's own text, made on first use.
 */
function lazyDocument(text: string, segment: Segment, index: number, value: unknown): ParsedDocument {
  let document: Document.Parsed | undefined;
  let positions: DocumentPositions | null | undefined;
  const empty = value === null;
  const recorded = () => {
    if (positions === undefined) positions = recordPositions(segment) ?? null;
    return positions ?? undefined;
  };
  const parsed: ParsedDocument = {
    index,
    empty,
    fatal: [],
    nonFatal: [],
    value,
    objects: empty ? [] : objectsOf(value),
    offset: segment.start,
    get document() {
      document ??= parseAllDocuments(text.slice(segment.start, segment.end), YAML_PARSE_OPTIONS)[0] as Document.Parsed;
      return document;
    },
    locate(path, target) {
      const fast = recorded();
      return (fast && locateRecorded(fast, path, target)) ?? locateInTree(parsed, path, target);
    },
    scalarSource(path) {
      const fast = recorded();
      const range = fast && locateRecorded(fast, path, 'value');
      if (!range) return scalarSourceInTree(text, parsed, path);
      // A path that is not written, or leads to a collection, has no scalar source.
      const at = getIn(value, path);
      return at === undefined || (at !== null && typeof at === 'object') ? undefined : text.slice(range[0], range[1]);
    },
  };
  return parsed;
}

/** The file offsets of `path` from the document's yaml syntax tree. */
function locateInTree(doc: ParsedDocument, path: ObjectPath, target: Target): [number, number] {
  const [start, end] = locateOffsets(doc.document, path, target);
  return [start + doc.offset, end + doc.offset];
}

function scalarSourceInTree(text: string, doc: ParsedDocument, path: ObjectPath): string | undefined {
  const { node, exact } = locateNode(doc.document, path);
  if (!exact || !isScalar(node) || !node.range) return undefined;
  return text.slice(node.range[0] + doc.offset, node.range[1] + doc.offset);
}

/** The full parse with the yaml package: every document's syntax tree, errors and values. */
export function parseManifestsFully(source: string): ParsedFile {
  const original = parseText(source);
  if ('unparsable' in original) return unparsable(source, original.unparsable);
  // go-yaml accepts under-indented quoted continuations; repair them, but keep the repair
  // only if it leaves a document without errors (on garbage it could move the errors).
  let text = source;
  let list = original.documents;
  for (let attempt = 0; attempt < 100; attempt++) {
    const unclosed = list.flatMap((doc) => doc.errors).find(isUnclosedQuote);
    const relaxed = unclosed ? relaxQuotedIndentation(text, unclosed.pos[0], unclosed.message.includes('"') ? '"' : "'") : undefined;
    if (relaxed === undefined) break;
    const reparsed = parseText(relaxed);
    if ('unparsable' in reparsed) break;
    text = relaxed;
    list = reparsed.documents;
  }
  if (text !== source && list.some((doc) => doc.errors.length > 0)) {
    text = source;
    list = original.documents;
  }
  // Findings are placed in the file as written: map offsets in the repaired text back.
  const toOriginal = text === source ? undefined : alignInsertedSpaces(source, text);
  const repaired = text;
  // Lines are counted from the text itself: the lexer's LineCounter misses line starts
  // inside double-quoted scalars with escaped line breaks.
  let lineCounter: LineCounter | undefined;
  return {
    text: source,
    documents: list.map((document, index) => toParsedDocument(repaired, document, index, 0, toOriginal)),
    get lineCounter() {
      lineCounter ??= countLines(source);
      return lineCounter;
    },
  };
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
  try {
    const documents = parseAllDocuments(text, YAML_PARSE_OPTIONS);
    // parseAllDocuments returns an EmptyStream (not an array) for input with no documents.
    return { documents: Array.isArray(documents) ? documents : [] };
  } catch (error) {
    if (error instanceof RangeError) return { unparsable: TOO_DEEP };
    throw error;
  }
}

function isUnclosedQuote(error: { code: string; message: string }): boolean {
  return error.code === 'MISSING_CHAR' && /Missing closing ["']quote/.test(error.message);
}

/**
 * go-yaml accepts a quoted scalar whose continuation lines are indented no deeper than
 * its key (common in generated CRDs); the yaml package does not. Indent those lines
 * further: inside quotes, leading white space of a continuation line is folded away, so
 * the value and every line number stay the same. Returns undefined if not that case.
 */
export function relaxQuotedIndentation(text: string, errorOffset: number, quote: string): string | undefined {
  const lineStartOf = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  // The opening quote: the last one before the error that starts a value.
  let open = -1;
  for (let i = Math.min(errorOffset, text.length - 1); i >= 0 && open < 0; i--) {
    if (text[i] === quote && /(^|[:\-\[{,]\s*|^\s*)$/.test(text.slice(lineStartOf(i), i))) open = i;
  }
  if (open < 0) return undefined;
  let close = -1;
  for (let i = open + 1; i < text.length; i++) {
    const char = text[i];
    if (quote === '"' && char === '\\') i++;
    else if (char === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else {
        close = i;
        break;
      }
    }
  }
  if (close < 0) return undefined;
  const openLineStart = lineStartOf(open);
  const needed = (/^ */.exec(text.slice(openLineStart))?.[0].length ?? 0) + 1;
  let changed = false;
  let result = text.slice(0, open);
  for (const [index, line] of text.slice(open, close).split('\n').entries()) {
    const indent = /^ */.exec(line)![0].length;
    const pad = index > 0 && line.trim() !== '' && indent < needed ? ' '.repeat(needed - indent) : '';
    if (pad) changed = true;
    result += (index > 0 ? '\n' : '') + pad + line;
  }
  return changed ? result + text.slice(close) : undefined;
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
    offset,
    empty,
    fatal,
    nonFatal,
    value,
    objects: fatal.length ? [] : objectsOf(value),
    locate: (path, target) => {
      const [start, end] = locateInTree(parsed, path, target);
      return [toOriginal(start), toOriginal(end)];
    },
    scalarSource: (path) => scalarSourceInTree(text, parsed, path),
  };
  return parsed;
}

/** A file the parser could not even split into documents: one fatal problem at 1:1. */
function unparsable(text: string, message: string): ParsedFile {
  const placeholder = parseDocument('', YAML_PARSE_OPTIONS) as Document.Parsed;
  let lineCounter: LineCounter | undefined;
  return {
    text,
    get lineCounter() {
      lineCounter ??= countLines(text);
      return lineCounter;
    },
    documents: [
      {
        index: 0,
        get document(): Document.Parsed {
          return placeholder;
        },
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
  };
}
