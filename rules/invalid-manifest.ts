/**
 * A document must be a Kubernetes object: a mapping with string apiVersion and kind.
 * Documents that are empty or hold only comments are fine (kubectl skips them).
 */
import type { Rule } from '../src/rule.js';

const rule: Rule = {
  meta: {
    id: 'invalid-manifest',
    severity: 'error',
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
};

export default rule;
