/**
 * kubeadm taints control-plane nodes, and the DaemonSet controller adds no toleration for
 * that taint, so a DaemonSet meant for every node silently skips control-plane nodes.
 * Which taint a control-plane node carries depends on the Kubernetes version (KEP-2067).
 */
import { createRule, type RuleContext } from '../src/engine/rule.js';
import type { NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { asArray, asObject, asString, fieldsOf, type Fields } from '../src/kube.js';
import { isPartialWorkload } from '../src/engine/pod-spec.js';
import { atLeast, formatKubeVersion } from '../src/kube-version.js';
import type { KubeVersion, ObjectPath } from '../src/types.js';

interface Taint {
  key: string;
  value: string;
  effect: string;
}

export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';
export const MASTER_LABEL = 'node-role.kubernetes.io/master';
const CONTROL_PLANE_TAINT: Taint = { key: CONTROL_PLANE_LABEL, value: '', effect: 'NoSchedule' };
const MASTER_TAINT: Taint = { key: MASTER_LABEL, value: '', effect: 'NoSchedule' };

/** The taints kubeadm puts on a control-plane node of the given version. */
export function controlPlaneTaints(version: KubeVersion): Taint[] {
  if (atLeast(version, 25)) return [CONTROL_PLANE_TAINT];
  if (atLeast(version, 24)) return [MASTER_TAINT, CONTROL_PLANE_TAINT];
  return [MASTER_TAINT];
}

/** k8s.io/api core/v1 Toleration.ToleratesTaint. */
export function toleratesTaint(toleration: Fields<Toleration>, taint: Taint): boolean {
  const effect = asString(toleration.effect) ?? '';
  const key = asString(toleration.key) ?? '';
  if (effect !== '' && effect !== taint.effect) return false;
  if (key !== '' && key !== taint.key) return false;
  const operator = asString(toleration.operator) ?? '';
  switch (operator) {
    case '':
    case 'Equal':
      return (asString(toleration.value) ?? '') === taint.value;
    case 'Exists':
      return true;
    case 'Lt':
    case 'Gt': {
      const tolerationValue = Number.parseInt(asString(toleration.value) ?? '', 10);
      const taintValue = Number.parseInt(taint.value, 10);
      if (Number.isNaN(tolerationValue) || Number.isNaN(taintValue)) return false;
      return operator === 'Lt' ? taintValue < tolerationValue : taintValue > tolerationValue;
    }
    default:
      return false;
  }
}

/** Labels every node carries, control-plane nodes included: selecting on them excludes nothing. */
const UNIVERSAL_LABEL = /^(kubernetes\.io\/(os|arch|hostname)|beta\.kubernetes\.io\/(os|arch|instance-type)|node\.kubernetes\.io\/instance-type|topology\.kubernetes\.io\/(region|zone)|failure-domain\.beta\.kubernetes\.io\/(region|zone))$/;

const OS_LABEL = /^(beta\.)?kubernetes\.io\/os$/;

function isRoleLabel(key: string): boolean {
  return key === CONTROL_PLANE_LABEL || key === MASTER_LABEL;
}

/**
 * Whether a node-selector requirement keeps pods off control-plane nodes: an explicit
 * DoesNotExist/NotIn on the control-plane role, or a requirement that a label a
 * control-plane node does not carry (a worker role, GPU or hardware label) be present.
 */
function requirementExcludesControlPlane(key: string, operator: string, values: readonly unknown[]): boolean {
  if (isRoleLabel(key)) return operator === 'DoesNotExist' || operator === 'NotIn';
  // The control plane runs only on Linux: a Windows-only selector never lands there.
  if (OS_LABEL.test(key) && operator === 'In') return values.length > 0 && values.every((value) => value === 'windows');
  if (UNIVERSAL_LABEL.test(key)) return false;
  return operator === 'In' || operator === 'Exists' || operator === 'Gt' || operator === 'Lt';
}

export function placementExcludesControlPlane(podSpec: Fields<PodSpec>): boolean {
  const nodeSelector = asObject(podSpec.nodeSelector) ?? {};
  if (Object.entries(nodeSelector).some(([key, value]) => requirementExcludesControlPlane(key, 'In', [value]))) return true;
  const nodeAffinity = fieldsOf<NodeAffinity>(asObject(podSpec.affinity)?.nodeAffinity);
  const required = fieldsOf<NodeSelector>(nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  const terms = asArray(required?.nodeSelectorTerms).flatMap((term) => fieldsOf<NodeSelectorTerm>(term) ?? []);
  // Terms are ORed: every term must exclude control-plane nodes. Expressions in a term are ANDed.
  return (
    terms.length > 0 &&
    terms.every((term) =>
      asArray(term.matchExpressions)
        .flatMap((expression) => fieldsOf<NodeSelectorRequirement>(expression) ?? [])
        .some((expression) =>
          requirementExcludesControlPlane(
            String(expression.key ?? ''),
            String(expression.operator ?? ''),
            asArray(expression.values),
          ),
        ),
    )
  );
}

const TOLERATION_HINT = '{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}';
const OPT_OUT_HINT =
  'If these pods are meant to stay off control-plane nodes, say so with a required node affinity ' +
  '(node-role.kubernetes.io/control-plane DoesNotExist).';

const rule = createRule({
  meta: {
    id: 'daemonset-control-plane-toleration',
    severity: 'warn',
    description: 'A DaemonSet should tolerate the control-plane taint, or say that it stays off control-plane nodes.',
    rationale:
      'kubeadm taints control-plane nodes with node-role.kubernetes.io/control-plane:NoSchedule ' +
      '(node-role.kubernetes.io/master before 1.25, both in 1.24). The DaemonSet controller adds tolerations ' +
      'for not-ready, unreachable and pressure taints, never for this one, so a log shipper, CNI agent or ' +
      'node exporter without the toleration silently never runs on control-plane nodes.',
    kinds: ['DaemonSet'],
    messages: {
      missing:
        'DaemonSet pods will not run on control-plane nodes: no toleration in spec.template.spec.tolerations ' +
        'tolerates the {{taint}} taint that control-plane nodes carry in Kubernetes {{version}}, and the DaemonSet ' +
        'controller does not add one. Add {{hint}}. {{optOut}}',
      legacyMasterOnly:
        'this toleration covers only the legacy node-role.kubernetes.io/master taint, which control-plane nodes ' +
        'no longer carry since Kubernetes 1.25; in {{version}} they are tainted node-role.kubernetes.io/control-plane:NoSchedule, ' +
        'so DaemonSet pods will not run there. Add {{hint}} (keep the master toleration only for clusters older than 1.25).',
      wrongEffect:
        'this toleration names {{taintKey}} but only for effect {{effect}}; control-plane nodes are tainted with ' +
        'effect NoSchedule, so DaemonSet pods will not run there. Use effect: NoSchedule, or leave effect empty to tolerate every effect.',
    },
  },
  create(context) {
    if (context.isPatch || isPartialWorkload(context.object)) return {};
    // From the engine's one walk of the tolerations; an entry that is not a mapping stays a
    // hole, so indexes are those of the source list.
    const tolerations: Array<Fields<Toleration> | undefined> = [];
    return {
      toleration(node) {
        tolerations[node.index] = node.value;
      },
      'podSpec:exit'(node) {
        checkTolerations(context, node.value, node.path, tolerations);
      },
    };
  },
});

function checkTolerations(
  context: RuleContext,
  podSpec: Fields<PodSpec>,
  specPath: ObjectPath,
  tolerations: ReadonlyArray<Fields<Toleration> | undefined>,
): void {
  if (placementExcludesControlPlane(podSpec)) return;
  const taints = controlPlaneTaints(context.kubeVersion);
  const version = formatKubeVersion(context.kubeVersion);
  const missing = taints.filter(
    (taint) => !tolerations.some((toleration) => toleration && toleratesTaint(toleration, taint)),
  );
  for (const taint of missing) {
    const sameKey = tolerations.findIndex((toleration) => toleration?.key === taint.key);
    const masterOnly = tolerations.findIndex((toleration) => toleration && toleratesTaint(toleration, MASTER_TAINT));
    const toleration = tolerations[sameKey];
    if (toleration) {
      if (typeof toleration.effect === 'string' && toleration.effect !== taint.effect) {
        context.report({
          messageId: 'wrongEffect',
          data: { taintKey: taint.key, effect: toleration.effect },
          path: [...specPath, 'tolerations', sameKey, 'effect'],
          target: 'value',
        });
        continue;
      }
    }
    if (taint === CONTROL_PLANE_TAINT && masterOnly >= 0 && atLeast(context.kubeVersion, 25)) {
      context.report({
        messageId: 'legacyMasterOnly',
        data: { version, hint: TOLERATION_HINT },
        path: [...specPath, 'tolerations', masterOnly],
      });
      continue;
    }
    context.report({
      messageId: 'missing',
      data: {
        taint: `${taint.key}:${taint.effect}`,
        version,
        hint: `{key: ${taint.key}, operator: Exists, effect: NoSchedule}`,
        optOut: OPT_OUT_HINT,
      },
      path: [...specPath, 'tolerations'],
      target: 'key',
    });
  }
}

export default rule;
