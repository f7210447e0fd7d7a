/**
 * The API server converts spec.selector with LabelSelectorAsSelector and rejects a
 * DaemonSet whose selector does not select its own pod template
 * (pkg/apis/apps/validation/validation.go, ValidateDaemonSetSpec).
 */
import { createRule, type RuleContext } from '../src/engine/rule.js';
import { replaceStringValue } from '../src/fix/edits.js';
import type { DaemonSetSpec } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector, LabelSelectorRequirement, ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { asArray, asObject, fieldsOf, quote, type Fields } from '../src/kube.js';
import { isPartialWorkload } from '../src/engine/pod-spec.js';

const REJECTED = 'the API server rejects the DaemonSet with "selector does not match template labels"';

const rule = createRule({
  meta: {
    id: 'daemonset-selector-mismatch',
    severity: 'error',
    type: 'problem',
    description: 'A DaemonSet selector must be valid and select the labels of its own pod template.',
    rationale:
      'The API server evaluates spec.selector (matchLabels and matchExpressions, all ANDed) against ' +
      'spec.template.metadata.labels and rejects the DaemonSet when they do not match, when the selector ' +
      'is missing or empty, or when a matchExpressions entry is malformed. The DaemonSet\'s own ' +
      'metadata.labels play no part.',
    kinds: ['DaemonSet'],
    messages: {
      missingSelector:
        'DaemonSet has no spec.selector: {{apiVersion}} requires one, and {{rejected}}. ' +
        'Add spec.selector.matchLabels with the labels of spec.template.metadata.labels.',
      emptySelector:
        'spec.selector is empty: the API server rejects it ("empty selector is invalid for daemonset"). ' +
        'Select the pod template\'s labels with matchLabels.',
      templateWithoutLabels:
        'the pod template has no labels, so spec.selector cannot select it and {{rejected}}. ' +
        'Add spec.template.metadata.labels matching the selector.',
      labelMissing:
        'selector requires label {{key}}={{value}}, but the pod template has no {{key}} label, so {{rejected}}. ' +
        'Add {{key}}: {{value}} to spec.template.metadata.labels, or change the selector.',
      labelMismatch:
        'selector requires label {{key}}={{value}}, but the pod template has {{key}}={{actual}}, so {{rejected}}. ' +
        'Make the selector and spec.template.metadata.labels agree.',
      expressionMismatch:
        'selector expression "{{expression}}" does not match the pod template, which has {{actual}}, so {{rejected}}. ' +
        'Make the selector and spec.template.metadata.labels agree.',
      valuesRequired:
        'matchExpressions operator {{operator}} needs at least one value: the API server rejects it ' +
        '("values: Required value: must be specified when operator is \'In\' or \'NotIn\'"). Add values, or use Exists.',
      valuesForbidden:
        'matchExpressions operator {{operator}} takes no values: the API server rejects it ' +
        '("values: Forbidden: may not be specified when `operator` is \'Exists\' or \'DoesNotExist\'"). Remove values.',
      unknownOperator:
        'unknown matchExpressions operator {{operator}}: the API server rejects it ("not a valid selector operator"). ' +
        'Use In, NotIn, Exists or DoesNotExist.',
      missingKey: 'matchExpressions entry has no key: the API server rejects it. Name the label this expression tests.',
    },
  },
  check(context) {
    if (context.isPatch || isPartialWorkload(context.object)) return;
    const spec = fieldsOf<DaemonSetSpec>(context.object.spec);
    const apiVersion = String(context.object.apiVersion ?? '');
    const selector = spec?.selector;
    if (selector === undefined || selector === null) {
      // extensions/v1beta1 defaulted the selector from the template labels.
      if (apiVersion === 'extensions/v1beta1') return;
      context.report({
        messageId: 'missingSelector',
        data: { apiVersion: apiVersion || 'apps/v1', rejected: REJECTED },
        path: spec ? ['spec', 'selector'] : ['kind'],
        target: 'key',
      });
      return;
    }
    const labelSelector = fieldsOf<LabelSelector>(selector);
    if (!labelSelector) return; // a wrong type is the schema's finding
    const matchLabels = asObject(labelSelector.matchLabels) ?? {};
    const expressions = asArray(labelSelector.matchExpressions);
    if (Object.keys(matchLabels).length === 0 && expressions.length === 0) {
      context.report({ messageId: 'emptySelector', path: ['spec', 'selector'], target: 'key' });
      return;
    }
    if (!validateExpressions(context, expressions)) return;

    const template = fieldsOf<PodTemplateSpec>(spec?.template);
    const templateLabels = asObject(fieldsOf<ObjectMeta>(template?.metadata)?.labels);
    if (!templateLabels || Object.keys(templateLabels).length === 0) {
      context.report({
        messageId: 'templateWithoutLabels',
        data: { rejected: REJECTED },
        path: ['spec', 'template', 'metadata', 'labels'],
        target: 'key',
      });
      return;
    }
    const related = [
      { path: ['spec', 'template', 'metadata', 'labels'], target: 'key' as const, message: 'the pod template labels the selector is checked against' },
    ];
    const labels = new Map(Object.entries(templateLabels).map(([key, value]) => [key, labelText(value)]));

    for (const [key, rawValue] of Object.entries(matchLabels)) {
      const value = labelText(rawValue);
      const actual = labels.get(key);
      if (actual === value) continue;
      context.report({
        messageId: actual === undefined ? 'labelMissing' : 'labelMismatch',
        data: { key, value: quote(value), actual: quote(actual), rejected: REJECTED },
        path: ['spec', 'selector', 'matchLabels', key],
        target: 'key',
        related,
        // Which side is right is the author's call (and spec.selector is immutable on a deployed DaemonSet).
        ...(actual === undefined
          ? {}
          : {
              suggest: [
                { desc: `Change the selector to ${key}=${quote(actual)}, the template's label (spec.selector is immutable: a deployed DaemonSet must be recreated)`, fix: replaceStringValue(['spec', 'selector', 'matchLabels', key], actual) },
                { desc: `Change the template label to ${key}=${quote(value)}, as the selector requires`, fix: replaceStringValue(['spec', 'template', 'metadata', 'labels', key], value) },
              ],
            }),
      });
      return;
    }
    for (const [index, item] of expressions.entries()) {
      const expression = item as Fields<LabelSelectorRequirement>;
      const key = String(expression.key);
      const operator = String(expression.operator);
      const values = asArray(expression.values).map(labelText);
      if (expressionMatches(operator, values, labels.get(key))) continue;
      const actual = labels.has(key) ? `${key}=${quote(labels.get(key))}` : `no ${key} label`;
      context.report({
        messageId: 'expressionMismatch',
        data: { expression: describeExpression(key, operator, values), actual, rejected: REJECTED },
        path: ['spec', 'selector', 'matchExpressions', index],
        related,
      });
      return;
    }
  },
});

