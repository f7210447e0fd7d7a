/**
 * YAML syntax errors and duplicate keys. The engine reports these while parsing; this
 * module gives them a self-describing meta so they are listed, documented and configurable.
 */
import type { Rule } from '../src/rule.js';

const rule: Rule = {
  meta: {
    id: 'yaml-syntax',
    severity: 'error',
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
};

export default rule;
