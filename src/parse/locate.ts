/**
 * Locate a path inside an object (spec.selector.matchLabels.tier) in the source: the
 * offsets of its key or value, from the positions the fast path recorded or by walking the
 * YAML syntax tree. Only documents with findings pay for it.
 */
import { isAlias, isDocument, isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { ObjectPath, Target } from '../types.js';
import type { DocumentPositions } from './fast-parse.js';

interface Located {
  node: Node | null;
  pair: Pair | null;
  /** False when the path stopped early (the field does not exist in the source). */
  exact: boolean;
}

function keyMatches(pair: Pair, segment: string | number): boolean {
  const key = pair.key;
  if (isScalar(key)) return String(key.value) === String(segment);
  return false;
}

/**
 * What a path is located in: the yaml package's document, or the root node a fast-path
 * document's tree was built from (which has no aliases: the fast path refuses them).
 */
export type SyntaxTree = Document | { readonly contents: Node | null };

function deref(node: unknown, document: SyntaxTree): Node | null {
  let current = node;
  for (let hops = 0; isAlias(current) && hops < 100; hops++) current = isDocument(document) ? current.resolve(document) : undefined;
  return (current as Node | null | undefined) ?? null;
}

/** Finds `segment` in a map, looking through `<<` merge keys as YAML 1.1 does. */
function findPair(map: Node, segment: string | number, document: SyntaxTree, depth = 0): Pair | null {
  if (!isMap(map) || depth > 20) return null;
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i]!;
    if (keyMatches(pair, segment)) return pair;
  }
  for (const pair of map.items) {
    if (!isScalar(pair.key) || pair.key.value !== '<<') continue;
    const sources = deref(pair.value, document);
    const candidates = isSeq(sources) ? sources.items.map((item) => deref(item, document)) : [sources];
    for (const candidate of candidates) {
      const found = candidate ? findPair(candidate, segment, document, depth + 1) : null;
      if (found) return found;
    }
  }
  return null;
}

export function locateNode(document: SyntaxTree, path: ObjectPath): Located {
  let node = deref(document.contents, document);
  let pair: Pair | null = null;
  for (const segment of path) {
    if (isMap(node)) {
      const found = findPair(node, segment, document);
      if (!found) return { node, pair, exact: false };
      pair = found;
      node = deref(found.value, document);
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      pair = null;
      node = deref(node.items[segment], document);
    } else {
      return { node, pair, exact: false };
    }
    if (node === null) return { node, pair, exact: pair !== null };
  }
  return { node, pair, exact: true };
}

/** Offsets [start, end) in the text for `target` of the node at `path` (or its nearest ancestor). */
export function locateOffsets(document: SyntaxTree, path: ObjectPath, target: Target): [number, number] {
  const { node, pair, exact } = locateNode(document, path);
  // A missing field is reported at the key of the nearest object that should hold it.
  const useKey = pair !== null && (target === 'key' || !exact || node === null || !node.range);
  const range = useKey ? (pair!.key as Node).range : node?.range;
  if (range) return [range[0], range[1]];
  const fallback = document.contents?.range ?? (isDocument(document) ? document.range : undefined);
  return [fallback?.[0] ?? 0, fallback?.[1] ?? 0];
}

/**
 * The same answer as locateOffsets, from positions the fast path recorded: the key or value
 * at `path`, or the nearest key above it. Undefined where the recorded positions cannot
 * tell (inside a flow collection, at an empty value, at a block collection in a sequence):
 * the caller asks the document's syntax tree then.
 */
export function locateRecorded(positions: DocumentPositions, path: ObjectPath, target: Target): [number, number] | undefined {
  let value = positions.value;
  let range = positions.root;
  let key: [number, number] | undefined;
  for (const segment of path) {
    const node = value !== null && typeof value === 'object' ? positions.nodes.get(value) : undefined;
    if (node?.opaque) return undefined;
    if (node?.entries && typeof segment === 'string' && node.entries.has(segment)) {
      const entry = node.entries.get(segment)!;
      key = entry.key;
      range = entry.value;
      value = (value as Record<string, unknown>)[segment];
    } else if (node?.items && typeof segment === 'number' && segment < node.items.length) {
      key = undefined;
      range = node.items[segment];
      value = (value as unknown[])[segment];
    } else {
      // The path goes on past what is written: the nearest key stands for it.
      return key ?? range;
    }
  }
  if (target === 'key' && key) return key;
  return range; // undefined for an empty value: yaml gives those a range of its own
}
