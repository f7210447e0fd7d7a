/**
 * kubeadm stopped labelling control-plane nodes node-role.kubernetes.io/master in 1.24 and
 * removes the label on upgrade (KEP-2067, kubernetes#107533). A selector on it matches no
 * kubeadm node, and tolerating the master taint does not help: a toleration lets a pod
 * onto a tainted node, it does not make the pod select it.
 */
import { createRule } from '../src/engine/rule.js';
import type {
  NodeAffinity,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodSpec,
  PreferredSchedulingTerm,
  TopologySpreadConstraint,
} from 'kubernetes-types/core/v1.js';
import { asArray, asObject, asString, fieldsOf, getIn } from '../src/kube.js';
import { podSpecPath } from '../src/engine/pod-spec.js';
import { atLeast } from '../src/kube-version.js';
import type { ObjectPath } from '../src/types.js';
import { renameKey, replaceStringValue } from '../src/fix/edits.js';

const MASTER = 'node-role.kubernetes.io/master';
const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';
const REPLACE = `Replace ${MASTER} with ${CONTROL_PLANE}`;
/**
 * Suggestions, not fixes: which nodes a DaemonSet runs on is its author's decision, and the
 * control-plane label may be meant, or the selection may be obsolete altogether.
 */
const replaced = (path: ObjectPath) => [{ desc: REPLACE, fix: replaceStringValue(path, CONTROL_PLANE) }];
const SELECTING = new Set(['In', 'Exists', 'Gt', 'Lt']);

function expressionsOf(term: unknown): Array<ReturnType<typeof fieldsOf<NodeSelectorRequirement>>> {
  return asArray(fieldsOf<NodeSelectorTerm>(term)?.matchExpressions).map((item) => fieldsOf<NodeSelectorRequirement>(item));
}

const rule = createRule({
  meta: {
    id: 'node-role-label-removed',
    severity: 'error',
    type: 'problem',
    description: 'Placement on node-role.kubernetes.io/master, a label kubeadm no longer applies since 1.24.',
    rationale:
      'Since Kubernetes 1.24 kubeadm labels control-plane nodes node-role.kubernetes.io/control-plane only, and ' +
      'kubeadm upgrade removes the master label (KEP-2067). A nodeSelector or required node affinity on the master ' +
      'label then matches no node, so the pods run nowhere; a NotIn/DoesNotExist on it no longer keeps pods off the ' +
      'control plane. Tolerating the master taint does not fix a selector. Since 1.31 the API server warns about the key too.',
    kinds: ['DaemonSet', 'Pod'],
    messages: {
      selectsNothing:
        'No node carries node-role.kubernetes.io/master since kubeadm 1.24, so these pods match no node; select ' +
        'node-role.kubernetes.io/control-plane instead. A toleration alone does not fix it: it admits a pod, it does not place it.',
      deadTerm:
        'This node-affinity term needs node-role.kubernetes.io/master, which no node carries since kubeadm 1.24, so it ' +
        'never matches. Use node-role.kubernetes.io/control-plane; tolerating the master taint does not fix it.',
      excludesNothing:
        'node-role.kubernetes.io/master is gone since kubeadm 1.24, so this exclusion matches every node, control-plane ' +
        'ones included; use node-role.kubernetes.io/control-plane.',
      noEffect:
        'No node carries node-role.kubernetes.io/master since kubeadm 1.24, so this preferred node affinity has no effect; use ' +
        'node-role.kubernetes.io/control-plane.',
      topologyKey:
        'No node carries node-role.kubernetes.io/master since kubeadm 1.24, so this topology spread constraint has no ' +
        'domains to spread over; use node-role.kubernetes.io/control-plane or a topology label.',
    },
  },
  check(context) {
    if (!atLeast(context.kubeVersion, 24)) return;
    const specPath = podSpecPath(context.object.kind);
    if (!specPath) return;
    const podSpec = fieldsOf<PodSpec>(getIn(context.object, specPath));
    if (!podSpec) return;

    const nodeSelector = asObject(podSpec.nodeSelector);
    if (nodeSelector && MASTER in nodeSelector) {
      context.report({ messageId: 'selectsNothing', path: [...specPath, 'nodeSelector', MASTER], target: 'key', suggest: [{ desc: REPLACE, fix: renameKey([...specPath, 'nodeSelector', MASTER], CONTROL_PLANE) }] });
    }

    const nodeAffinity = fieldsOf<NodeAffinity>(asObject(podSpec.affinity)?.nodeAffinity);
    const affinityPath: ObjectPath = [...specPath, 'affinity', 'nodeAffinity'];
    const required = fieldsOf<NodeSelector>(nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    const terms = asArray(required?.nodeSelectorTerms);
    const needsMaster = (term: unknown) =>
      expressionsOf(term).some((expression) => expression?.key === MASTER && SELECTING.has(String(expression.operator)));
    // Terms are ORed: only when every term needs the label does the pod match nothing.
    const everyTermNeedsMaster = terms.length > 0 && terms.every(needsMaster);
    terms.forEach((term, i) => {
      expressionsOf(term).forEach((expression, j) => {
        if (expression?.key !== MASTER) return;
        const path: ObjectPath = [...affinityPath, 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms', i, 'matchExpressions', j, 'key'];
        const operator = asString(expression.operator) ?? '';
        if (SELECTING.has(operator)) {
          if (everyTermNeedsMaster) context.report({ messageId: 'selectsNothing', path, target: 'value', suggest: replaced(path) });
          else context.report({ messageId: 'deadTerm', path, target: 'value', atMostWarning: true, suggest: replaced(path) });
        } else if (operator === 'NotIn' || operator === 'DoesNotExist') {
          context.report({ messageId: 'excludesNothing', path, target: 'value', atMostWarning: true, suggest: replaced(path) });
        }
      });
    });

    asArray(nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution).forEach((item, i) => {
      const preference = fieldsOf<PreferredSchedulingTerm>(item)?.preference;
      expressionsOf(preference).forEach((expression, j) => {
        if (expression?.key !== MASTER) return;
        context.report({
          messageId: 'noEffect',
          path: [...affinityPath, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'preference', 'matchExpressions', j, 'key'],
          target: 'value',
          atMostWarning: true,
          suggest: replaced([...affinityPath, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'preference', 'matchExpressions', j, 'key']),
        });
      });
    });

    asArray(podSpec.topologySpreadConstraints).forEach((item, i) => {
      if (fieldsOf<TopologySpreadConstraint>(item)?.topologyKey !== MASTER) return;
      context.report({
        messageId: 'topologyKey',
        path: [...specPath, 'topologySpreadConstraints', i, 'topologyKey'],
        target: 'value',
        atMostWarning: true,
      });
    });
  },
});

export default rule;