/** Label values are strings in the API; a YAML number or boolean is compared as its text. */
function labelText(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

/** Reports malformed matchExpressions entries; returns false when the selector is unusable. */
function validateExpressions(context: RuleContext, expressions: unknown[]): boolean {
  let valid = true;
  for (const [index, item] of expressions.entries()) {
    const path = ['spec', 'selector', 'matchExpressions', index];
    const requirement = fieldsOf<LabelSelectorRequirement>(item);
    if (!requirement) {
      valid = false;
      continue;
    }
    if (typeof requirement.key !== 'string' || requirement.key === '') {
      context.report({ messageId: 'missingKey', path });
      valid = false;
    }
    const operator = requirement.operator;
    const values = asArray(requirement.values);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) {
        context.report({ messageId: 'valuesRequired', data: { operator }, path: [...path, 'operator'], target: 'value' });
        valid = false;
      }
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) {
        context.report({ messageId: 'valuesForbidden', data: { operator }, path: [...path, 'values'], target: 'key' });
        valid = false;
      }
    } else {
      context.report({
        messageId: 'unknownOperator',
        data: { operator: quote(operator ?? '') },
        path: [...path, 'operator'],
        target: operator === undefined ? 'key' : 'value',
      });
      valid = false;
    }
  }
  return valid;
}

/** apimachinery labels.Requirement.Matches for the four selector operators. */
export function expressionMatches(operator: string, values: string[], actual: string | undefined): boolean {
  switch (operator) {
    case 'In':
      return actual !== undefined && values.includes(actual);
    case 'NotIn':
      return actual === undefined || !values.includes(actual);
    case 'Exists':
      return actual !== undefined;
    case 'DoesNotExist':
      return actual === undefined;
    default:
      return false;
  }
}

function describeExpression(key: string, operator: string, values: string[]): string {
  return values.length ? `${key} ${operator} (${values.join(', ')})` : `${key} ${operator}`;
}

export default rule;
