/**
 * A DaemonSet that surges (maxSurge > 0) starts the new pod on a node before the old one
 * stops. If the pods hold a host port, the scheduler's NodePorts filter keeps the new pod
 * Pending ("node(s) didn't have free ports for the requested pod ports") while the old one
 * holds the port, and the old one is only deleted once the new one is available: the
 * rollout stalls on the first node. KEP-1591 calls this user error; validation does not
 * reject it (ValidateRollingUpdateDaemonSet).
 */
import { createRule } from '../src/engine/rule.js';
import type { DaemonSetSpec, DaemonSetUpdateStrategy, RollingUpdateDaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Container, ContainerPort } from 'kubernetes-types/core/v1.js';
import { asArray, fieldsOf } from '../src/kube.js';
import { atLeast } from '../src/kube-version.js';
import type { ObjectPath } from '../src/types.js';

/** maxSurge as the controller reads it: an int, or a percentage rounded up to at least 1. */
export function surges(value: unknown): boolean {
  if (typeof value === 'number') return value > 0;
  if (typeof value !== 'string') return false;
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
  return percent !== null && Number(percent[1]) > 0;
}

const rule = createRule({
  meta: {
    id: 'daemonset-surge-host-port',
    severity: 'warn',
    type: 'problem',
    description: 'A DaemonSet rolling update with maxSurge whose pods use a host port: the surge pod cannot be scheduled and the rollout stalls.',
    rationale:
      'With maxSurge the DaemonSet controller creates the new pod on a node before it deletes the old one, and deletes ' +
      'the old one only when the new one is available. A pod holding a hostPort (or, with hostNetwork, any declared ' +
      'containerPort, which becomes its hostPort) blocks the new pod in the scheduler (NodePorts: "node(s) didn\'t have ' +
      'free ports for the requested pod ports"), so the update never gets past the first node. Validation does not ' +
      'reject the combination (KEP-1591 planned to, but did not).',
    kinds: ['DaemonSet'],
    messages: {
      stalls:
        'With maxSurge the new pod starts before the old one stops, but both need host port {{port}} on the same node, so ' +
        'the new pod stays Pending and the rollout stalls. Use maxUnavailable instead (maxSurge: 0, maxUnavailable: 1).',
    },
  },
  create(context) {
    // DaemonSetUpdateSurge: beta and on by default from 1.22 (GA 1.25); before, maxSurge is dropped.
    if (!atLeast(context.kubeVersion, 22)) return {};
    const spec = fieldsOf<DaemonSetSpec>(context.object.spec);
    const strategy = fieldsOf<DaemonSetUpdateStrategy>(spec?.updateStrategy);
    if (strategy?.type !== undefined && strategy.type !== 'RollingUpdate') return {};
    const rollingUpdate = fieldsOf<RollingUpdateDaemonSet>(strategy?.rollingUpdate);
    if (!rollingUpdate || !surges(rollingUpdate.maxSurge)) return {};
    return {
      podSpec({ value: podSpec, path: specPath }) {
        // The scheduler counts the ports of regular containers only (NodePorts getContainerPorts).
        let claim: { port: number; path: ObjectPath } | undefined;
        asArray(podSpec.containers).forEach((item, c) => {
          asArray(fieldsOf<Container>(item)?.ports).forEach((portItem, i) => {
            if (claim) return;
            const port = fieldsOf<ContainerPort>(portItem);
            const path: ObjectPath = [...specPath, 'containers', c, 'ports', i];
            if (typeof port?.hostPort === 'number' && port.hostPort > 0) claim = { port: port.hostPort, path: [...path, 'hostPort'] };
            // With hostNetwork, Pods get hostPort := containerPort by defaulting.
            else if (podSpec.hostNetwork === true && typeof port?.containerPort === 'number' && port.containerPort > 0) {
              claim = { port: port.containerPort, path: [...path, 'containerPort'] };
            }
          });
        });
        if (!claim) return;
        context.report({
          messageId: 'stalls',
          data: { port: claim.port },
          path: ['spec', 'updateStrategy', 'rollingUpdate', 'maxSurge'],
          target: 'value',
          related: [{ path: claim.path, target: 'value', message: `host port ${claim.port} is claimed here` }],
        });
      },
    };
  },
});

export default rule;
