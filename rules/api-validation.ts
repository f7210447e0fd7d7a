/**
 * What the API server rejects beyond the OpenAPI schema, for DaemonSets and Pods
 * (pkg/apis/apps/validation ValidateDaemonSet*, pkg/apis/core/validation for pod specs,
 * tolerations, labels and container names). Messages quote the server's own wording.
 */
import type { DaemonSetSpec, DaemonSetUpdateStrategy, RollingUpdateDaemonSet } from 'kubernetes-types/apps/v1.js';
import { setScalarField } from '../src/fix/edits.js';
import type { PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { LabelSelector, LabelSelectorRequirement, ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { createRule, type RuleContext } from '../src/engine/rule.js';
import { asArray, asObject, fieldsOf, quote, type Fields } from '../src/kube.js';
import { combineVisitors, type PodSpecVisitor } from '../src/engine/pod-spec.js';
import type { ObjectPath } from '../src/types.js';
import { isDns1123Label, labelKeyProblem, labelValueProblem } from './api-validation/labels.js';
import { podSpecChecks, POD_SPEC_MESSAGES } from './api-validation/pod-spec.js';

export { labelKeyProblem, labelValueProblem } from './api-validation/labels.js';

const rule = createRule({
  meta: {
    id: 'api-validation',
    severity: 'error',
    type: 'problem',
    description: 'DaemonSets and Pods must pass the API server\'s validation, beyond what the schema says.',
    rationale:
      'The OpenAPI schema says which fields exist and their types; the API server then validates values: a pod ' +
      'template restartPolicy other than Always, a rolling update with both maxUnavailable and maxSurge, malformed ' +
      'label keys, an empty toleration key without Exists, duplicate container names, a volumeMount naming no volume, ' +
      'an imagePullPolicy typo. Any of these makes kubectl apply fail with "Invalid value" or "Unsupported value"; ' +
      'the kubelet runs the same pod validation on static pod files and skips a failing file, so the pod never starts.',
    kinds: ['DaemonSet', 'Pod'],
    messages: {
      podRestartPolicy:
        'spec.restartPolicy: Unsupported value: {{value}}: supported values: "Always", "Never", "OnFailure".',
      restartPolicy:
        'spec.template.spec.restartPolicy: Unsupported value: {{value}}: supported values: "Always". A DaemonSet\'s pods ' +
        'always restart; remove restartPolicy or set it to Always.',
      activeDeadlineSeconds:
        'activeDeadlineSeconds in DaemonSet is not Supported: the API server rejects it. Remove it from the pod template.',
      ephemeralInTemplate:
        'ephemeralContainers are forbidden in a pod template: the API server rejects it. Add ephemeral containers to a ' +
        'running pod with kubectl debug instead.',
      ephemeralInStaticPod:
        'static pods do not support ephemeral containers: the kubelet rejects the pod. Remove ephemeralContainers.',
      negative: '{{field}}: Invalid value: {{value}}: must be greater than or equal to 0.',
      strategyType: 'updateStrategy.type: Unsupported value: {{value}}: supported values: "OnDelete", "RollingUpdate".',
      percentSyntax:
        '{{field}}: Invalid value: {{value}}: a valid percent string must be a numeric string followed by an ending \'%\' (e.g. \'10%\').',
      percentTooLarge: '{{field}}: Invalid value: {{value}}: must not be greater than 100%.',
      bothNonZero:
        'maxSurge: Invalid value: {{surge}}: may not be set when maxUnavailable is non-zero (maxUnavailable is {{unavailable}}{{defaulted}}). ' +
        'A DaemonSet rolls with exactly one of them; set maxUnavailable: 0 to surge.',
      bothZero:
        'maxUnavailable: Required value: cannot be 0 when maxSurge is 0: the rollout could never make progress. Set one of them above 0.',
      labelKey: 'label key {{key}} is invalid: {{problem}}. The API server rejects the object.',
      labelValue: 'label value {{value}} (key {{key}}) is invalid: {{problem}}. The API server rejects the object.',
      tolerationEmptyKey:
        'toleration operator must be Exists when `key` is empty, which means "match all values and all keys": the API ' +
        'server rejects {{operator}}. Use operator: Exists, or name the taint key.',
      tolerationExistsValue:
        'toleration value must be empty when `operator` is \'Exists\': the API server rejects it. Remove the value, or use operator: Equal.',
      tolerationSeconds:
        'toleration effect must be \'NoExecute\' when `tolerationSeconds` is set: the API server rejects {{effect}}.',
      tolerationOperator:
        'toleration operator: Unsupported value: {{value}}: supported values: "Equal", "Exists"{{gate}}.',
      tolerationEffect:
        'toleration effect: Unsupported value: {{value}}: supported values: "NoExecute", "NoSchedule", "PreferNoSchedule" (or empty for all).',
      containerName:
        'container name {{name}} is invalid: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', ' +
        'start and end with an alphanumeric character, and be at most 63 characters.',
      duplicateContainer:
        'container name {{name}} is used twice in this pod: Duplicate value. Container names must be unique across ' +
        'containers, initContainers and ephemeralContainers.',
      missingSpec:
        'DaemonSet has no spec: the API server rejects it (spec.selector and spec.template are required). Add a spec ' +
        'with a selector and a pod template.',
      missingTemplate:
        'DaemonSet spec has no template: the API server rejects it (spec.template.spec.containers: Required value). ' +
        'Add a pod template with at least one container.',
      ...POD_SPEC_MESSAGES,
    },
  },
  check(context) {
    // A kustomize patch holds only what it changes: what it leaves out (a spec, a volume a
    // mount names) is in the base, so the checks that need the whole object do not apply.
    if (context.isPatch) return;
    checkLabels(context, fieldsOf<ObjectMeta>(context.object.metadata)?.labels, ['metadata', 'labels']);
    if (context.object.kind === 'DaemonSet') checkDaemonSet(context);
  },
  create(context) {
    if (context.isPatch) return {};
    return combineVisitors(podSpecVisitor(context), podSpecChecks(context));
  },
});

function checkDaemonSet(context: RuleContext): void {
  const spec = fieldsOf<DaemonSetSpec>(context.object.spec);
  if (!spec) {
    // A spec of the wrong type is the schema rule's finding; a missing or null one is ours.
    if (context.object.spec === undefined) context.report({ messageId: 'missingSpec', path: [], target: 'value' });
    else if (context.object.spec === null) context.report({ messageId: 'missingSpec', path: ['spec'], target: 'key' });
    return;
  }
  if (spec.template === undefined || spec.template === null) {
    context.report({ messageId: 'missingTemplate', path: ['spec'], target: 'key' });
  }
  for (const field of ['minReadySeconds', 'revisionHistoryLimit'] as const) {
    const value = spec[field];
    if (typeof value === 'number' && value < 0) {
      context.report({ messageId: 'negative', data: { field, value }, path: ['spec', field], target: 'value' });
    }
  }
  checkSelector(context, fieldsOf<LabelSelector>(spec.selector));
  checkUpdateStrategy(context, fieldsOf<DaemonSetUpdateStrategy>(spec.updateStrategy));
  const template = fieldsOf<PodTemplateSpec>(spec.template);
  checkLabels(context, fieldsOf<ObjectMeta>(template?.metadata)?.labels, ['spec', 'template', 'metadata', 'labels']);
}

/** What a DaemonSet's pod template or a Pod may not hold, on the pod spec the engine walks. */
function podSpecVisitor(context: RuleContext): PodSpecVisitor {
  const seen = new Set<string>();
  return {
    podSpec({ value: podSpec, path: specPath }) {
      if (context.object.kind === 'DaemonSet') {
        if (podSpec.restartPolicy !== undefined && podSpec.restartPolicy !== null && podSpec.restartPolicy !== 'Always') {
          context.report({ messageId: 'restartPolicy', data: { value: quote(podSpec.restartPolicy) }, path: [...specPath, 'restartPolicy'], target: 'value' });
        }
        if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
          context.report({ messageId: 'activeDeadlineSeconds', path: [...specPath, 'activeDeadlineSeconds'], target: 'key' });
        }
        if (asArray(podSpec.ephemeralContainers).length > 0) {
          context.report({ messageId: 'ephemeralInTemplate', path: [...specPath, 'ephemeralContainers'], target: 'key' });
        }
        return;
      }
      if (context.isStaticPodFile && asArray(podSpec.ephemeralContainers).length > 0) {
        context.report({ messageId: 'ephemeralInStaticPod', path: [...specPath, 'ephemeralContainers'], target: 'key' });
      }
      const restartPolicy = podSpec.restartPolicy;
      if (typeof restartPolicy === 'string' && !['Always', 'OnFailure', 'Never'].includes(restartPolicy)) {
        context.report({ messageId: 'podRestartPolicy', data: { value: quote(restartPolicy) }, path: [...specPath, 'restartPolicy'], target: 'value' });
      }
    },
    toleration({ value: toleration, path }) {
      checkToleration(context, toleration, path);
    },
    container({ value: container, path }) {
      if (typeof container.name !== 'string') return;
      if (!isDns1123Label(container.name)) {
        context.report({ messageId: 'containerName', data: { name: quote(container.name) }, path: [...path, 'name'], target: 'value' });
      }
      if (seen.has(container.name)) {
        context.report({ messageId: 'duplicateContainer', data: { name: quote(container.name) }, path: [...path, 'name'], target: 'value' });
      }
      seen.add(container.name);
    },
  };
}

function checkSelector(context: RuleContext, selector: Fields<LabelSelector> | undefined): void {
  if (!selector) return;
  checkLabels(context, selector.matchLabels, ['spec', 'selector', 'matchLabels']);
  asArray(selector.matchExpressions).forEach((item, index) => {
    const requirement = fieldsOf<LabelSelectorRequirement>(item);
    if (!requirement) return;
    const path = ['spec', 'selector', 'matchExpressions', index];
    if (typeof requirement.key === 'string' && requirement.key !== '') {
      const problem = labelKeyProblem(requirement.key);
      if (problem) context.report({ messageId: 'labelKey', data: { key: quote(requirement.key), problem }, path: [...path, 'key'], target: 'value' });
    }
    asArray(requirement.values).forEach((value, valueIndex) => {
      const problem = typeof value === 'string' ? labelValueProblem(value) : undefined;
      if (problem) {
        context.report({
          messageId: 'labelValue',
          data: { key: quote(requirement.key), value: quote(value), problem },
          path: [...path, 'values', valueIndex],
          target: 'value',
        });
      }
    });
  });
}

function checkLabels(context: RuleContext, labels: unknown, path: ObjectPath): void {
  for (const [key, value] of Object.entries(asObject(labels) ?? {})) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) context.report({ messageId: 'labelKey', data: { key: quote(key), problem: keyProblem }, path: [...path, key], target: 'key' });
    // A non-string value is the schema rule's finding.
    const valueProblem = typeof value === 'string' ? labelValueProblem(value) : undefined;
    if (valueProblem) {
      context.report({ messageId: 'labelValue', data: { key: quote(key), value: quote(value), problem: valueProblem }, path: [...path, key], target: 'value' });
    }
  }
}

