/**
 * Suppressions, each with an optional reason after " -- ":
 *   # kubelint-disable-next-line RULE[, RULE]   the next line
 *   # kubelint-disable RULE[, RULE]             to the end of the document
 *   metadata.annotations: kubelint.io/ignore.RULE: "reason"   the object (or its pod template)
 * A directive without rules applies to every rule. A suppression that suppresses nothing
 * is reported as unused-suppression, like ESLint's --report-unused-disable-directives.
 */
import type { CollectedFact, ObjectPath } from '../types.js';
import { asObject, getIn } from '../kube.js';

export const ANNOTATION_PREFIX = 'kubelint.io/ignore.';

export interface Directive {
  kind: 'next-line' | 'rest-of-document';
  /** Rule ids, or undefined for every rule. */
  rules: string[] | undefined;
  reason: string;
  /** Offsets of the comment in the text. */
  start: number;
  end: number;
  /** 1-based line of the comment. */
  line: number;
  used: Set<string>;
  /** Facts of run-level rules it covers (whether it is used is the run's to decide). */
  pendingFacts?: CollectedFact[];
}

export interface AnnotationSuppression {
  ruleId: string;
  reason: string;
  /** Findings whose document path starts with this are suppressed. */
  scope: ObjectPath;
  /** Where the annotation key is, to report it when unused. */
  keyPath: ObjectPath;
  documentIndex: number;
  used: boolean;
  /** Facts of run-level rules it covers (whether it is used is the run's to decide). */
  pendingFacts?: CollectedFact[];
}

const DIRECTIVE = /(?:^|\s)(#\s*kubelint-(disable-next-line|disable)(?=\s|$)(.*))$/;

/**
 * Finds directive comments. Only real comments count (`comments`, from the parser's
 * tokens): `# kubelint-disable` as a line of a block scalar or inside a quoted string is
 * text, and must not silence anything.
 */
export function findDirectives(
  text: string,
  comments: () => ReadonlyArray<readonly [number, number]>,
  lineOf: (offset: number) => number,
): Directive[] {
  const directives: Directive[] = [];
  if (!text.includes('kubelint-disable')) return directives;
  for (const [commentStart, commentEnd] of comments()) {
    const content = text.slice(commentStart, commentEnd);
    const match = content.includes('kubelint-disable') ? DIRECTIVE.exec(content) : null;
    if (!match) continue;
    const [rulesText, ...reasonParts] = match[3]!.split(/\s--\s|\s--$/);
    const rules = rulesText!
      .split(',')
      .map((rule) => rule.trim())
      .filter(Boolean);
    const start = commentEnd - match[1]!.length;
    directives.push({
      kind: match[2] === 'disable' ? 'rest-of-document' : 'next-line',
      rules: rules.length ? rules : undefined,
      reason: reasonParts.join(' -- ').trim(),
      start,
      end: commentEnd,
      line: lineOf(start),
      used: new Set(),
    });
  }
  return directives;
}

/** Annotation suppressions on an object and on its pod template, if it has one. */
export function findAnnotationSuppressions(
  object: Record<string, unknown>,
  objectPath: ObjectPath,
  templatePath: ObjectPath | undefined,
  documentIndex: number,
): AnnotationSuppression[] {
  const found: AnnotationSuppression[] = [];
  const collect = (metadataOwner: ObjectPath) => {
    const annotations = asObject(getIn(object, [...metadataOwner, 'metadata', 'annotations']));
    if (!annotations) return;
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(ANNOTATION_PREFIX)) continue;
      found.push({
        ruleId: key.slice(ANNOTATION_PREFIX.length),
        reason: typeof value === 'string' ? value : '',
        scope: [...objectPath, ...metadataOwner],
        keyPath: [...objectPath, ...metadataOwner, 'metadata', 'annotations', key],
        documentIndex,
        used: false,
      });
    }
  };
  collect([]);
  if (templatePath) collect(templatePath);
  return found;
}

export function startsWith(path: ObjectPath, prefix: ObjectPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}
