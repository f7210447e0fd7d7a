/**
 * Cluster plumbing (CNI, CSI node and device plugins, service proxies, VIP agents) without
 * a system priority class: the scheduler preempts it for any higher-priority pod, the
 * kubelet may evict it under node pressure (only priority >= 2000000000 is critical), and
 * the pods of that node then lose their network, volumes or devices.
 */
import { createRule } from '../src/engine/rule.js';
import { asArray, asString } from '../src/kube.js';
import { isPartialWorkload } from '../src/engine/pod-spec.js';
import { plumbingSignal, type PlumbingSignal } from './node-workload/classify.js';

const SYSTEM_CLASSES = new Set(['system-node-critical', 'system-cluster-critical']);

/** What the DaemonSet is, and what breaks on its node without it. */
const PLUMBING: Record<PlumbingSignal, { what: string; breaks: string }> = {
  cni: { what: 'CNI', breaks: 'pod networking' },
  'csi-node': { what: 'CSI node plugin', breaks: 'volume mounts' },
  'device-plugin': { what: 'device plugin', breaks: 'device allocation' },
  'service-proxy': { what: 'service proxy', breaks: 'Service routing' },
  vip: { what: 'VIP agent', breaks: 'the virtual IP it holds' },
};

interface Options {
  /** Priority class names accepted besides the system ones (a cluster's own high class, deliberately chosen). */
  allowClasses: string[];
}

const rule = createRule<Options>({
  meta: {
    id: 'node-agent-priority',
    severity: 'warn',
    type: 'suggestion',
    description: 'Cluster-plumbing DaemonSets (CNI, CSI node, device plugin, service proxy, VIP agent) need priorityClassName system-node-critical.',
    rationale:
      'Pods without a system priority class are preempted by the scheduler for higher-priority pods and may be evicted ' +
      'by the kubelet under node pressure: only priority 2000000000 and above (system-cluster-critical, ' +
      'system-node-critical) is critical, and user-defined classes stop at 1000000000. When a CNI agent, CSI node ' +
      'plugin, device plugin, service proxy or VIP agent goes, the other pods of its node lose their network, volumes, ' +
      'devices or address. Static pods are exempt: the kubelet treats them as critical.',
    kinds: ['DaemonSet'],
    schema: {
      type: 'object',
      properties: { allowClasses: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true } },
      additionalProperties: false,
    },
    defaultOptions: { allowClasses: [] },
    messages: {
      missing:
        'This {{what}} DaemonSet has no priorityClassName, so its pods are among the first preempted or evicted under ' +
        'node pressure, which breaks {{breaks}} on the node. Set priorityClassName: system-node-critical.',
      notCritical:
        'priorityClassName {{name}} is not a system class (user-defined classes are at most 1000000000, below the ' +
        '2000000000 the kubelet treats as critical), so this {{what}} DaemonSet can still be evicted under node ' +
        'pressure, which breaks {{breaks}} on the node. Use system-node-critical, or list {{name}} in allowClasses.',
    },
  },
  create(context) {
    if (context.isPatch || isPartialWorkload(context.object)) return {};
    return {
      podSpec({ value: podSpec, path }) {
        const signal = plumbingSignal(podSpec);
        if (!signal) return;
        const name = asString(podSpec.priorityClassName) ?? '';
        const allowed = asArray(context.options.allowClasses);
        if (SYSTEM_CLASSES.has(name) || allowed.includes(name)) return;
        if (name === '') {
          // A priority set without a class must equal the default class's (admission): left to the API server.
          if (podSpec.priority !== undefined && podSpec.priority !== null) return;
          context.report({ messageId: 'missing', data: PLUMBING[signal], path, target: 'key' });
          return;
        }
        context.report({ messageId: 'notCritical', data: { ...PLUMBING[signal], name }, path: [...path, 'priorityClassName'], target: 'key' });
      },
    };
  },
});

export default rule;
