/**
 * What the API server itself warns about when a pod or a pod template is created
 * (pkg/api/pod/warnings.go, warningsForPodSpecAndMeta; pkg/api/node/util.go for the node
 * labels). Warnings never reject anything: kubectl prints them and applies the object, so
 * they scroll past in CI. Each check here is one of those warnings, at the field it names,
 * for the versions whose API server gives it, plus one kubelint adds: a pod annotation on
 * a workload's own metadata, where it affects nothing.
 */
import { createRule } from '../src/engine/rule.js';
import type {
  Container,
  ContainerPort,
  HostAlias,
  LocalObjectReference,
  NodeAffinity,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodAffinityTerm,
  PodSecurityContext,
  PodSpec,
  PreferredSchedulingTerm,
  ResourceRequirements,
  SecurityContext,
  TopologySpreadConstraint,
  WeightedPodAffinityTerm,
} from 'kubernetes-types/core/v1.js';
import { asArray, asObject, asString, fieldsOf, getIn, isPlainObject, type Fields } from '../src/kube.js';
import { POD_SPEC_KINDS, podTemplatePath, type PodSpecNode } from '../src/engine/pod-spec.js';
import { atLeast } from '../src/kube-version.js';
import type { ObjectPath } from '../src/types.js';
import { dottedPath } from './static-pod-api-reference.js';

/** node-role-label-removed owns this key: one finding per problem. */
const MASTER = 'node-role.kubernetes.io/master';

