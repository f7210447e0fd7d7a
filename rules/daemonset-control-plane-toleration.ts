/**
 * kubeadm taints control-plane nodes, and the DaemonSet controller adds no toleration for
 * that taint, so a DaemonSet meant for every node silently skips control-plane nodes.
 * Which taint a control-plane node carries depends on the Kubernetes version (KEP-2067).
 * Only node agents are reported by default: a device or CSI plugin serves workloads, and
 * no workloads run on the control plane (see ./node-workload/classify.ts).
 */
import { createRule } from '../src/engine/rule.js';
import type { NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { asArray, asObject, asString, fieldsOf, type Fields } from '../src/kube.js';
import { isPartialWorkload, podSpecOf } from '../src/engine/pod-spec.js';
import { atLeast, formatKubeVersion } from '../src/kube-version.js';
import type { KubeVersion } from '../src/types.js';
import { podRole } from './node-workload/classify.js';
import { addTolerations } from '../src/fix/edits.js';

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
 * Labels that mark worker-only placement even where the rule would otherwise not trust
 * them: managed clouds' node-pool labels (EKS, GKE and AKS run the control plane outside
 * the cluster, so no control-plane Node exists), kubelint's worker role, and the user's
 * `workerOnlyLabels` (`key` or `key=value`).
 */
const WORKER_ONLY_PREFIXES = ['eks.amazonaws.com/', 'cloud.google.com/gke-', 'kubernetes.azure.com/'];
const WORKER_ONLY_KEYS = new Set(['agentpool', 'node-role.kubernetes.io/worker']);

function workerOnly(key: string, operator: string, values: readonly unknown[], extra: readonly string[]): boolean {
  // NotIn / DoesNotExist on a provider label admits nodes without it: not provider-only.
  if (operator !== 'In' && operator !== 'Exists') return false;
  if (WORKER_ONLY_KEYS.has(key) || WORKER_ONLY_PREFIXES.some((prefix) => key.startsWith(prefix))) return true;
  return extra.some((label) => {
    const equals = label.indexOf('=');
    if (equals < 0) return label === key;
    const value = label.slice(equals + 1);
    return label.slice(0, equals) === key && operator === 'In' && values.length > 0 && values.every((item) => String(item) === value);
  });
}

/**
 * Whether a node-selector requirement keeps pods off control-plane nodes: an explicit
 * DoesNotExist/NotIn on the control-plane role, or a requirement that a label a
 * control-plane node does not carry (a worker role, GPU or hardware label) be present.
 */
function requirementExcludesControlPlane(key: string, operator: string, values: readonly unknown[], extra: readonly string[]): boolean {
  if (isRoleLabel(key)) return operator === 'DoesNotExist' || operator === 'NotIn';
  if (workerOnly(key, operator, values, extra)) return true;
  // The control plane runs only on Linux: a Windows-only selector never lands there.
  if (OS_LABEL.test(key) && operator === 'In') return values.length > 0 && values.every((value) => value === 'windows');
  if (UNIVERSAL_LABEL.test(key)) return false;
  return operator === 'In' || operator === 'Exists' || operator === 'Gt' || operator === 'Lt';
}

/** A requirement that a node carry a control-plane role label (kubeadm's, or the legacy one). */
function requirementTargetsControlPlane(key: string, operator: string): boolean {
  return isRoleLabel(key) && (operator === 'In' || operator === 'Exists');
}

