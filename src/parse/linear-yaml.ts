/**
 * Work the yaml package does in quadratic time, done in linear time.
 *
 * Duplicate mapping keys. The yaml package's `uniqueKeys: true`
 * compares each key with every earlier key of its mapping (a 100,000-key ConfigMap takes
 * minutes), so kubelint parses with `uniqueKeys: false` and asks this instead: one Set
 * per mapping, keyed the way the yaml package compares scalar keys (their values, by ===).
 */
import { Alias, isAlias, isMap, isNode, isPair, isScalar, isSeq, visit, YAMLParseError, type Document, type Node, type ParsedNode } from 'yaml';

const COLLECTION_KEY =
  'a mapping key is itself a mapping or a list: Kubernetes takes only text keys, and kubectl refuses the document ("invalid map key"). Quote the key, or move the structure into the value';

/**
 * Adds a DUPLICATE_KEY error to `document.errors` for every key that repeats an earlier
 * scalar key of the same mapping, placed where the yaml package places it (the key's start).
 * A key that is itself a mapping or a list gets a NON_STRING_KEY error on the same walk:
 * kubectl's YAML-to-JSON conversion refuses the document ("invalid map key"), and the yaml
 * package would turn the key into a string (with a warning on the process's stderr).
 */
export function addKeyErrors(document: Document.Parsed, text: string): void {
  const found: YAMLParseError[] = [];
  // A stack, not recursion: a document may nest as deeply as the parser allows.
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key as ParsedNode | null;
        // NaN !== NaN, so yaml never calls two .nan keys equal; a Set would.
        if (isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value)) {
            let start = key.range[0];
            // An empty key (`? !!str` alone on its line) is placed after the line break, as yaml does.
            if (key.range[1] === start) start += text.startsWith('\r\n', start) ? 2 : text[start] === '\n' ? 1 : 0;
            found.push(new YAMLParseError([start, start + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
          } else seen.add(key.value);
        } else if (isMap(key) || isSeq(key)) {
          found.push(new YAMLParseError([key.range[0], key.range[1]], 'NON_STRING_KEY', COLLECTION_KEY));
        }
        stack.push(pair.value, key);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.value, node.key);
    } else if (isAlias(node)) {
      // An alias repeats a node already visited where its anchor is.
    }
  }
  if (found.length === 0) return;
  found.sort((a, b) => a.pos[0] - b.pos[0]);
  document.errors.push(...found);
}

/**
 * Alias resolution. yaml's Alias.resolve scans every anchor and alias of the document up
 * to itself, for each alias (10^5 aliases: minutes). One walk in the same order finds each
 * alias's anchor; each alias then resolves through a list holding only that node, so the
 * yaml package still does the rest (alias counting against alias bombs, conversion).
 */
export function indexAliases(document: Document.Parsed): void {
  const latest = new Map<string, Node>();
  const sources = new Map<Alias, Node | undefined>();
  // The order yaml's own resolve uses: visit order, up to the alias itself.
  visit(document, {
    Node(_key, node) {
      if (isAlias(node)) sources.set(node, latest.get(node.source));
      else if (isNode(node) && node.anchor) latest.set(node.anchor, node);
    },
  });
  const original = Alias.prototype.resolve;
  for (const [alias, source] of sources) {
    const only = source ? [source] : [];
    alias.resolve = function resolve(this: Alias, doc, ctx) {
      // Without a context, yaml's resolve only looks the anchor up.
      if (!ctx) return source as ReturnType<typeof original>;
      const saved = ctx.aliasResolveCache;
      ctx.aliasResolveCache = only;
      try {
        return original.call(this, doc, ctx);
      } finally {
        ctx.aliasResolveCache = saved;
      }
    };
  }
}
