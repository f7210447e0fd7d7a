import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleTester } from '../helpers/rule-tester.js';
import { imageBasename } from '../../rules/static-pod-host-network.js';

const STATIC = 'etc/kubernetes/manifests/pod.yaml';

/** A static pod; `spec` lines go under `spec:` (line 6), before the container list. */
function staticPod(container: string, spec: string[] = []): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: p',
    '  namespace: kube-system',
    'spec:',
    ...spec.map((line) => `  ${line}`),
    '  containers:',
    `  - ${container}`,
    '',
  ].join('\n');
}

const APISERVER = '{name: kube-apiserver, image: registry.k8s.io/kube-apiserver:v1.30.0, command: [kube-apiserver, --etcd-servers=https://127.0.0.1:2379]}';

ruleTester('static-pod-host-network', {
  valid: [
    { name: 'kubeadm API server with hostNetwork', filename: STATIC, code: staticPod(APISERVER, ['hostNetwork: true']) },
    { name: 'YAML 1.1 True is true', filename: STATIC, code: staticPod(APISERVER, ['hostNetwork: True']) },
    { name: 'a static pod that is not control plane', filename: STATIC, code: staticPod('{name: web, image: nginx:1.27}') },
    { name: 'an API server Pod outside a static pod directory', filename: 'manifests/apiserver.yaml', code: staticPod(APISERVER) },
    {
      name: 'the kubelet reads only the first document',
      filename: STATIC,
      code: `${staticPod(APISERVER, ['hostNetwork: true'])}---\n${staticPod('{name: etcd, image: registry.k8s.io/etcd:3.5.9-0}')}`,
      engine: { rules: { 'static-pod-manifest': 'off' } },
    },
    { name: 'etcd-empty-dir-cleanup is not etcd', filename: STATIC, code: staticPod('{name: c, image: k8s.gcr.io/etcd-empty-dir-cleanup:3.2.18.0}') },
  ],
  invalid: [
    {
      name: 'API server without hostNetwork: at the spec key',
      filename: STATIC,
      code: staticPod(APISERVER),
      errors: [{ messageId: 'podNetwork', severity: 1, line: 6, column: 1, endColumn: 5, message: 'This control-plane static pod (the API server) does not use hostNetwork' }],
    },
    {
      name: 'etcd with hostNetwork: false: at the value',
      filename: STATIC,
      code: staticPod('{name: etcd, image: "registry.k8s.io/etcd:3.5.9-0"}', ['hostNetwork: false']),
      errors: [{ messageId: 'podNetwork', line: 7, column: 16, message: '(etcd)' }],
    },
    {
      name: 'hyperkube running the controller manager',
      filename: STATIC,
      code: staticPod('{name: kcm, image: gcr.io/google_containers/hyperkube-amd64:v1.9.0, command: [/hyperkube, controller-manager]}'),
      errors: [{ messageId: 'podNetwork', line: 6, column: 1, message: 'the controller manager' }],
    },
    {
      name: 'a custom image whose command is the scheduler binary',
      filename: STATIC,
      code: staticPod('{name: s, image: example.com/k8s:1, command: [/usr/local/bin/kube-scheduler]}'),
      errors: [{ messageId: 'podNetwork', line: 6, column: 1, message: 'the scheduler' }],
    },
    {
      name: 'a KMS plugin published under a kms/ path',
      filename: STATIC,
      code: staticPod('{name: azure-kms-provider, image: mcr.microsoft.com/oss/azure/kms/keyvault:v0.5.0}'),
      errors: [{ messageId: 'podNetwork', line: 6, column: 1, message: 'a KMS plugin' }],
    },
    {
      name: 'a VIP in front of the API servers',
      filename: STATIC,
      code: staticPod('{name: vip, image: "ghcr.io/kube-vip/kube-vip:v0.8.0@sha256:0123", args: [manager]}'),
      errors: [{ messageId: 'podNetwork', line: 6, column: 1, message: 'API-server VIP (kube-vip)' }],
    },
    {
      name: 'an unknown image that mounts the control-plane PKI',
      filename: STATIC,
      code: staticPod('{name: x, image: example.com/x:1}', ['volumes: [{name: pki, hostPath: {path: /etc/kubernetes/pki/}}]']),
      errors: [{ messageId: 'podNetwork', line: 6, column: 1, message: 'a pod that mounts /etc/kubernetes/pki' }],
    },
  ],
});

test('imageBasename drops registry, tag, digest and architecture suffix', () => {
  assert.equal(imageBasename('registry.k8s.io/kube-apiserver-amd64:v1.30.0@sha256:abc'), 'kube-apiserver');
  assert.equal(imageBasename('localhost:5000/etcd'), 'etcd');
  assert.equal(imageBasename('/usr/local/bin/kube-scheduler'), 'kube-scheduler');
  assert.equal(imageBasename('HAProxy:2.9'), 'haproxy');
});