function requiredTerms(podSpec: Fields<PodSpec>): Array<Fields<NodeSelectorRequirement>[]> {
  const nodeAffinity = fieldsOf<NodeAffinity>(asObject(podSpec.affinity)?.nodeAffinity);
  const required = fieldsOf<NodeSelector>(nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  return asArray(required?.nodeSelectorTerms)
    .flatMap((term) => fieldsOf<NodeSelectorTerm>(term) ?? [])
    .map((term) => asArray(term.matchExpressions).flatMap((expression) => fieldsOf<NodeSelectorRequirement>(expression) ?? []));
}

type Requirement = (key: string, operator: string, values: readonly unknown[]) => boolean;

/** nodeSelector entries are ANDed, required terms ORed, expressions within a term ANDed. */
function placementRequires(podSpec: Fields<PodSpec>, test: Requirement): boolean {
  const nodeSelector = asObject(podSpec.nodeSelector) ?? {};
  if (Object.entries(nodeSelector).some(([key, value]) => test(key, 'In', [value]))) return true;
  const terms = requiredTerms(podSpec);
  return (
    terms.length > 0 &&
    terms.every((term) =>
      term.some((expression) => test(String(expression.key ?? ''), String(expression.operator ?? ''), asArray(expression.values))),
    )
  );
}

export function placementExcludesControlPlane(podSpec: Fields<PodSpec>, workerOnlyLabels: readonly string[] = []): boolean {
  return placementRequires(podSpec, (key, operator, values) => requirementExcludesControlPlane(key, operator, values, workerOnlyLabels));
}

/** The DaemonSet selects only control-plane nodes: it is meant to run there (a VIP, a CCM). */
export function placementTargetsControlPlane(podSpec: Fields<PodSpec>): boolean {
  return placementRequires(podSpec, (key, operator) => requirementTargetsControlPlane(key, operator));
}

const SUGGEST_TOLERATION = 'Tolerate the control-plane taint, so that this DaemonSet runs on control-plane nodes too';

const TOLERATION_HINT = '{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}';

export interface ControlPlaneTolerationOptions {
  scope?: 'node-agents' | 'all';
  workerOnlyLabels?: string[];
}

function optionsOf(raw: Readonly<Record<string, unknown>>): { scope: 'node-agents' | 'all'; workerOnlyLabels: string[] } {
  const scope = raw.scope === 'all' ? 'all' : 'node-agents';
  const workerOnlyLabels = asArray(raw.workerOnlyLabels).filter((label): label is string => typeof label === 'string');
  return { scope, workerOnlyLabels };
}

const AGENT_WHAT: Record<string, string> = {
  logs: 'reads node logs',
  observes: 'observes the node',
  network: 'plumbs the node network',
  runtime: 'watches the container runtime',
};

const rule = createRule({
  meta: {
    id: 'daemonset-control-plane-toleration',
    severity: 'warn',
    type: 'problem',
    description:
      'A node agent DaemonSet should tolerate the control-plane taint, and one that selects control-plane nodes must.',
    rationale:
      'kubeadm (and most installers) taint control-plane nodes with node-role.kubernetes.io/control-plane:NoSchedule ' +
      '(node-role.kubernetes.io/master before 1.25, both in 1.24); this is kubeadm\'s convention, not core Kubernetes. ' +
      'The DaemonSet controller adds tolerations for not-ready, unreachable and pressure taints, never for this one, so ' +
      'a log shipper, CNI agent or node exporter without the toleration silently never runs on control-plane nodes. ' +
      'DaemonSets that serve workloads (device plugins, CSI node plugins) have no reason to run there and are not reported.',
    kinds: ['DaemonSet'],
    schema: {
      type: 'object',
      properties: {
        scope: {
          enum: ['node-agents', 'all'],
          description: 'node-agents: only DaemonSets whose pod spec shows a node agent; all: every DaemonSet.',
        },
        workerOnlyLabels: {
          type: 'array',
          items: { type: 'string' },
          description: 'Node labels (key or key=value) whose required selection means worker nodes only.',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { scope: 'node-agents', workerOnlyLabels: [] as string[] },
    messages: {
      missing:
        'This {{subject}} skips control-plane nodes: nothing tolerates the {{taint}} taint kubeadm puts there in {{version}}. ' +
        'The DaemonSet controller adds no such toleration: add {{hint}}, or say it stays off them with a required node ' +
        'affinity (node-role.kubernetes.io/control-plane DoesNotExist).',
      targetsNoToleration:
        'These pods run nowhere: the DaemonSet selects control-plane nodes but does not tolerate their {{taint}} taint ' +
        '(kubeadm\'s convention). Add {{hint}}.',
      legacyMasterOnly:
        'This toleration covers only the legacy node-role.kubernetes.io/master taint; since 1.25 kubeadm taints control-plane ' +
        'nodes node-role.kubernetes.io/control-plane:NoSchedule. In {{version}} these pods do not run there: add {{hint}} ' +
        '(keep the master toleration only for clusters older than 1.25).',
      wrongEffect:
        'This toleration names {{taintKey}} only for effect {{effect}}, but control-plane nodes are tainted NoSchedule, so ' +
        'these pods do not run there. Use effect: NoSchedule, or leave effect empty to tolerate every effect.',
    },
  },
  check(context) {
    if (context.isPatch || isPartialWorkload(context.object)) return;
    const { scope, workerOnlyLabels } = optionsOf(context.options);
    const found = podSpecOf(context.object);
    if (!found) return;
    const { value: podSpec, path: specPath } = found;
    if (placementExcludesControlPlane(podSpec, workerOnlyLabels)) return;
    // Pinned to control-plane nodes, it is meant to run there whatever it does.
    const targets = placementTargetsControlPlane(podSpec);
    const role = podRole(podSpec);
    if (!targets && scope === 'node-agents' && role.kind !== 'node-agent') return;
    const subject = role.kind === 'node-agent' ? `node agent (it ${AGENT_WHAT[role.signal]!})` : 'DaemonSet';
    const tolerations = asArray(podSpec.tolerations).map((item) => fieldsOf<Toleration>(item));
    const taints = controlPlaneTaints(context.kubeVersion);
    const version = formatKubeVersion(context.kubeVersion);
    const missing = taints.filter(
      (taint) => !tolerations.some((toleration) => toleration && toleratesTaint(toleration, taint)),
    );
    // The tolerations the fix adds: the taints not tolerated at all (a toleration of the
    // right key with the wrong effect is the user's to correct, and gets no fix).
    const reports: Array<{ report: Parameters<typeof context.report>[0]; taint: Taint }> = [];
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
        reports.push({
          taint,
          report: { messageId: 'legacyMasterOnly', data: { version, hint: TOLERATION_HINT }, path: [...specPath, 'tolerations', masterOnly] },
        });
        continue;
      }
      reports.push({
        taint,
        report: {
          messageId: targets ? 'targetsNoToleration' : 'missing',
          data: {
            taint: `${taint.key}:${taint.effect}`,
            version,
            subject,
            hint: `{key: ${taint.key}, operator: Exists, effect: NoSchedule}`,
          },
          path: [...specPath, 'tolerations'],
          target: 'key',
        },
      });
    }
    // Every report's edit adds all of them, so one pass fixes the object (the same edit twice is applied once).
    const edit = addTolerations(
      specPath,
      reports.map(({ taint }) => ({ key: taint.key, operator: 'Exists', effect: taint.effect })),
    );
    for (const { report } of reports) {
      // Safe as a fix where the DaemonSet already means to run on control-plane nodes: it
      // selects them (its pods run nowhere), or tolerates their legacy taint. For a node agent
      // that merely misses them, running there is a decision (more privileges on the nodes
      // that hold etcd and the cluster's keys): offered, never applied by --fix.
      context.report(
        report.messageId === 'missing'
          ? { ...report, suggest: [{ desc: SUGGEST_TOLERATION, fix: edit }] }
          : { ...report, fix: edit },
      );
    }
  },
});

export default rule;
