import { ruleTester, yaml } from '../helpers/rule-tester.js';
import { DEFAULT_STATIC_POD_GLOBS, StaticPodMatcher } from '../../src/discover/static-pods.js';

const STATIC = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const POD = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: kube-apiserver
  spec:
    containers: [{name: a, image: a}]
`;

ruleTester('static-pod-manifest', {
  valid: [
    { name: 'one named Pod', filename: STATIC, code: POD },
    { name: 'a file with no extension (the kubelet has no extension filter)', filename: 'etc/kubernetes/manifests/etcd', code: POD },
    { name: 'comments and an empty document before the Pod', filename: STATIC, code: `# generated\n---\n${POD}` },
    { name: 'a trailing --- adds no document', filename: STATIC, code: `${POD}---\n` },
    { name: 'not a static pod directory', filename: 'manifests/two.yaml', code: `${POD}---\n${POD}` },
    { name: 'without --static-pod-path, other directories are not static pods', filename: 'nodes/edge/pods/agent.yaml', code: `${POD}---\n${POD}` },
    { name: 'dotfiles in the static pod directory are skipped by the kubelet', filename: 'etc/kubernetes/manifests/.old.yaml', code: 'kind: Service\n' },
  ],
  invalid: [
    {
      name: 'a second document is silently ignored by the kubelet',
      filename: STATIC,
      code: `${POD}---\n${POD}`,
      errors: [{ messageId: 'extraDocument', severity: 2, line: 9, column: 7, endColumn: 10 }],
    },
    {
      name: 'a kind other than Pod',
      filename: 'host/etc/kubernetes/manifests/ds.yaml',
      code: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\n',
      errors: [{ messageId: 'notPod', severity: 2, line: 2, column: 7, message: 'a DaemonSet' }],
    },
    {
      name: 'a List is not a Pod, reported once at its kind',
      filename: STATIC,
      code: 'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Pod, metadata: {name: a}}\n  - {apiVersion: v1, kind: Pod, metadata: {name: b}}\n',
      errors: [{ messageId: 'notPod', severity: 2, line: 2, column: 7, message: 'a List' }],
    },
    {
      name: 'missing metadata.name, reported at metadata',
      filename: STATIC,
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: kube-system\nspec: {containers: [{name: a, image: a}]}\n',
      errors: [{ messageId: 'missingName', severity: 2, line: 3, column: 1 }],
    },
    {
      name: 'generateName is not enough',
      filename: 'srv/static-pods/x.yaml',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {generateName: x-}\nspec: {containers: [{name: a, image: a}]}\n',
      errors: [{ messageId: 'missingName', severity: 2, line: 3, column: 1 }],
    },
    {
      name: '--static-pod-path adds globs',
      filename: 'nodes/edge/pods/agent.yaml',
      engine: { staticPods: new StaticPodMatcher([...DEFAULT_STATIC_POD_GLOBS, 'nodes/*/pods/*'], '/project') },
      code: `${POD}---\n${POD}`,
      errors: [{ severity: 2, line: 9, column: 7 }],
    },
  ],
});