/** An int-or-string rolling update value: its problem, or whether it is zero. */
function parseIntOrPercent(value: unknown): { problem?: 'percentSyntax' | 'percentTooLarge' | 'negative'; zero: boolean } {
  if (typeof value === 'number') return value < 0 ? { problem: 'negative', zero: false } : { zero: value === 0 };
  if (typeof value === 'string') {
    const match = /^(\d+)%$/.exec(value);
    if (!match) return { problem: 'percentSyntax', zero: false };
    const percent = Number(match[1]);
    return percent > 100 ? { problem: 'percentTooLarge', zero: false } : { zero: percent === 0 };
  }
  return { zero: false };
}

function checkUpdateStrategy(context: RuleContext, strategy: Fields<DaemonSetUpdateStrategy> | undefined): void {
  if (!strategy) return;
  const type = strategy.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate' && type !== 'OnDelete') {
    context.report({ messageId: 'strategyType', data: { value: quote(type) }, path: ['spec', 'updateStrategy', 'type'], target: 'value' });
    return;
  }
  if (type !== 'RollingUpdate') return;
  const rolling = fieldsOf<RollingUpdateDaemonSet>(strategy.rollingUpdate);
  if (!rolling) return;
  const base = ['spec', 'updateStrategy', 'rollingUpdate'];
  // Defaults applied by the API server before validation.
  const unavailable = rolling.maxUnavailable ?? 1;
  const surge = rolling.maxSurge ?? 0;
  const parsedUnavailable = parseIntOrPercent(unavailable);
  const parsedSurge = parseIntOrPercent(surge);
  let malformed = false;
  for (const [field, raw, parsed] of [
    ['maxUnavailable', unavailable, parsedUnavailable],
    ['maxSurge', surge, parsedSurge],
  ] as const) {
    if (!parsed.problem) continue;
    malformed = true;
    context.report({ messageId: parsed.problem, data: { field, value: quote(raw) }, path: [...base, field], target: 'value' });
  }
  if (malformed) return;
  if (!parsedUnavailable.zero && !parsedSurge.zero) {
    context.report({
      messageId: 'bothNonZero',
      data: { surge: quote(surge), unavailable: quote(unavailable), defaulted: rolling.maxUnavailable === undefined ? ', its default' : '' },
      path: [...base, 'maxSurge'],
      target: 'value',
      // A suggestion: surging needs room for a second pod per node (resources, host ports), the user's call.
      suggest: [{ desc: 'Set maxUnavailable: 0, so that the rollout surges', fix: setScalarField([...base, 'maxUnavailable'], '0', 'maxSurge') }],
    });
  } else if (parsedUnavailable.zero && parsedSurge.zero) {
    context.report({ messageId: 'bothZero', path: [...base, 'maxUnavailable'], target: 'value' });
  }
}

