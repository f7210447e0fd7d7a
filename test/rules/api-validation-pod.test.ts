/**
 * The kubelet's full pod validation (api-validation, rules/api-validation/pod-spec.ts): every
 * check has valid and invalid cases with exact positions. Static pod cases use the kubelet's
 * directory, so the message must say the file is skipped; DaemonSet cases say the API server
 * rejects the object.
 */
import { ruleTester } from '../helpers/rule-tester.js';

const STATIC = 'etc/kubernetes/manifests/pod.yaml';

/**
 * A static pod: `podLines` go under spec: from line 5, then the container list; the first
 * container's extra lines start at line 8 + podLines.length.
 */
export function pod(podLines: string[] = [], containerLines: string[] = [], extra: string[] = []): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p}',
    'spec:',
    ...podLines.map((line) => `  ${line}`),
    '  containers:',
    '  - name: a',
    '    image: a:1',
    ...containerLines.map((line) => `    ${line}`),
    ...extra.map((line) => `  ${line}`),
    '',
  ].join('\n');
}

const skipped = 'the kubelet skips this static pod file, so the pod never starts';

ruleTester('api-validation', {
  valid: [
    { name: 'a plain static pod', filename: STATIC, code: pod() },
    {
      name: 'mounts of defined volumes, distinct paths, a relative subPath',
      filename: STATIC,
      code: pod(
        ['volumes: [{name: data, hostPath: {path: /var/lib/x, type: DirectoryOrCreate}}, {name: tmp}]'],
        ['volumeMounts: [{name: data, mountPath: /data, subPath: a/b}, {name: tmp, mountPath: /tmp, mountPropagation: HostToContainer}]'],
      ),
    },
    {
      name: 'Bidirectional in a privileged container',
      filename: STATIC,
      code: pod(['volumes: [{name: d, hostPath: {path: /mnt}}]'], [
        'securityContext: {privileged: true}',
        'volumeMounts: [{name: d, mountPath: /mnt, mountPropagation: Bidirectional}]',
      ]),
    },
    {
      name: 'valid enums everywhere',
      filename: STATIC,
      code: pod(['dnsPolicy: ClusterFirstWithHostNet', 'preemptionPolicy: Never', 'restartPolicy: Always', 'os: {name: linux}'], [
        'imagePullPolicy: IfNotPresent',
        'terminationMessagePolicy: FallbackToLogsOnError',
        'ports: [{containerPort: 53, protocol: UDP, name: dns}, {containerPort: 9153, name: metrics}]',
        'securityContext: {seccompProfile: {type: RuntimeDefault}, procMount: Default}',
      ]),
    },
    {
      name: 'hostNetwork with hostPort equal to containerPort, and hostPort unset',
      filename: STATIC,
      code: pod(['hostNetwork: true'], ['ports: [{containerPort: 10250, hostPort: 10250}, {containerPort: 8080}]']),
    },
    {
      name: 'one probe handler each; lifecycle sleep',
      filename: STATIC,
      code: pod([], [
        'livenessProbe: {httpGet: {path: /healthz, port: 8080, scheme: HTTPS}, successThreshold: 1}',
        'readinessProbe: {tcpSocket: {port: 8080}, successThreshold: 3}',
        'lifecycle: {preStop: {sleep: {seconds: 5}}}',
      ]),
    },
    {
      name: 'requests at or below limits, quantities in every notation',
      filename: STATIC,
      code: pod([], ['resources: {requests: {cpu: 100m, memory: 1Gi}, limits: {cpu: "0.5", memory: 1073741824, nvidia.com/gpu: 1}}']),
    },
    {
      name: 'env names: strict ones, and a relaxed one from 1.32',
      filename: STATIC,
      code: pod([], ['env: [{name: LOG_LEVEL, value: info}, {name: "my key:1", value: x}, {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]']),
    },
    {
      name: 'a sidecar init container with a probe (1.29+)',
      filename: STATIC,
      code: pod(['initContainers: [{name: s, image: s, restartPolicy: Always, readinessProbe: {exec: {command: [true]}}}]']),
    },
    {
      name: 'dnsPolicy None with a nameserver; Localhost seccomp with a profile',
      filename: STATIC,
      code: pod(['dnsPolicy: None', 'dnsConfig: {nameservers: [10.0.0.10]}', 'securityContext: {seccompProfile: {type: Localhost, localhostProfile: p.json}}']),
    },
  ],
  invalid: [
    {
      name: 'a volumeMount naming no volume (the issue\'s example)',
      filename: STATIC,
      code: pod([], ['volumeMounts: [{name: data, mountPath: /data}]']),
      errors: [{ messageId: 'mountUnknownVolume', severity: 2, line: 8, column: 27, message: skipped }],
    },
    {
      name: 'the same check in a DaemonSet says the API server rejects it',
      code: [
        'apiVersion: apps/v1',
        'kind: DaemonSet',
        'metadata: {name: d}',
        'spec:',
        '  selector: {matchLabels: {a: b}}',
        '  template:',
        '    metadata: {labels: {a: b}}',
        '    spec:',
        '      tolerations: [{operator: Exists}]',
        '      containers: [{name: a, image: a, volumeMounts: [{name: nope, mountPath: /x}]}]',
        '',
      ].join('\n'),
      errors: [{ messageId: 'mountUnknownVolume', severity: 2, line: 10, column: 62, message: 'the API server rejects the DaemonSet' }],
    },
    {
      name: 'duplicate and malformed volume names',
      filename: STATIC,
      code: pod(['volumes:', '- {name: data, emptyDir: {}}', '- {name: data, emptyDir: {}}', '- {name: Data_1, emptyDir: {}}']),
      errors: [
        { messageId: 'duplicateVolume', severity: 2, line: 7, column: 12 },
        { messageId: 'volumeName', severity: 2, line: 8, column: 12 },
      ],
    },
    {
      name: 'a volume with two sources',
      filename: STATIC,
      code: pod(['volumes: [{name: v, emptyDir: {}, hostPath: {path: /x}}]']),
      errors: [{ messageId: 'volumeSources', severity: 2, line: 5, column: 37, message: 'more than 1 volume type' }],
    },
    {
      name: 'hostPath with .., an empty path, an unknown type',
      filename: STATIC,
      code: pod(['volumes:', '- {name: a, hostPath: {path: /var/../etc}}', '- {name: b, hostPath: {path: ""}}', '- {name: c, hostPath: {path: /x, type: socket}}']),
      errors: [
        { messageId: 'hostPathDotDot', severity: 2, line: 6, column: 32 },
        { messageId: 'hostPathEmpty', severity: 2, line: 7, column: 32 },
        { messageId: 'unsupported', severity: 2, line: 8, column: 42, message: 'type: Unsupported value: "socket"' },
      ],
    },
    {
      name: 'duplicate mountPath, empty mountPath',
      filename: STATIC,
      code: pod(['volumes: [{name: v, emptyDir: {}}]'], ['volumeMounts:', '- {name: v, mountPath: /d}', '- {name: v, mountPath: /d}', '- {name: v, mountPath: ""}']),
      errors: [
        { messageId: 'duplicateMountPath', severity: 2, line: 11, column: 28 },
        { messageId: 'mountPathEmpty', severity: 2, line: 12, column: 28 },
      ],
    },
    {
      name: 'subPath absolute, with .., and together with subPathExpr',
      filename: STATIC,
      code: pod(['volumes: [{name: v, emptyDir: {}}]'], [
        'volumeMounts:',
        '- {name: v, mountPath: /a, subPath: /abs}',
        '- {name: v, mountPath: /b, subPath: x/../..}',
        '- {name: v, mountPath: /c, subPath: x, subPathExpr: $(POD)}',
      ]),
      errors: [
        { messageId: 'subPathAbsolute', severity: 2, line: 10, column: 41 },
        { messageId: 'subPathDotDot', severity: 2, line: 11, column: 41 },
        { messageId: 'subPathExclusive', severity: 2, line: 12, column: 44 },
      ],
    },
    {
      name: 'Bidirectional without privileged; an unknown propagation',
      filename: STATIC,
      code: pod(['volumes: [{name: v, hostPath: {path: /mnt}}]'], [
        'volumeMounts:',
        '- {name: v, mountPath: /a, mountPropagation: Bidirectional}',
        '- {name: v, mountPath: /b, mountPropagation: Shared}',
      ]),
      errors: [
        { messageId: 'bidirectional', severity: 2, line: 10, column: 50, message: 'only to privileged containers' },
        { messageId: 'unsupported', severity: 2, line: 11, column: 50, message: '"None", "HostToContainer", "Bidirectional"' },
      ],
    },
    {
      name: 'recursiveReadOnly Enabled without readOnly (1.31+)',
      filename: STATIC,
      code: pod(['volumes: [{name: v, emptyDir: {}}]'], ['volumeMounts: [{name: v, mountPath: /a, recursiveReadOnly: Enabled}]']),
      errors: [{ messageId: 'recursiveReadOnly', severity: 2, line: 9, column: 64 }],
    },
    {
      name: 'recursiveReadOnly is not checked before 1.31 (the field is dropped)',
      filename: STATIC,
      kubeVersion: '1.30',
      code: pod(['volumes: [{name: v, emptyDir: {}}]'], ['volumeMounts: [{name: v, mountPath: /a, recursiveReadOnly: Bogus}]', 'image: " a"']),
      errors: [{ messageId: 'imageWhitespace', severity: 2, line: 10, column: 12 }],
    },
    {
      name: 'a container without image; an empty image',
      filename: STATIC,
      code: pod(['initContainers: [{name: i}]', 'ephemeralContainers: []'], [], ['- name: b', '  image: ""']),
      errors: [
        { messageId: 'imageRequired', severity: 2, line: 5, column: 21, message: 'container "i" has no image' },
        { messageId: 'imageRequired', severity: 2, line: 11, column: 12 },
      ],
    },
    {
      name: 'imagePullPolicy, terminationMessagePolicy and protocol typos',
      filename: STATIC,
      code: pod([], ['imagePullPolicy: Alwayz', 'terminationMessagePolicy: file', 'ports: [{containerPort: 80, protocol: tcp}]']),
      errors: [
        { messageId: 'unsupported', severity: 2, line: 8, column: 22, message: 'imagePullPolicy: Unsupported value: "Alwayz": supported values: "Always", "IfNotPresent", "Never"' },
        { messageId: 'unsupported', severity: 2, line: 9, column: 31 },
        { messageId: 'unsupported', severity: 2, line: 10, column: 43, message: '"TCP", "UDP", "SCTP"' },
      ],
    },
    {
      name: 'container restartPolicy: regular container, init value other than Always',
      filename: STATIC,
      code: pod(['initContainers: [{name: i, image: i, restartPolicy: Never}]'], ['restartPolicy: Always']),
      errors: [
        { messageId: 'unsupported', severity: 2, line: 5, column: 55, message: 'supported values: "Always"' },
        { messageId: 'containerRestartPolicy', severity: 2, line: 9, column: 5, message: 'regular containers' },
      ],
    },
    {
      name: 'a sidecar on 1.28 (SidecarContainers alpha, off)',
      filename: STATIC,
      kubeVersion: '1.28',
      code: pod(['initContainers: [{name: s, image: s, restartPolicy: Always}]']),
      errors: [{ messageId: 'sidecarTooNew', severity: 2, line: 5, column: 55 }],
    },
    {
      name: 'ports: out of range, bad and duplicate names',
      filename: STATIC,
      code: pod([], [
        'ports:',
        '- {containerPort: 0}',
        '- {containerPort: 70000, hostPort: 65536}',
        '- {containerPort: 81, name: Metrics}',
        '- {containerPort: 82, name: a-very-long-port-name}',
        '- {containerPort: 83, name: "8080"}',
        '- {containerPort: 84, name: web}',
        '- {containerPort: 85, name: web}',
      ]),
      errors: [
        { messageId: 'portRange', severity: 2, line: 9, column: 23 },
        { messageId: 'portRange', severity: 2, line: 10, column: 23 },
        { messageId: 'portRange', severity: 2, line: 10, column: 40 },
        { messageId: 'portName', severity: 2, line: 11, column: 33, message: 'lowercase' },
        { messageId: 'portName', severity: 2, line: 12, column: 33, message: '15 characters' },
        { messageId: 'portName', severity: 2, line: 13, column: 33, message: 'at least one letter' },
        { messageId: 'duplicatePortName', severity: 2, line: 15, column: 33 },
      ],
    },
    {
      name: 'the same hostPort twice across containers; hostNetwork hostPort mismatch',
      filename: STATIC,
      code: pod(['hostNetwork: true'], ['ports: [{containerPort: 80, hostPort: 8080}]'], ['- name: b', '  image: b', '  ports: [{containerPort: 8080, hostPort: 8080}]']),
      errors: [
        { messageId: 'hostNetworkPort', severity: 2, line: 9, column: 43 },
        { messageId: 'hostPortConflict', severity: 2, line: 12, column: 45 },
      ],
    },
    {
      name: 'env: bad names (strict before 1.32), value with valueFrom, two sources',
      filename: STATIC,
      kubeVersion: '1.31',
      code: pod([], [
        'env:',
        '- {name: 1ST, value: x}',
        '- {name: "A=B", value: x}',
        '- {name: A, value: x, valueFrom: {fieldRef: {fieldPath: metadata.name}}}',
        '- {name: B, valueFrom: {fieldRef: {fieldPath: metadata.name}, resourceFieldRef: {resource: limits.cpu}}}',
        '- {name: C, valueFrom: {}}',
      ]),
      errors: [
        { messageId: 'envName', severity: 2, line: 9, column: 14 },
        { messageId: 'envName', severity: 2, line: 10, column: 14 },
        { messageId: 'envValueAndFrom', severity: 2, line: 11, column: 27 },
        { messageId: 'envFromSources', severity: 2, line: 12, column: 67 },
        { messageId: 'envFromSources', severity: 2, line: 13, column: 17 },
      ],
    },
    {
      name: 'env: "=" is invalid even with the relaxed rule',
      filename: STATIC,
      code: pod([], ['env: [{name: "my key:1", value: x}, {name: "A=B", value: x}]']),
      errors: [{ messageId: 'envName', severity: 2, line: 8, column: 48 }],
    },
    {
      name: 'probes: no handler, two handlers, successThreshold, readiness grace period',
      filename: STATIC,
      code: pod([], [
        'livenessProbe: {periodSeconds: 5}',
        'readinessProbe: {exec: {command: [a]}, httpGet: {port: 80}, terminationGracePeriodSeconds: 5}',
        'startupProbe: {tcpSocket: {port: 80}, successThreshold: 2}',
        'lifecycle: {postStart: {}}',
      ]),
      errors: [
        { messageId: 'handlerCount', severity: 2, line: 8, column: 5, message: 'must specify a handler type' },
        { messageId: 'handlerCount', severity: 2, line: 9, column: 44, message: 'may not specify more than 1 handler type' },
        { messageId: 'readinessGrace', severity: 2, line: 9, column: 65 },
        { messageId: 'successThreshold', severity: 2, line: 10, column: 61 },
        { messageId: 'handlerCount', severity: 2, line: 11, column: 17, message: 'lifecycle.postStart' },
      ],
    },
    {
      name: 'probes and lifecycle on a plain init container; bad httpGet scheme',
      filename: STATIC,
      code: pod(['initContainers: [{name: i, image: i, livenessProbe: {exec: {command: [a]}}, lifecycle: {preStop: {exec: {command: [a]}}}}]'], [
        'readinessProbe: {httpGet: {port: 80, scheme: http}}',
      ]),
      errors: [
        { messageId: 'initProbe', severity: 2, line: 5, column: 40 },
        { messageId: 'initProbe', severity: 2, line: 5, column: 79 },
        { messageId: 'unsupported', severity: 2, line: 9, column: 50 },
      ],
    },
    {
      name: 'requests above limits; a malformed quantity; extended and hugepages resources',
      filename: STATIC,
      code: pod([], [
        'resources:',
        '  requests: {cpu: "2", memory: 2Gi, nvidia.com/gpu: 1, example.com/dongle: 1, hugepages-2Mi: 2Mi}',
        '  limits: {cpu: 500m, memory: 1.5Gi, nvidia.com/gpu: 2, hugepages-2Mi: 2Mi, ephemeral-storage: 1 GB}',
      ]),
      errors: [
        { messageId: 'requestAboveLimit', severity: 2, line: 9, column: 23, message: 'cpu request "2" must be less than or equal to the cpu limit "500m"' },
        { messageId: 'requestAboveLimit', severity: 2, line: 9, column: 36 },
        { messageId: 'requestNotLimit', severity: 2, line: 9, column: 57 },
        { messageId: 'limitRequired', severity: 2, line: 9, column: 60 },
        { messageId: 'badQuantity', severity: 2, line: 10, column: 100 },
      ],
    },
    {
      name: 'hugepages without cpu or memory',
      filename: STATIC,
      code: pod([], ['resources: {limits: {hugepages-1Gi: 2Gi}}']),
      errors: [{ messageId: 'hugePagesNeedCpuMemory', severity: 2, line: 8, column: 26 }],
    },
    {
      name: 'dnsPolicy typo, None without nameservers, too many nameservers and a non-IP one',
      filename: STATIC,
      code: pod(['dnsPolicy: clusterFirst']) + '---\n' + pod(['dnsPolicy: None']).replace('apiVersion', 'apiVersion'),
      errors: [
        { messageId: 'unsupported', severity: 2, line: 5, column: 14, message: '"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"' },
        { messageId: 'dnsNone', severity: 2, line: 14, column: 14 },
      ],
    },
    {
      name: 'dnsConfig limits',
      filename: STATIC,
      code: pod(['dnsConfig: {nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9, dns.example.com]}']),
      errors: [
        { messageId: 'dnsLimit', severity: 2, line: 5, column: 56 },
        { messageId: 'nameserverIp', severity: 2, line: 5, column: 56 },
      ],
    },
    {
      name: 'preemptionPolicy, os.name, fsGroupChangePolicy, topology spread and affinity operators',
      filename: STATIC,
      code: pod([
        'preemptionPolicy: never',
        'os: {name: Linux}',
        'securityContext: {fsGroupChangePolicy: onRootMismatch}',
        'topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotScheduled, nodeTaintsPolicy: honor}]',
        'affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: in, values: [b]}]}]}}}',
      ]),
      errors: [
        { messageId: 'unsupported', severity: 2, line: 5, column: 21 },
        { messageId: 'unsupported', severity: 2, line: 6, column: 14 },
        { messageId: 'unsupported', severity: 2, line: 7, column: 42 },
        { messageId: 'unsupported', severity: 2, line: 8, column: 82 },
        { messageId: 'unsupported', severity: 2, line: 8, column: 116 },
        { messageId: 'unsupported', severity: 2, line: 9, column: 137 },
      ],
    },
    {
      name: 'seccomp and appArmor profiles; procMount; allowPrivilegeEscalation with privileged',
      filename: STATIC,
      code: pod(['securityContext: {seccompProfile: {type: Localhost}, appArmorProfile: {type: RuntimeDefault, localhostProfile: x}}'], [
        'securityContext: {privileged: true, allowPrivilegeEscalation: false, seccompProfile: {type: runtime/default}, procMount: Masked}',
      ]),
      errors: [
        { messageId: 'localhostProfile', severity: 2, line: 5, column: 44, message: 'Required value' },
        { messageId: 'localhostProfile', severity: 2, line: 5, column: 96, message: 'can only be set when type is Localhost' },
        { messageId: 'privilegeEscalation', severity: 2, line: 9, column: 67, message: 'privileged to true' },
        { messageId: 'unsupported', severity: 2, line: 9, column: 97 },
        { messageId: 'unsupported', severity: 2, line: 9, column: 126 },
      ],
    },
    {
      name: 'allowPrivilegeEscalation false with CAP_SYS_ADMIN',
      filename: STATIC,
      code: pod([], ['securityContext: {allowPrivilegeEscalation: false, capabilities: {add: [CAP_SYS_ADMIN]}}']),
      errors: [{ messageId: 'privilegeEscalation', severity: 2, line: 8, column: 49, message: 'CAP_SYS_ADMIN' }],
    },
    {
      name: 'hostname, shareProcessNamespace with hostPID, nodeSelector labels, schedulingGates',
      filename: STATIC,
      code: pod(['hostname: My_Host', 'shareProcessNamespace: true', 'hostPID: true', 'nodeSelector: {"-bad": "x y"}', 'schedulingGates: [{name: g}]']),
      errors: [
        { messageId: 'hostnameLabel', severity: 2, line: 5, column: 13 },
        { messageId: 'shareProcessNamespace', severity: 2, line: 6, column: 26 },
        { messageId: 'nodeSelectorKey', severity: 2, line: 8, column: 18 },
        { messageId: 'nodeSelectorValue', severity: 2, line: 8, column: 26 },
        { messageId: 'schedulingGatesStatic', severity: 2, line: 9, column: 3 },
      ],
    },
  ],
});
