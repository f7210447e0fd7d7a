/**
 * A control-plane static pod (API server, etcd, controller manager, scheduler, a KMS plugin,
 * an API-server VIP or load balancer) without hostNetwork gets its network from the CNI
 * plugin. The CNI agents are DaemonSets: the API server stores them, the controller manager
 * creates their pods, the scheduler binds them, and they read their config from the API
 * server. On a fresh or rebooted control-plane node that is a bootstrap loop. kubeadm sets
 * hostNetwork: true on every control-plane static pod (staticpod.ComponentPod).
 */
import { createRule } from '../src/engine/rule.js';
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { asArray, asString, fieldsOf, type Fields } from '../src/kube.js';
import { hostPathsOf, isRunStaticPod } from './node-workload/classify.js';

/** Image or command basenames of the components the API server's availability depends on. */
const COMPONENTS: ReadonlyMap<string, string> = new Map([
  ['kube-apiserver', 'the API server'],
  ['etcd', 'etcd'],
  ['kube-controller-manager', 'the controller manager'],
  ['kube-scheduler', 'the scheduler'],
  ['konnectivity-server', 'the konnectivity server'],
  ['haproxy', 'an API-server load balancer (haproxy)'],
  ['keepalived', 'an API-server VIP (keepalived)'],
  ['kube-vip', 'an API-server VIP (kube-vip)'],
  ['lvscare', 'an API-server load balancer (lvscare)'],
  ['aws-encryption-provider', 'a KMS plugin'],
]);

/** hyperkube runs a component named by its first argument. */
const HYPERKUBE_COMPONENTS: ReadonlyMap<string, string> = new Map([
  ['apiserver', 'kube-apiserver'],
  ['kube-apiserver', 'kube-apiserver'],
  ['controller-manager', 'kube-controller-manager'],
  ['kube-controller-manager', 'kube-controller-manager'],
  ['scheduler', 'kube-scheduler'],
  ['kube-scheduler', 'kube-scheduler'],
]);

/** Host paths only the control plane mounts: its certificates, etcd's data. */
const CONTROL_PLANE_PATHS = ['/etc/kubernetes/pki', '/var/lib/etcd'];

const ARCH_SUFFIX = /-(amd64|arm64|arm|ppc64le|s390x)$/;

/** registry.k8s.io/kube-apiserver-amd64:v1.30.0@sha256:... -> kube-apiserver */
export function imageBasename(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const lastSegment = withoutDigest.split('/').pop()!;
  return lastSegment.split(':')[0]!.toLowerCase().replace(ARCH_SUFFIX, '');
}

function componentOf(container: Fields<Container>): string | undefined {
  const image = asString(container.image) ?? '';
  const command = asArray(container.command).filter((part): part is string => typeof part === 'string');
  const args = asArray(container.args).filter((part): part is string => typeof part === 'string');
  const executable = command[0] ? imageBasename(command[0]) : undefined;
  for (const name of [executable, imageBasename(image)]) {
    if (!name) continue;
    const component = COMPONENTS.get(name);
    if (component) return component;
    if (name === 'hyperkube') {
      const sub = HYPERKUBE_COMPONENTS.get([...command.slice(1), ...args][0] ?? '');
      if (sub) return COMPONENTS.get(sub);
    }
    if (name.includes('kms')) return 'a KMS plugin';
  }
  if (image.includes('/kas-network-proxy/proxy-server')) return 'the konnectivity server';
  // KMS plugins are often published under a kms/ path (mcr.microsoft.com/oss/azure/kms/keyvault).
  if (image.toLowerCase().split('@')[0]!.split('/').slice(0, -1).some((segment) => segment.includes('kms'))) return 'a KMS plugin';
  return undefined;
}

/** What makes a pod spec control plane, for the message; undefined when it is not. */
export function controlPlaneComponent(podSpec: Fields<PodSpec>): string | undefined {
  for (const list of ['containers', 'initContainers'] as const) {
    for (const item of asArray(podSpec[list])) {
      const container = fieldsOf<Container>(item);
      const component = container && componentOf(container);
      if (component) return component;
    }
  }
  const mount = hostPathsOf(podSpec).find(({ path }) => CONTROL_PLANE_PATHS.some((root) => path === root || path.startsWith(`${root}/`)));
  return mount && `a pod that mounts ${mount.path}`;
}

const rule = createRule({
  meta: {
    id: 'static-pod-host-network',
    severity: 'warn',
    type: 'problem',
    description: 'A control-plane static pod (API server, etcd, KMS plugin, VIP) without hostNetwork: true.',
    rationale:
      'Without hostNetwork a pod gets its network from the CNI plugin, whose agents are DaemonSets that the API server ' +
      'stores, the controller manager creates, the scheduler binds and that read their config from the API server. A ' +
      'control-plane static pod on the pod network therefore cannot start on a fresh or rebooted control-plane node until ' +
      'the CNI runs, and the CNI cannot run until it does. kubeadm sets hostNetwork: true on every control-plane static pod.',
    kinds: ['Pod'],
    messages: {
      podNetwork:
        'This control-plane static pod ({{component}}) does not use hostNetwork, so its network comes from the CNI plugin, ' +
        'which needs the API server to start. Set hostNetwork: true, as kubeadm does for its control-plane pods.',
    },
  },
  create(context) {
    if (!isRunStaticPod(context)) return {};
    return {
      podSpec({ value: podSpec, path }) {
        if (podSpec.hostNetwork === true) return;
        const component = controlPlaneComponent(podSpec);
        if (!component) return;
        const explicit = podSpec.hostNetwork !== undefined;
        context.report({
          messageId: 'podNetwork',
          data: { component },
          path: explicit ? [...path, 'hostNetwork'] : path,
          target: explicit ? 'value' : 'key',
        });
      },
    };
  },
});

export default rule;
