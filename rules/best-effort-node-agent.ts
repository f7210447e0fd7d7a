/**
 * A pod with no cpu or memory request or limit anywhere is BestEffort (ComputePodQOS): its
 * usage always exceeds its (zero) requests, so node-pressure eviction takes it first among
 * pods of its priority, and the OOM killer's score for it is 1000. For a node agent (a
 * log shipper, an exporter, a CNI agent) that is the moment it is needed most.
 */
import { createRule } from '../src/engine/rule.js';
import type { DaemonSetSpec } from 'kubernetes-types/apps/v1.js';
import type { Container, PodSpec, PodTemplateSpec, ResourceRequirements } from 'kubernetes-types/core/v1.js';
import { asArray, asObject, fieldsOf, type Fields } from '../src/kube.js';
import { isPartialWorkload } from '../src/engine/pod-spec.js';
import { parseQuantity } from './api-validation/quantity.js';
import { podRole } from './node-workload/classify.js';

const AGENT_WHAT: Record<string, string> = {
  logs: 'reads node logs',
  observes: 'observes the node',
  network: 'plumbs the node network',
  runtime: 'watches the container runtime',
};

/** Only cpu and memory decide the QoS class, and only quantities above zero. */
function setsResources(resources: unknown): boolean {
  const fields = fieldsOf<ResourceRequirements>(resources);
  return [fields?.requests, fields?.limits].some((list) => {
    const quantities = asObject(list) ?? {};
    return ['cpu', 'memory'].some((name) => (parseQuantity(quantities[name]) ?? 0) > 0);
  });
}

export function isBestEffort(podSpec: Fields<PodSpec>): boolean {
  // Pod-level resources, when set, decide alone (PodLevelResources).
  if (asObject((podSpec as Record<string, unknown>).resources)) return !setsResources((podSpec as Record<string, unknown>).resources);
  // Ephemeral containers do not count; limits alone count (requests default to them).
  return !(['containers', 'initContainers'] as const).some((list) =>
    asArray(podSpec[list]).some((item) => setsResources(fieldsOf<Container>(item)?.resources)),
  );
}

const rule = createRule({
  meta: {
    id: 'best-effort-node-agent',
    severity: 'warn',
    type: 'suggestion',
    description: 'A node agent DaemonSet with no cpu or memory requests or limits (QoS BestEffort).',
    rationale:
      'With no requests and no limits a pod is BestEffort: any usage exceeds its requests, so under node pressure ' +
      'the kubelet evicts it before pods of the same priority that stay within theirs, and the OOM killer picks it ' +
      'first (oom_score_adj 1000). Node agents are needed most exactly then. system-node-critical pods are exempt: ' +
      'never evicted, and their OOM score is -997 whatever their QoS.',
    kinds: ['DaemonSet'],
    messages: {
      bestEffort:
        'This node agent (it {{what}}) sets no cpu or memory requests or limits, so its pods are BestEffort: first evicted ' +
        'under node pressure and first killed on OOM. Set resources.requests (cpu, memory) on each container.',
    },
  },
  check(context) {
    if (context.isPatch || isPartialWorkload(context.object)) return;
    const template = fieldsOf<PodTemplateSpec>(fieldsOf<DaemonSetSpec>(context.object.spec)?.template);
    const podSpec = fieldsOf<PodSpec>(template?.spec);
    if (!podSpec) return;
    if (podSpec.priorityClassName === 'system-node-critical') return;
    // Only node agents: a BestEffort demo app or labeller is the user's choice to make.
    const role = podRole(podSpec);
    if (role.kind !== 'node-agent') return;
    if (!isBestEffort(podSpec)) return;
    context.report({
      messageId: 'bestEffort',
      data: { what: AGENT_WHAT[role.signal]! },
      path: ['spec', 'template', 'spec', 'containers'],
      target: 'key',
    });
  },
});

export default rule;
