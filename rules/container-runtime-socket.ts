/**
 * Docker Engine is no longer a Kubernetes runtime (dockershim was removed in 1.24): most
 * nodes run containerd or CRI-O and have no /var/run/docker.sock. A hostPath of the Docker
 * socket with `type: Socket` (or `File`) makes the kubelet refuse the mount there.
 */
import { createRule } from '../src/engine/rule.js';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { fieldsOf, getIn } from '../src/kube.js';
import { podSpecPath } from '../src/engine/pod-spec.js';
import { atLeast } from '../src/kube-version.js';
import { hostPathsOf } from './node-workload/classify.js';

const DOCKER_PATHS = new Map([
  ['/var/run/docker.sock', 'the Docker Engine socket'],
  ['/run/docker.sock', 'the Docker Engine socket'],
  ['/var/run/dockershim.sock', 'the dockershim socket'],
  ['/run/dockershim.sock', 'the dockershim socket'],
  ['/usr/bin/docker', 'the Docker CLI'],
]);

const rule = createRule({
  meta: {
    id: 'container-runtime-socket',
    severity: 'error',
    type: 'problem',
    description: 'A hostPath of the Docker socket or binary, which containerd and CRI-O nodes do not have.',
    rationale:
      'Kubernetes removed dockershim in 1.24; nodes run containerd or CRI-O (Docker Engine only through cri-dockerd). ' +
      'A hostPath of /var/run/docker.sock with type Socket or File fails the mount where the path does not exist, ' +
      'so the pod never starts; without a type the pod starts and the agent finds no Docker.',
    kinds: ['DaemonSet', 'Pod'],
    messages: {
      typed:
        '{{path}} ({{what}}) exists only where Docker Engine runs, and with type: {{type}} the pod fails to start elsewhere ' +
        '("hostPath {{path}} doesn\'t exist"). Mount the CRI socket your nodes use: containerd /run/containerd/containerd.sock, ' +
        'CRI-O /var/run/crio/crio.sock (cri-dockerd /var/run/cri-dockerd.sock).',
      untyped:
        '{{path}} ({{what}}) exists only where Docker Engine runs; Kubernetes removed dockershim in 1.24, so on containerd ' +
        'or CRI-O nodes this mount finds no Docker. Mount the CRI socket your nodes use: containerd ' +
        '/run/containerd/containerd.sock, CRI-O /var/run/crio/crio.sock (cri-dockerd /var/run/cri-dockerd.sock).',
    },
  },
  check(context) {
    const specPath = podSpecPath(context.object.kind);
    if (!specPath) return;
    const podSpec = fieldsOf<PodSpec>(getIn(context.object, specPath));
    if (!podSpec) return;
    for (const mount of hostPathsOf(podSpec)) {
      const what = DOCKER_PATHS.get(mount.path);
      if (!what) continue;
      const checked = mount.type === 'Socket' || mount.type === 'File';
      const certain = checked && atLeast(context.kubeVersion, 24);
      context.report({
        messageId: checked ? 'typed' : 'untyped',
        data: { path: mount.path, what, type: mount.type },
        path: [...specPath, ...mount.at],
        target: 'value',
        ...(certain ? {} : { atMostWarning: true }),
      });
    }
  },
});

export default rule;
