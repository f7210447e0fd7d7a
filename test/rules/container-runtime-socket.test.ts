import { ruleTester } from '../helpers/rule-tester.js';

/** A DaemonSet with one hostPath volume; its `path` value starts at line 11, column 41. */
function daemonSet(hostPath: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata: {name: agent}',
    'spec:',
    '  selector: {matchLabels: {app: agent}}',
    '  template:',
    '    metadata: {labels: {app: agent}}',
    '    spec:',
    '      containers: [{name: agent, image: agent:1}]',
    '      volumes:',
    `        - {name: sock, hostPath: ${hostPath}}`,
    '',
  ].join('\n');
}

ruleTester('container-runtime-socket', {
  valid: [
    { name: 'the containerd socket', code: daemonSet('{path: /run/containerd/containerd.sock, type: Socket}') },
    { name: 'the CRI-O socket', code: daemonSet('{path: /var/run/crio/crio.sock, type: Socket}') },
    { name: 'the /var/run directory (agents probe several runtimes)', code: daemonSet('{path: /var/run}') },
    { name: 'Docker container logs are a directory, harmless on containerd', code: daemonSet('{path: /var/lib/docker/containers}') },
  ],
  invalid: [
    {
      name: 'docker.sock with type Socket: error at the path',
      code: daemonSet('{path: /var/run/docker.sock, type: Socket}'),
      errors: [{ messageId: 'typed', severity: 2, line: 11, column: 41, endColumn: 61, message: "hostPath /var/run/docker.sock doesn't exist" }],
    },
    {
      name: '/run/docker.sock with a trailing slash and type File',
      code: daemonSet("{path: '/run/docker.sock/', type: File}"),
      errors: [{ messageId: 'typed', severity: 2, line: 11, column: 41 }],
    },
    {
      name: 'typed, but before 1.24 Docker was still a runtime: warning',
      code: daemonSet('{path: /var/run/docker.sock, type: Socket}'),
      kubeVersion: '1.23',
      errors: [{ messageId: 'typed', severity: 1, line: 11, column: 41 }],
    },
    {
      name: 'docker.sock without a type: warning',
      code: daemonSet('{path: /var/run/docker.sock}'),
      errors: [{ messageId: 'untyped', severity: 1, line: 11, column: 41, message: 'containerd /run/containerd/containerd.sock' }],
    },
    {
      name: 'the Docker CLI',
      code: daemonSet('{path: /usr/bin/docker, type: File}'),
      errors: [{ messageId: 'typed', severity: 2, line: 11, column: 41, message: 'the Docker CLI' }],
    },
    {
      name: 'the dockershim socket',
      code: daemonSet('{path: /var/run/dockershim.sock, type: Socket}'),
      errors: [{ messageId: 'typed', severity: 2, line: 11, column: 41 }],
    },
    {
      name: 'a static pod',
      filename: 'etc/kubernetes/manifests/agent.yaml',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: agent, namespace: kube-system}\nspec:\n  containers: [{name: a, image: a:1}]\n  volumes: [{name: s, hostPath: {path: /var/run/docker.sock}}]\n',
      errors: [{ messageId: 'untyped', severity: 1, line: 6, column: 40 }],
    },
  ],
});
