/**
 * What a DaemonSet's pods do to the node they run on, read from the pod spec (never from
 * names): host paths, host namespaces, capabilities. Rules use it to tell node agents
 * (they must run on every node, control-plane ones included) from DaemonSets that serve
 * workloads (device plugins, CSI node plugins: no workloads run on the control plane).
 */
import type { Container, HostPathVolumeSource, PodSpec, Volume } from 'kubernetes-types/core/v1.js';
import { asArray, asObject, asString, fieldsOf, type Fields } from '../../src/kube.js';
import { CONTAINER_LISTS } from '../../src/engine/pod-spec.js';
import type { ObjectPath } from '../../src/types.js';
import type { RuleContext } from '../../src/engine/rule.js';

export interface HostPathMount {
  /** Normalised: forward slashes, no drive letter, no trailing slash. */
  readonly path: string;
  readonly type: string;
  /** Path of the volume's `hostPath.path` value, relative to the pod spec. */
  readonly at: ObjectPath;
}

/** Windows manifests write `C:\var\lib\kubelet\...`; compare them as the Linux paths they mirror. */
export function normaliseHostPath(path: string): string {
  const slashed = path.replace(/\\/g, '/').replace(/^[A-Za-z]:(?=\/)/, '');
  const trimmed = slashed.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.replace(/\/{2,}/g, '/');
}

/** Several rules ask about every pod: each pod spec's mounts are worked out once. */
const hostPathsMemo = new WeakMap<object, readonly HostPathMount[]>();

export function hostPathsOf(podSpec: Fields<PodSpec>): readonly HostPathMount[] {
  let paths = hostPathsMemo.get(podSpec);
  if (!paths) hostPathsMemo.set(podSpec, (paths = collectHostPaths(podSpec)));
  return paths;
}

function collectHostPaths(podSpec: Fields<PodSpec>): HostPathMount[] {
  return asArray(podSpec.volumes).flatMap((item, index) => {
    const hostPath = fieldsOf<HostPathVolumeSource>(fieldsOf<Volume>(item)?.hostPath);
    const path = asString(hostPath?.path);
    if (path === undefined) return [];
    return [{ path: normaliseHostPath(path), type: asString(hostPath?.type) ?? '', at: ['volumes', index, 'hostPath', 'path'] }];
  });
}

const under = (path: string, root: string) => path === root || path.startsWith(`${root}/`);

/** Device files a node agent reads without being about devices (NPD reads /dev/kmsg). */
const HARMLESS_DEVICES = new Set(['/dev/kmsg', '/dev/log', '/dev/null', '/dev/console']);

export type WorkloadSignal = 'device-plugin' | 'kubelet-plugin' | 'flexvolume' | 'feature-labeller' | 'devices';

/** Why a pod serves workloads: it hands devices or volumes to other pods through the kubelet. */
export function workloadSignal(paths: readonly HostPathMount[]): WorkloadSignal | undefined {
  for (const { path } of paths) {
    if (under(path, '/var/lib/kubelet/device-plugins')) return 'device-plugin';
    if (under(path, '/var/lib/kubelet/plugins_registry') || under(path, '/var/lib/kubelet/plugins')) return 'kubelet-plugin';
    if (under(path, '/usr/libexec/kubernetes/kubelet-plugins')) return 'flexvolume';
    // node-feature-discovery's local feature files: the pod labels nodes for workload scheduling.
    if (under(path, '/etc/kubernetes/node-feature-discovery')) return 'feature-labeller';
  }
  if (paths.some(({ path }) => (path === '/dev' || path.startsWith('/dev/')) && !HARMLESS_DEVICES.has(path))) return 'devices';
  return undefined;
}

export type AgentSignal = 'logs' | 'observes' | 'network' | 'runtime';

const LOG_PATHS = ['/var/log', '/var/lib/docker/containers', '/run/log/journal'];
const OBSERVE_PATHS = new Set(['/', '/proc', '/sys', '/sys/fs/cgroup', '/sys/fs/bpf', '/sys/kernel/security', '/sys/kernel/debug']);
export const CNI_PATHS = ['/etc/cni/net.d', '/opt/cni/bin', '/var/lib/cni', '/run/netns', '/var/run/netns', '/run/xtables.lock', '/var/run/xtables.lock'];
const RUNTIME_PATHS = new Set(['/var/run', '/run', '/run/containerd', '/var/run/containerd', '/var/run/crio', '/run/crio']);

function isNetworkAdmin(container: Fields<Container>): boolean {
  const securityContext = asObject(container.securityContext);
  if (securityContext?.privileged === true) return true;
  const add = asArray(asObject(securityContext?.capabilities)?.add);
  return add.some((capability) => typeof capability === 'string' && /^(CAP_)?NET_(ADMIN|RAW)$/i.test(capability));
}