/** pkg/api/node/util.go deprecatedNodeLabels: the API server's text, and the first version that warns. */
const DEPRECATED_NODE_LABELS: ReadonlyMap<string, { api: string; since: number }> = new Map([
  ['beta.kubernetes.io/arch', { api: 'deprecated since v1.14; use "kubernetes.io/arch" instead', since: 0 }],
  ['beta.kubernetes.io/os', { api: 'deprecated since v1.14; use "kubernetes.io/os" instead', since: 0 }],
  ['failure-domain.beta.kubernetes.io/region', { api: 'deprecated since v1.17; use "topology.kubernetes.io/region" instead', since: 0 }],
  ['failure-domain.beta.kubernetes.io/zone', { api: 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead', since: 0 }],
  ['beta.kubernetes.io/instance-type', { api: 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead', since: 0 }],
  // Added to the map with node-role.kubernetes.io/master; 1.31 per third-party reports (see the doc).
  ['app.kubernetes.io/created-by', { api: 'deprecated since v1.9', since: 31 }],
  ['scheduler.alpha.kubernetes.io/preferAvoidPods', { api: 'deprecated since v1.22; use Taints and Tolerations instead', since: 31 }],
]);

const CRITICAL_POD = 'scheduler.alpha.kubernetes.io/critical-pod';
const SYSCTLS = ['security.alpha.kubernetes.io/sysctls', 'security.alpha.kubernetes.io/unsafe-sysctls'];
const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER = 'container.seccomp.security.alpha.kubernetes.io/';
const APPARMOR_CONTAINER = 'container.apparmor.security.beta.kubernetes.io/';

/** warnings.go's deprecated volume plugins: the API server's text, the first version that warns, what to do. */
const DEPRECATED_VOLUMES: ReadonlyArray<{ type: string; api: string; since: number }> = [
  { type: 'photonPersistentDisk', api: 'deprecated in v1.11, non-functional in v1.16+', since: 0 },
  { type: 'gitRepo', api: 'deprecated in v1.11', since: 0 },
  { type: 'scaleIO', api: 'deprecated in v1.16, non-functional in v1.22+', since: 0 },
  { type: 'flocker', api: 'deprecated in v1.22, non-functional in v1.25+', since: 22 },
  { type: 'storageOS', api: 'deprecated in v1.22, non-functional in v1.25+', since: 22 },
  { type: 'quobyte', api: 'deprecated in v1.22, non-functional in v1.25+', since: 22 },
  { type: 'glusterfs', api: 'deprecated in v1.25, non-functional in v1.26+', since: 25 },
  { type: 'cephfs', api: 'deprecated in v1.28, non-functional in v1.31+', since: 28 },
  { type: 'rbd', api: 'deprecated in v1.28, non-functional in v1.31+', since: 28 },
];

/**
 * The warnings on ports, termination grace and null label selectors are not in the
 * 1.22-era warnings.go and are in every 1.30+ copy; kubelint gives them from the oldest
 * bundled version.
 */
const NEWER_CHECKS_SINCE = 28;

type Path = ObjectPath;

/** A memory or ephemeral-storage quantity that is not a whole number of bytes (MilliValue() % 1000 != 0), computed exactly. */
export function isFractionalBytes(value: unknown): boolean {
  const text = typeof value === 'number' ? String(value) : asString(value);
  if (text === undefined) return false;
  const match = /^[+-]?(\d*)(?:\.(\d*))?(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match || `${match[1]}${match[2] ?? ''}` === '') return false; // malformed: the schema rule's finding
  const digits = BigInt(`${match[1]}${match[2] ?? ''}`);
  if (digits === 0n) return false;
  const decimals = (match[2] ?? '').length;
  const suffix = match[3];
  const binary = suffix?.endsWith('i') ? 10 * ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'].indexOf(suffix) + 10 : 0;
  const decimalExponents: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
  let exponent = suffix && !suffix.endsWith('i') ? decimalExponents[suffix]! : Number(match[4] ?? 0);
  exponent -= decimals;
  // Far outside any real quantity; avoids building huge numbers for e999999.
  if (exponent >= 0) return false;
  if (exponent < -60) return true;
  return (digits * 2n ** BigInt(binary)) % 10n ** BigInt(-exponent) !== 0n;
}

const rule = createRule({
  meta: {
    id: 'deprecated-pod-fields',
    severity: 'warn',
    type: 'problem',
    description: 'What the API server warns about in a pod or pod template: deprecated labels, annotations and volume types, and more.',
    rationale:
      'The API server answers a pod or workload with warnings (pkg/api/pod/warnings.go) but applies it anyway, so in CI ' +
      'they scroll past: deprecated node labels in selectors, annotations that stopped working (critical-pod since 1.16, ' +
      'seccomp since 1.27), volume plugins that were removed, env and port entries that hide each other, values that ' +
      'are silently changed. kubelint reports each at its field, for the Kubernetes versions that warn, and a pod ' +
      'annotation put on the workload itself, where it affects nothing.',
    kinds: POD_SPEC_KINDS,
    messages: {
      nodeLabel:
        'Node label {{key}} is {{api}} (the API server warns about it on every apply).',
      criticalPod:
        'The {{key}} annotation does nothing since Kubernetes 1.16 (the API server warns: non-functional in v1.16+). ' +
        'Set priorityClassName: system-node-critical (or system-cluster-critical) instead.',
      criticalPodRedundant:
        'The {{key}} annotation does nothing since Kubernetes 1.16 (the API server warns: non-functional in v1.16+). ' +
        'priorityClassName is already set, so remove the annotation.',
      sysctls:
        'The {{key}} annotation does nothing since Kubernetes 1.11 (the API server warns: non-functional in v1.11+). ' +
        'Set spec.securityContext.sysctls instead.',
      seccompIgnored:
        'The {{key}} annotation is ignored since Kubernetes 1.27, so this seccomp profile is not applied. Set ' +
        'securityContext.seccompProfile on the {{where}} instead (the API server warns: non-functional in v1.27+).',
      seccompDeprecated:
        'The {{key}} annotation is deprecated since Kubernetes 1.19 and stops working in 1.27. Set ' +
        'securityContext.seccompProfile on the {{where}} instead (the API server warns: deprecated since v1.19).',
      appArmor:
        'The {{key}} annotation is deprecated since Kubernetes 1.30 (the API server warns). Set ' +
        'securityContext.appArmorProfile on the container (or the pod) instead.',
      volumeType: 'The {{type}} volume type is {{api}} (the API server warns about it). {{fix}}',
      gitRepoDisabled:
        'gitRepo volumes are disabled by default since Kubernetes 1.33, so this volume cannot be mounted on most clusters. ' +
        'Clone the repository in an init container into an emptyDir instead (the API server warns: deprecated in v1.11).',
      onWorkload:
        'This pod annotation is on the {{kind}} itself, not on its pod template, so it affects nothing. Move it to ' +
        '{{template}}.metadata.annotations, or better, {{fix}}',
      duplicateHostAlias:
        'hostAliases lists IP {{ip}} twice, and kubectl apply merges hostAliases by IP, so one entry may be lost. Merge the ' +
        'hostnames into one entry (the API server warns: duplicate ip).',
      duplicatePullSecret:
        'imagePullSecrets names {{name}} twice (the API server warns: duplicate name). Remove one of them.',
      emptyPullSecret:
        'This imagePullSecrets entry has no name, so it refers to no Secret (the API server warns: invalid empty name). ' +
        'Name the Secret or remove the entry.',
      fractionalBytes:
        '{{resource}} {{value}} is not a whole number of bytes (the API server warns: fractional byte value is invalid, ' +
        'must be an integer).{{hint}}',
      envHides:
        'Env variable {{name}} is defined twice in this container, and kubectl apply may drop one of them (the API server ' +
        'warns: hides previous definition). Keep one entry.',
      hostIPWithoutHostPort:
        'hostIP is set but hostPort is not, so hostIP does nothing (the API server warns: hostIP set without hostPort). ' +
        'Set hostPort, or remove hostIP.',
      duplicatePort:
        'This port repeats {{other}} ({{port}}) (the API server warns: {{api}} port definition). Remove one, or give ' +
        'them different hostPorts or hostIPs.',
      negativeGrace:
        'terminationGracePeriodSeconds is negative, which the API server treats as 1 (it warns: must be >= 0). Set 0 or more.',
      nullLabelSelector:
        'This {{what}} has no labelSelector, so it matches no pod and has no effect (the API server warns: a null ' +
        'labelSelector results in matching no pod). Add a labelSelector.',
    },
  },
  check(context) {
    // A pod annotation on a workload's own metadata: the API server does not warn, it is just never read.
    const templatePath = podTemplatePath(context.object.kind);
    if (!templatePath || templatePath.length === 0) return;
    const own = asObject(getIn(context.object, ['metadata', 'annotations']));
    for (const key of Object.keys(own ?? {})) {
      const fix = podAnnotationFix(key);
      if (!fix) continue;
      context.report({
        messageId: 'onWorkload',
        data: { kind: String(context.object.kind), template: dottedPath(templatePath), fix },
        path: ['metadata', 'annotations', key],
        target: 'key',
      });
    }
  },
  create(context) {
    const version = context.kubeVersion;
    const newer = atLeast(version, NEWER_CHECKS_SINCE);
    const report = context.report.bind(context);

    function checkNodeLabel(key: unknown, path: Path, target: 'key' | 'value'): void {
      if (typeof key !== 'string' || key === MASTER) return;
      const label = DEPRECATED_NODE_LABELS.get(key);
      if (!label || !atLeast(version, label.since)) return;
      report({ messageId: 'nodeLabel', data: { key, api: label.api }, path, target });
    }

    function checkTerm(term: unknown, path: Path): void {
      asArray(fieldsOf<NodeSelectorTerm>(term)?.matchExpressions).forEach((item, j) => {
        checkNodeLabel(fieldsOf<NodeSelectorRequirement>(item)?.key, [...path, 'matchExpressions', j, 'key'], 'value');
      });
    }

    function nullSelector(value: unknown): boolean {
      return value === undefined || value === null;
    }

    function checkPodAffinityTerms(affinity: unknown, path: Path, what: string): void {
      const fields = asObject(affinity);
      asArray(fields?.requiredDuringSchedulingIgnoredDuringExecution).forEach((item, i) => {
        const term = fieldsOf<PodAffinityTerm>(item);
        if (term && nullSelector(term.labelSelector)) {
          report({ messageId: 'nullLabelSelector', data: { what: `required ${what} term` }, path: [...path, 'requiredDuringSchedulingIgnoredDuringExecution', i], target: 'value' });
        }
      });
      asArray(fields?.preferredDuringSchedulingIgnoredDuringExecution).forEach((item, i) => {
        const weighted = fieldsOf<WeightedPodAffinityTerm>(item);
        const term = fieldsOf<PodAffinityTerm>(weighted?.podAffinityTerm);
        if (term && nullSelector(term.labelSelector)) {
          report({
            messageId: 'nullLabelSelector',
            data: { what: `preferred ${what} term` },
            path: [...path, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'podAffinityTerm'],
            target: 'value',
          });
        }
      });
    }

    function checkAnnotations(node: PodSpecNode): void {
      const { value: spec, kind, templatePath } = node;
      const annotationsPath: Path = [...templatePath, 'metadata', 'annotations'];
      const annotations = asObject(getIn(context.object, annotationsPath)) ?? {};
      const at = (key: string): Path => [...annotationsPath, key];
      if (Object.hasOwn(annotations, CRITICAL_POD) && atLeast(version, 16)) {
        const messageId = asString(spec.priorityClassName) ? 'criticalPodRedundant' : 'criticalPod';
        report({ messageId, data: { key: CRITICAL_POD }, path: at(CRITICAL_POD), target: 'key' });
      }
      for (const key of SYSCTLS) {
        if (Object.hasOwn(annotations, key) && atLeast(version, 11)) report({ messageId: 'sysctls', data: { key }, path: at(key), target: 'key' });
      }
      const podSecurity = fieldsOf<PodSecurityContext>(spec.securityContext);
      const seccompId = atLeast(version, 27) ? 'seccompIgnored' : 'seccompDeprecated';
      const seccompWarns = atLeast(version, 19);
      if (seccompWarns && Object.hasOwn(annotations, SECCOMP_POD) && !isPlainObject(podSecurity?.seccompProfile)) {
        report({ messageId: seccompId, data: { key: SECCOMP_POD, where: 'pod' }, path: at(SECCOMP_POD), target: 'key' });
      }
      const podAppArmor = isPlainObject(podSecurity?.appArmorProfile);
      // Pods: the API server warns from applyAppArmorVersionSkew, and not for Windows pods.
      const windowsPod = kind === 'Pod' && asObject(spec.os)?.name === 'windows';
      for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
        for (const item of asArray(spec[list])) {
          const container = fieldsOf<Container>(item);
          const name = asString(container?.name);
          if (!container || name === undefined) continue;
          const security = fieldsOf<SecurityContext>(container.securityContext);
          const seccompKey = SECCOMP_CONTAINER + name;
          if (seccompWarns && Object.hasOwn(annotations, seccompKey) && !isPlainObject(security?.seccompProfile)) {
            report({ messageId: seccompId, data: { key: seccompKey, where: 'container' }, path: at(seccompKey), target: 'key' });
          }
          const appArmorKey = APPARMOR_CONTAINER + name;
          if (
            atLeast(version, 30) &&
            !windowsPod &&
            Object.hasOwn(annotations, appArmorKey) &&
            !podAppArmor &&
            !isPlainObject(security?.appArmorProfile)
          ) {
            report({ messageId: 'appArmor', data: { key: appArmorKey }, path: at(appArmorKey), target: 'key' });
          }
        }
      }
    }

    function checkResources(resources: unknown, path: Path): void {
      const fields = fieldsOf<ResourceRequirements>(resources);
      for (const bound of ['limits', 'requests'] as const) {
        const quantities = asObject(fields?.[bound]);
        for (const resource of ['memory', 'ephemeral-storage']) {
          const value = quantities?.[resource];
          if (value === undefined || !isFractionalBytes(value)) continue;
          report({
            messageId: 'fractionalBytes',
            data: { resource, value: String(value), hint: fractionalHint(value) },
            path: [...path, bound, resource],
            target: 'value',
          });
        }
      }
    }

    function checkPorts(spec: Fields<PodSpec>, specPath: Path): void {
      interface Seen { path: Path; hostIP: string; hostPort: number }
      const seen = new Map<string, Seen[]>();
      // VisitContainersWithPath order: the later of two ports is the one reported.
      for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
        asArray(spec[list]).forEach((item, c) => {
          asArray(fieldsOf<Container>(item)?.ports).forEach((portItem, i) => {
            const port = fieldsOf<ContainerPort>(portItem);
            if (!port) return;
            const path: Path = [...specPath, list, c, 'ports', i];
            const hostIP = asString(port.hostIP) ?? '';
            const hostPort = typeof port.hostPort === 'number' ? port.hostPort : 0;
            if (hostIP !== '' && hostPort === 0) {
              report({ messageId: 'hostIPWithoutHostPort', path: [...path, 'hostIP'], target: 'value' });
            }
            const protocol = asString(port.protocol) || 'TCP';
            const key = `${String(port.containerPort)}/${protocol}`;
            const others = seen.get(key) ?? [];
            for (const other of others) {
              const api =
                hostIP === other.hostIP && hostPort === other.hostPort
                  ? 'duplicate'
                  : hostPort === 0 || other.hostPort === 0
                    ? 'overlapping'
                    : hostPort === other.hostPort && (hostIP === '') !== (other.hostIP === '')
                      ? 'dangerously ambiguous'
                      : undefined;
              if (!api) continue;
              report({
                messageId: 'duplicatePort',
                data: { other: dottedPath(other.path), port: key, api },
                path: [...path, 'containerPort'],
                target: 'value',
              });
            }
            seen.set(key, [...others, { path, hostIP, hostPort }]);
          });
        });
      }
    }

    return {
      podSpec(node) {
        const { value: spec, path: specPath } = node;
        const nodeSelector = asObject(spec.nodeSelector);
        for (const key of Object.keys(nodeSelector ?? {})) checkNodeLabel(key, [...specPath, 'nodeSelector', key], 'key');
        const affinity = asObject(spec.affinity);
        const nodeAffinity = fieldsOf<NodeAffinity>(affinity?.nodeAffinity);
        const affinityPath: Path = [...specPath, 'affinity', 'nodeAffinity'];
        const required = asObject(nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
        asArray(required?.nodeSelectorTerms).forEach((term, i) => {
          checkTerm(term, [...affinityPath, 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms', i]);
        });
        asArray(nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution).forEach((item, i) => {
          checkTerm(fieldsOf<PreferredSchedulingTerm>(item)?.preference, [...affinityPath, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'preference']);
        });
        asArray(spec.topologySpreadConstraints).forEach((item, i) => {
          const constraint = fieldsOf<TopologySpreadConstraint>(item);
          if (!constraint) return;
          const path: Path = [...specPath, 'topologySpreadConstraints', i];
          checkNodeLabel(constraint.topologyKey, [...path, 'topologyKey'], 'value');
          if (newer && nullSelector(constraint.labelSelector)) {
            report({ messageId: 'nullLabelSelector', data: { what: 'topology spread constraint' }, path, target: 'value' });
          }
        });
        if (newer) {
          checkPodAffinityTerms(affinity?.podAffinity, [...specPath, 'affinity', 'podAffinity'], 'pod affinity');
          checkPodAffinityTerms(affinity?.podAntiAffinity, [...specPath, 'affinity', 'podAntiAffinity'], 'pod anti-affinity');
        }

        checkAnnotations(node);

        const ips = new Set<string>();
        asArray(spec.hostAliases).forEach((item, i) => {
          const ip = asString(fieldsOf<HostAlias>(item)?.ip);
          if (ip === undefined) return;
          if (ips.has(ip)) report({ messageId: 'duplicateHostAlias', data: { ip }, path: [...specPath, 'hostAliases', i, 'ip'], target: 'value' });
          ips.add(ip);
        });
        const names = new Set<string>();
        asArray(spec.imagePullSecrets).forEach((item, i) => {
          const reference = fieldsOf<LocalObjectReference>(item);
          if (!reference) return;
          const name = asString(reference.name) ?? '';
          const path: Path = [...specPath, 'imagePullSecrets', i];
          if (names.has(name) && name !== '') {
            report({ messageId: 'duplicatePullSecret', data: { name }, path: [...path, 'name'], target: 'value' });
          }
          if (name === '') report({ messageId: 'emptyPullSecret', path: reference.name === undefined ? path : [...path, 'name'], target: 'value' });
          names.add(name);
        });
        const overhead = asObject(spec.overhead);
        for (const resource of ['memory', 'ephemeral-storage']) {
          const value = overhead?.[resource];
          if (value !== undefined && isFractionalBytes(value)) {
            report({ messageId: 'fractionalBytes', data: { resource, value: String(value), hint: fractionalHint(value) }, path: [...specPath, 'overhead', resource], target: 'value' });
          }
        }
        if (newer && typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
          report({ messageId: 'negativeGrace', path: [...specPath, 'terminationGracePeriodSeconds'], target: 'value' });
        }
        if (newer) checkPorts(spec, specPath);
      },
      volume({ value: volume, path }) {
        for (const deprecated of DEPRECATED_VOLUMES) {
          if (!isPlainObject(volume[deprecated.type as keyof typeof volume]) || !atLeast(version, deprecated.since)) continue;
          if (deprecated.type === 'gitRepo' && atLeast(version, 33)) {
            report({ messageId: 'gitRepoDisabled', path: [...path, 'gitRepo'], target: 'key' });
            continue;
          }
          report({
            messageId: 'volumeType',
            data: { type: deprecated.type, api: deprecated.api, fix: volumeFix(deprecated.type) },
            path: [...path, deprecated.type],
            target: 'key',
          });
        }
      },
      container({ value: container, path }) {
        checkResources(container.resources, [...path, 'resources']);
        const names = new Set<string>();
        asArray(container.env).forEach((item, i) => {
          const env = asObject(item);
          const name = asString(env?.name);
          if (!env || name === undefined) return;
          if (names.has(name)) {
            const reference = `$(${name})`;
            const value = asString(env.value) ?? '';
            // The one kept form: a later plain value that builds on the earlier one, X=$(X)-suffix.
            const hides = env.valueFrom !== undefined || value === reference || !value.includes(reference);
            if (hides) report({ messageId: 'envHides', data: { name }, path: [...path, 'env', i, 'name'], target: 'value' });
          }
          names.add(name);
        });
      },
    };
  },
});

/** What to use instead of a pod annotation, or undefined when `key` is not one. */
function podAnnotationFix(key: string): string | undefined {
  if (key === CRITICAL_POD) return 'set priorityClassName: system-node-critical in the pod spec (the annotation does nothing since 1.16).';
  if (SYSCTLS.includes(key)) return 'set spec.securityContext.sysctls in the pod spec (the annotation does nothing since 1.11).';
  if (key === SECCOMP_POD || key.startsWith(SECCOMP_CONTAINER)) return 'set securityContext.seccompProfile in the pod spec (the annotation is ignored since 1.27).';
  if (key.startsWith(APPARMOR_CONTAINER)) return 'set securityContext.appArmorProfile in the pod spec (the annotation is deprecated since 1.30).';
  return undefined;
}

function volumeFix(type: string): string {
  if (type === 'gitRepo') return 'Clone the repository in an init container into an emptyDir instead.';
  return 'From the non-functional version on, pods cannot mount it: move this storage to its CSI driver.';
}

function fractionalHint(value: unknown): string {
  // 100m memory is a tenth of a byte: almost always Mi was meant.
  return /\dm$/.test(String(value).trim()) ? ' The suffix m means milli (a thousandth of a byte); for mebibytes write Mi.' : ' Use whole bytes, such as 128Mi.';
}

export default rule;
