import { ruleTester } from '../helpers/rule-tester.js';

const STATIC = 'etc/kubernetes/manifests/pod.yaml';

/** A static pod whose spec holds `specLines` from line 6 on (children of spec:). */
function staticPod(specLines: string[]): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: agent',
    'spec:',
    ...specLines.map((line) => `  ${line}`),
    '',
  ].join('\n');
}

const CONTAINER = ['containers:', '  - name: agent', '    image: agent:1'];

ruleTester('static-pod-api-reference', {
  valid: [
    {
      name: 'hostPath, emptyDir and downwardAPI volumes are node-local',
      filename: STATIC,
      code: staticPod([
        ...CONTAINER,
        'volumes:',
        '  - {name: a, hostPath: {path: /etc/x}}',
        '  - {name: b, emptyDir: {}}',
        '  - {name: c, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}',
        '  - {name: d, projected: {sources: [{downwardAPI: {items: []}}]}}',
        '  - {name: e, nfs: {server: nfs.local, path: /x}}',
      ]),
    },
    {
      name: 'env from fieldRef and plain values is fine',
      filename: STATIC,
      code: staticPod([...CONTAINER, '    env:', '      - {name: A, value: x}', '      - {name: B, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}']),
    },
    {
      name: 'an ordinary Pod outside a static pod directory may reference anything',
      filename: 'apps/pod.yaml',
      code: staticPod(['serviceAccountName: agent', ...CONTAINER]),
    },
    {
      name: 'an empty serviceAccountName is no reference',
      filename: STATIC,
      code: staticPod(['serviceAccountName: ""', ...CONTAINER]),
    },
    {
      name: 'later documents are ignored by the kubelet (static-pod-manifest reports them)',
      filename: STATIC,
      code: `${staticPod(CONTAINER)}---\n${staticPod(['serviceAccountName: agent', ...CONTAINER])}`,
    },
  ],
  invalid: [
    {
      name: 'serviceAccountName and the deprecated serviceAccount',
      filename: STATIC,
      code: staticPod(['serviceAccountName: agent', 'serviceAccount: agent', ...CONTAINER]),
      errors: [
        { messageId: 'refused', severity: 2, line: 6, column: 3, message: 'ServiceAccount "agent" at spec.serviceAccountName' },
        { messageId: 'refused', severity: 2, line: 7, column: 3, message: 'spec.serviceAccount:' },
      ],
    },
    {
      name: 'imagePullSecrets',
      filename: STATIC,
      code: staticPod(['imagePullSecrets:', '  - name: regcred', ...CONTAINER]),
      errors: [{ messageId: 'refused', severity: 2, line: 7, column: 7, message: 'Secret "regcred"' }],
    },
    {
      name: 'env secretKeyRef and configMapKeyRef, envFrom secretRef and configMapRef',
      filename: STATIC,
      code: staticPod([
        ...CONTAINER,
        '    env:',
        '      - name: A',
        '        valueFrom:',
        '          secretKeyRef: {name: s1, key: k}',
        '      - name: B',
        '        valueFrom:',
        '          configMapKeyRef: {name: c1, key: k}',
        '    envFrom:',
        '      - secretRef: {name: s2}',
        '      - configMapRef: {name: c2}',
      ]),
      errors: [
        { severity: 2, line: 12, column: 13, message: 'Secret "s1" at spec.containers[0].env[0].valueFrom.secretKeyRef' },
        { severity: 2, line: 15, column: 13, message: 'ConfigMap "c1"' },
        { severity: 2, line: 17, column: 11, message: 'Secret "s2" at spec.containers[0].envFrom[0].secretRef' },
        { severity: 2, line: 18, column: 11, message: 'ConfigMap "c2"' },
      ],
    },
    {
      name: 'initContainers and ephemeralContainers count too',
      filename: STATIC,
      code: staticPod([
        ...CONTAINER,
        'initContainers:',
        '  - name: init',
        '    image: init:1',
        '    envFrom: [{secretRef: {name: init-secret}}]',
        'ephemeralContainers:',
        '  - name: debug',
        '    image: busybox',
        '    env: [{name: X, valueFrom: {configMapKeyRef: {name: dbg, key: k}}}]',
      ]),
      errors: [
        { severity: 2, line: 12, column: 18, message: 'spec.initContainers[0].envFrom[0].secretRef' },
        { severity: 2, line: 16, column: 35, message: 'spec.ephemeralContainers[0].env[0].valueFrom.configMapKeyRef' },
      ],
    },
    {
      name: 'secret, configMap, persistentVolumeClaim, ephemeral, csi, glusterfs and azureFile volumes',
      filename: STATIC,
      code: staticPod([
        ...CONTAINER,
        'volumes:',
        '  - {name: a, secret: {secretName: s}}',
        '  - {name: b, configMap: {name: c}}',
        '  - {name: c, persistentVolumeClaim: {claimName: data}}',
        '  - {name: d, ephemeral: {volumeClaimTemplate: {spec: {}}}}',
        '  - {name: e, csi: {driver: csi.example.com}}',
        '  - {name: f, glusterfs: {endpoints: gluster, path: /v}}',
        '  - {name: g, azureFile: {secretName: az, shareName: s}}',
      ]),
      errors: [
        { severity: 2, line: 10, column: 17, message: 'Secret "s"' },
        { severity: 2, line: 11, column: 17, message: 'ConfigMap "c"' },
        { severity: 2, line: 12, column: 17, message: 'PersistentVolumeClaim "data"' },
        { severity: 2, line: 13, column: 17, message: 'a PersistentVolumeClaim' },
        { severity: 2, line: 14, column: 17, message: 'CSIDriver "csi.example.com"' },
        { severity: 2, line: 15, column: 17, message: 'Endpoints "gluster"' },
        { severity: 2, line: 16, column: 17, message: 'Secret "az"' },
      ],
    },
    {
      name: 'secretRef inside otherwise allowed volume types, and csi nodePublishSecretRef',
      filename: STATIC,
      code: staticPod([
        ...CONTAINER,
        'volumes:',
        '  - {name: a, cephfs: {monitors: [m], secretRef: {name: ceph}}}',
        '  - {name: b, cinder: {volumeID: v, secretRef: {name: cinder}}}',
        '  - {name: c, flexVolume: {driver: d, secretRef: {name: flex}}}',
        '  - {name: d, iscsi: {targetPortal: t, iqn: i, lun: 0, secretRef: {name: iscsi}}}',
        '  - {name: e, rbd: {monitors: [m], image: i, secretRef: {name: rbd}}}',
        '  - {name: f, scaleIO: {gateway: g, system: s, secretRef: {name: scaleio}}}',
        '  - {name: g, storageos: {volumeName: v, secretRef: {name: storageos}}}',
        '  - {name: h, csi: {driver: d, nodePublishSecretRef: {name: csi}}}',
      ]),
      errors: [
        { severity: 2, line: 10, column: 41, message: 'Secret "ceph" at spec.volumes[0].cephfs.secretRef' },
        { severity: 2, line: 11, column: 39, message: 'Secret "cinder"' },
        { severity: 2, line: 12, column: 41, message: 'Secret "flex"' },
        { severity: 2, line: 13, column: 58, message: 'Secret "iscsi"' },
        { severity: 2, line: 14, column: 48, message: 'Secret "rbd"' },
        { severity: 2, line: 15, column: 50, message: 'Secret "scaleio"' },
        { severity: 2, line: 16, column: 44, message: 'Secret "storageos"' },
        { severity: 2, line: 17, column: 17, message: 'CSIDriver "d"' },
        { severity: 2, line: 17, column: 34, message: 'Secret "csi" at spec.volumes[7].csi.nodePublishSecretRef' },
      ],
    },
    {
      name: 'projected secret, configMap, serviceAccountToken, clusterTrustBundle and podCertificate sources',
      filename: STATIC,
      code: staticPod([
        ...CONTAINER,
        'volumes:',
        '  - name: all-in-one',
        '    projected:',
        '      sources:',
        '        - secret: {name: s}',
        '        - configMap: {name: c}',
        '        - serviceAccountToken: {path: token}',
        '        - clusterTrustBundle: {name: bundle, path: ca.pem}',
        '        - podCertificate: {signerName: example.com/s, keyType: ED25519, credentialBundlePath: c.pem}',
        '        - downwardAPI: {items: []}',
      ]),
      errors: [
        { severity: 2, line: 13, column: 13, message: 'spec.volumes[0].projected.sources[0].secret' },
        { severity: 2, line: 14, column: 13, message: 'ConfigMap "c"' },
        { severity: 2, line: 15, column: 13, message: 'a ServiceAccount' },
        { severity: 2, line: 16, column: 13, message: 'ClusterTrustBundle "bundle"' },
        { severity: 2, line: 17, column: 13, message: 'a PodCertificateRequest' },
      ],
    },
    {
      name: 'resourceClaims',
      filename: STATIC,
      code: staticPod([...CONTAINER, 'resourceClaims:', '  - {name: gpu, resourceClaimName: gpu-claim}']),
      errors: [{ severity: 2, line: 10, column: 7, message: 'ResourceClaim "gpu-claim"' }],
    },
    {
      name: 'before 1.34 the mirror pod is rejected instead',
      filename: STATIC,
      kubeVersion: '1.33',
      code: staticPod(['serviceAccountName: agent', ...CONTAINER]),
      errors: [{ messageId: 'mirrorRejected', severity: 2, line: 6, column: 3, message: 'rejects its mirror pod' }],
    },
    {
      name: 'before 1.34 the kubelet already refused clusterTrustBundle projections and resourceClaims',
      filename: STATIC,
      kubeVersion: '1.32',
      code: staticPod([...CONTAINER, 'resourceClaims:', '  - {name: gpu, resourceClaimTemplateName: gpu}']),
      errors: [{ messageId: 'kubeletRejected', severity: 2, line: 10, column: 7 }],
    },
    {
      name: 'static pod globs: kubelet.d, static-pods and --static-pod-path',
      filename: 'nodes/worker/kubelet.d/agent.yaml',
      code: staticPod(['serviceAccountName: agent', ...CONTAINER]),
      errors: [{ severity: 2, line: 6, column: 3 }],
    },
    {
      name: 'a multi-document file with absolute lines: only the first document counts',
      filename: 'cluster/static-pods/deep/agent.yml',
      code: `# leading comment\n---\n${staticPod(['serviceAccountName: agent', ...CONTAINER])}`,
      errors: [{ severity: 2, line: 8, column: 3 }],
    },
  ],
});