/** Why a pod is a node agent: it reads the node's logs or state, or plumbs its network. */
export function agentSignal(podSpec: Fields<PodSpec>, paths: readonly HostPathMount[]): AgentSignal | undefined {
  if (paths.some(({ path }) => LOG_PATHS.some((root) => under(path, root)))) return 'logs';
  if (paths.some(({ path }) => OBSERVE_PATHS.has(path)) || podSpec.hostPID === true) return 'observes';
  if (paths.some(({ path }) => CNI_PATHS.includes(path) || path === '/lib/modules')) return 'network';
  // hostNetwork alone is no signal (ingress controllers and demo apps use it); with
  // network-admin rights the pod changes the node's network.
  if (podSpec.hostNetwork === true && CONTAINER_LISTS.some((list) => asArray(podSpec[list]).some((container) => { const fields = fieldsOf<Container>(container); return fields !== undefined && isNetworkAdmin(fields); }))) return 'network';
  if (paths.some(({ path }) => RUNTIME_PATHS.has(path) || (path.endsWith('.sock') && /(docker|containerd|crio|cri-dockerd)/.test(path)))) return 'runtime';
  return undefined;
}

export type PodRole =
  | { kind: 'serves-workloads'; signal: WorkloadSignal }
  | { kind: 'node-agent'; signal: AgentSignal }
  | { kind: 'unclassified' };

/**
 * Workload signals win: a CSI plugin or GPU labeller also mounts /sys or /proc, but device
 * and volume access is what it is for.
 */
export function podRole(podSpec: Fields<PodSpec>): PodRole {
  const paths = hostPathsOf(podSpec);
  const workload = workloadSignal(paths);
  if (workload) return { kind: 'serves-workloads', signal: workload };
  const agent = agentSignal(podSpec, paths);
  if (agent) return { kind: 'node-agent', signal: agent };
  return { kind: 'unclassified' };
}

/** What cluster plumbing a DaemonSet provides: other pods on its node stop working without it. */
export type PlumbingSignal = 'device-plugin' | 'csi-node' | 'cni' | 'service-proxy' | 'vip';

const CNI_DIRS = ['/etc/cni/net.d', '/opt/cni/bin', '/var/lib/cni', '/run/netns', '/var/run/netns'];
const XTABLES_LOCKS = new Set(['/run/xtables.lock', '/var/run/xtables.lock']);
/** VIP agents have no structure of their own (an IDS has the same hostNetwork and NET_ADMIN): image names, with that structure. */
const VIP_IMAGES = /(?:^|\/)(?:kube-vip|keepalived)(?::|@|$)/;

/**
 * Cluster plumbing, from what the pod mounts and does (the image only for VIP agents, and
 * only together with hostNetwork and network-admin rights): a device plugin or CSI node
 * plugin registers with the kubelet (device-plugins, plugins_registry, plugins dirs), a
 * CNI agent installs the node's CNI config or binaries, a service proxy edits iptables in
 * the host network namespace (xtables.lock), a VIP agent holds an address on the node.
 */
export function plumbingSignal(podSpec: Fields<PodSpec>): PlumbingSignal | undefined {
  const paths = hostPathsOf(podSpec).map(({ path }) => path);
  if (paths.some((path) => under(path, '/var/lib/kubelet/device-plugins'))) return 'device-plugin';
  if (paths.some((path) => under(path, '/var/lib/kubelet/plugins_registry') || under(path, '/var/lib/kubelet/plugins'))) return 'csi-node';
  if (paths.some((path) => CNI_DIRS.some((dir) => under(path, dir)))) return 'cni';
  if (podSpec.hostNetwork !== true) return undefined;
  if (paths.some((path) => XTABLES_LOCKS.has(path))) return 'service-proxy';
  const containers = CONTAINER_LISTS.flatMap((list) => asArray(podSpec[list]).flatMap((item) => fieldsOf<Container>(item) ?? []));
  if (containers.some((container) => isNetworkAdmin(container) && VIP_IMAGES.test(asString(container.image) ?? ''))) return 'vip';
  return undefined;
}

/**
 * The object is the pod the kubelet runs from a static pod file: the file's first document
 * (the kubelet reads no other; static-pod-manifest reports the rest), not an item of a List.
 */
export function isRunStaticPod(context: Pick<RuleContext, 'isStaticPodFile' | 'inList' | 'documentIndex' | 'firstNonEmptyDocumentIndex'>): boolean {
  return context.isStaticPodFile && !context.inList && context.documentIndex === context.firstNonEmptyDocumentIndex;
}
