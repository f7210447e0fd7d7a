import { daemonSet, ruleTester, staticPod } from '../helpers/rule-tester.js';

/** A DaemonSet whose pod spec (the `spec:` key on line 9, column 5) mounts `path`; `podSpec` lines follow from line 10. */
function mounting(path: string, podSpec: string[] = [], containers?: string[]): string {
  return daemonSet({ podSpec: [...podSpec, `volumes: [{name: v, hostPath: {path: '${path}'}}]`], ...(containers ? { containers } : {}) });
}

const vip = ['- {name: vip, image: ghcr.io/kube-vip/kube-vip:v0.8.0, securityContext: {capabilities: {add: [NET_ADMIN, NET_RAW]}}}'];

ruleTester('node-agent-priority', {
  valid: [
    { name: 'a CNI agent with system-node-critical', code: mounting('/etc/cni/net.d', ['priorityClassName: system-node-critical']) },
    { name: 'a CSI node plugin with system-cluster-critical', code: mounting('/var/lib/kubelet/plugins_registry', ['priorityClassName: system-cluster-critical']) },
    {
      name: 'a class the configuration allows',
      code: mounting('/var/lib/kubelet/device-plugins', ['priorityClassName: gpu-critical']),
      options: { allowClasses: ['gpu-critical'] },
    },
    { name: 'a log shipper is not plumbing', code: mounting('/var/log') },
    { name: 'kubelet pod dirs alone are not a plugin', code: mounting('/var/lib/kubelet/pods') },
    { name: 'xtables.lock without hostNetwork changes no host iptables', code: mounting('/run/xtables.lock') },
    {
      name: 'an IDS with hostNetwork and NET_ADMIN is not a VIP agent',
      code: daemonSet({ podSpec: ['hostNetwork: true'], containers: ['- {name: ids, image: jasonish/suricata:7, securityContext: {capabilities: {add: [NET_ADMIN]}}}'] }),
    },
    { name: 'a kube-vip image without hostNetwork holds no node address', code: daemonSet({ containers: vip }) },
    { name: 'a priority set without a class is left to admission', code: mounting('/opt/cni/bin', ['priority: 2000001000']) },
    {
      name: 'a static pod is critical for the kubelet whatever its priority',
      code: staticPod({ spec: ['hostNetwork: true', 'volumes: [{name: v, hostPath: {path: /etc/cni/net.d}}]'] }),
      filename: 'etc/kubernetes/manifests/cni.yaml',
    },
    {
      name: 'a partial DaemonSet (a kustomize patch) says nothing of its priority',
      code: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: cni}\nspec:\n  template:\n    spec:\n      volumes: [{name: v, hostPath: {path: /etc/cni/net.d}}]\n',
    },
  ],
  invalid: [
    {
      name: 'a CNI agent without a class: at the pod spec key',
      code: mounting('/opt/cni/bin'),
      errors: [{ messageId: 'missing', severity: 1, line: 9, column: 5, endLine: 9, endColumn: 9, message: 'This CNI DaemonSet has no priorityClassName' }],
    },
    {
      name: 'a CSI node plugin',
      code: mounting('/var/lib/kubelet/plugins_registry/'),
      errors: [{ messageId: 'missing', line: 9, column: 5, message: 'breaks volume mounts on the node' }],
    },
    {
      name: 'a Windows device plugin path',
      code: mounting('C:\\var\\lib\\kubelet\\device-plugins'),
      errors: [{ messageId: 'missing', line: 9, column: 5, message: 'This device plugin DaemonSet' }],
    },
    {
      name: 'a service proxy: hostNetwork and the xtables lock',
      code: mounting('/run/xtables.lock', ['hostNetwork: true']),
      errors: [{ messageId: 'missing', line: 9, column: 5, message: 'breaks Service routing' }],
    },
    {
      name: 'a VIP agent: kube-vip with hostNetwork and NET_ADMIN',
      code: daemonSet({ podSpec: ['hostNetwork: true'], containers: vip }),
      errors: [{ messageId: 'missing', line: 9, column: 5, message: 'This VIP agent DaemonSet' }],
    },
    {
      name: 'an empty class is no class',
      code: mounting('/var/lib/cni', ['priorityClassName: ""']),
      errors: [{ messageId: 'missing', line: 9, column: 5 }],
    },
    {
      name: 'a user-defined class is not critical: at the priorityClassName key',
      code: mounting('/var/lib/kubelet/plugins/csi.example.com', ['priorityClassName: csi-node-high']),
      errors: [{ messageId: 'notCritical', severity: 1, line: 10, column: 7, endLine: 10, endColumn: 24, message: 'priorityClassName csi-node-high is not a system class' }],
    },
    {
      name: 'allowClasses names other classes',
      code: mounting('/etc/cni/net.d', ['priorityClassName: cni-high']),
      options: { allowClasses: ['gpu-critical'] },
      errors: [{ messageId: 'notCritical', line: 10, column: 7 }],
    },
  ],
});
