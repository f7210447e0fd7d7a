/**
 * A suppression (comment directive or annotation) that suppresses nothing: stale, or
 * naming a rule that does not exist. Reported by the engine after the other rules ran.
 */
import type { Rule } from '../src/rule.js';

const rule: Rule = {
  meta: {
    id: 'unused-suppression',
    severity: 'warn',
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
};

export default rule;
