/**
 * The engine's own rules: what it reports while reading a file (syntax errors, documents
 * that are not objects) and after the other rules ran (unused suppressions). Every registry
 * holds them, so their findings are listed, documented and configurable like any rule's.
 */
import { createRule, type Rule } from './rule.js';

/**
 * YAML syntax errors and duplicate keys. The engine reports these while parsing; this
 * module gives them a self-describing meta so they are listed, documented and configurable.
 */
export const YAML_SYNTAX = createRule({
  meta: {
    id: 'yaml-syntax',
    severity: 'error',
    type: 'problem',
    description: 'A manifest must be well-formed YAML (or JSON) without duplicate keys.',
    rationale:
      'kubectl and the API server cannot decode a document with a syntax error, so nothing in it is applied. ' +
      'A duplicate key is rejected by strict decoding (kubectl >= 1.27) and silently drops one of the two values ' +
      'under lenient decoding. The other documents of the file are still linted.',
    kinds: [],
    messages: {
      syntax: 'YAML syntax error: {{detail}}. Nothing in this document can be applied until it is fixed.',
      duplicateKey:
        'duplicate key {{key}}: kubectl (>= 1.27, strict decoding) rejects the object, and lenient decoding keeps only ' +
        'the last value. Remove or merge one of the two.',
    },
  },
  check() {
    // Reported by the engine while parsing.
  },
});

/**
 * A document must be a Kubernetes object: a mapping with string apiVersion and kind.
 * Documents that are empty or hold only comments are fine (kubectl skips them).
 */
export const INVALID_MANIFEST = createRule({
  meta: {
    id: 'invalid-manifest',
    severity: 'error',
    type: 'problem',
    description: 'Every non-empty document must be a Kubernetes object with apiVersion and kind.',
    rationale:
      'kubectl decodes each document of a stream as one object and fails on a document that is a list, a plain ' +
      'value, or a mapping without apiVersion and kind ("Object \'Kind\' is missing"). The whole apply stops there.',
    kinds: '*',
    messages: {
      notAnObject:
        'this document is {{what}}, not a Kubernetes object: kubectl cannot decode it. ' +
        'Each document must be a mapping with apiVersion, kind and metadata.',
      missingField:
        'object has no {{field}}: kubectl cannot decode it ("Object \'{{fieldTitle}}\' is missing"). Add {{field}}.',
      notAString: '{{field}} must be a string, but it is {{actual}}: kubectl cannot decode the object.',
    },
  },
  check(context) {
    for (const field of ['apiVersion', 'kind'] as const) {
      const value = context.object[field];
      if (value === undefined || value === null || value === '') {
        context.report({
          messageId: 'missingField',
          data: { field, fieldTitle: field === 'kind' ? 'Kind' : 'apiVersion' },
          path: [field],
          target: 'key',
        });
      } else if (typeof value !== 'string') {
        context.report({
          messageId: 'notAString',
          data: { field, actual: JSON.stringify(value) },
          path: [field],
          target: 'value',
        });
      }
    }
  },
});

/**
 * A suppression (comment directive or annotation) that suppresses nothing: stale, or
 * naming a rule that does not exist. Reported by the engine after the other rules ran.
 */
export const UNUSED_SUPPRESSION = createRule({
  meta: {
    id: 'unused-suppression',
    severity: 'warn',
    type: 'layout',
    description: 'A kubelint-disable directive or kubelint.io/ignore annotation must suppress something.',
    rationale:
      'A suppression that no longer matches a finding hides nothing today but will silently hide the next real ' +
      'problem of that rule at that place. Like ESLint\'s --report-unused-disable-directives, kubelint reports it so ' +
      'that it can be removed.',
    kinds: [],
    messages: {
      unusedDirective: '{{directive}} suppresses no {{rules}}finding here. Remove it, or fix what it names.',
      unusedAnnotation:
        'annotation {{key}} suppresses no {{rule}} finding in this object. Remove the annotation.',
      unknownRule: '{{directive}} names {{rule}}, which is not a kubelint rule (see kubelint --list-rules).',
    },
  },
  check() {
    // Reported by the engine, which knows which suppressions were used.
  },
});

export const CORE_RULES: readonly Rule[] = [YAML_SYNTAX, INVALID_MANIFEST, UNUSED_SUPPRESSION];