// Lt/Gt need the alpha TaintTolerationComparisonOperators gate (1.35, default off).
const TOLERATION_OPERATORS = new Set(['', 'Equal', 'Exists']);
const TAINT_EFFECTS = new Set(['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute']);

function checkToleration(context: RuleContext, toleration: Fields<Toleration>, path: ObjectPath): void {
  const key = typeof toleration.key === 'string' ? toleration.key : '';
  const operator = typeof toleration.operator === 'string' ? toleration.operator : '';
  const effect = typeof toleration.effect === 'string' ? toleration.effect : '';
  if (!TOLERATION_OPERATORS.has(operator)) {
    const gate = operator === 'Lt' || operator === 'Gt' ? ' (Lt and Gt need the alpha TaintTolerationComparisonOperators feature gate, off by default)' : '';
    context.report({ messageId: 'tolerationOperator', data: { value: quote(operator), gate }, path: [...path, 'operator'], target: 'value' });
  } else if (key === '' && operator !== 'Exists') {
    context.report({ messageId: 'tolerationEmptyKey', data: { operator: quote(operator || 'Equal') }, path: [...path, operator ? 'operator' : 'key'], target: operator ? 'value' : 'key' });
  }
  if (operator === 'Exists' && typeof toleration.value === 'string' && toleration.value !== '') {
    context.report({ messageId: 'tolerationExistsValue', path: [...path, 'value'], target: 'value' });
  }
  if (key !== '') {
    const problem = labelKeyProblem(key);
    if (problem) context.report({ messageId: 'labelKey', data: { key: quote(key), problem }, path: [...path, 'key'], target: 'value' });
  }
  if (!TAINT_EFFECTS.has(effect)) {
    context.report({ messageId: 'tolerationEffect', data: { value: quote(effect) }, path: [...path, 'effect'], target: 'value' });
  } else if (toleration.tolerationSeconds !== undefined && toleration.tolerationSeconds !== null && effect !== 'NoExecute') {
    context.report({ messageId: 'tolerationSeconds', data: { effect: quote(effect) }, path: [...path, effect ? 'effect' : 'tolerationSeconds'], target: effect ? 'value' : 'key' });
  }
}

export default rule;
