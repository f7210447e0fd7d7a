/**
 * The pod spec checks of pkg/apis/core/validation/validation.go (ValidatePodSpec and what it
 * calls) that need no cluster. The kubelet runs the same validation on every static pod file
 * (pkg/kubelet/config/common.go tryDecodeSinglePod -> ValidatePodCreate) and skips the file
 * on any error; the API server runs it on Pods and on DaemonSet pod templates.
 */
import { isIP } from 'node:net';
import type {
  Container,
  ContainerPort,
  EnvVar,
  EnvVarSource,
  Lifecycle,
  LifecycleHandler,
  PodDNSConfig,
  PodSecurityContext,
  PodSpec,
  Probe,
  ResourceRequirements,
  SeccompProfile,
  SecurityContext,
  Volume,
  VolumeMount,
} from 'kubernetes-types/core/v1.js';
import type { RuleContext } from '../../src/engine/rule.js';
import type { ContainerList, PodSpecVisitor } from '../../src/engine/pod-spec.js';
import { asArray, asObject, fieldsOf, quote, type Fields } from '../../src/kube.js';
import { atLeast } from '../../src/kube-version.js';
import type { KubeVersion, ObjectPath } from '../../src/types.js';
import { envNameProblem, isDns1123Label, labelKeyProblem, labelValueProblem, portNameProblem } from './labels.js';
import { parseQuantity } from './quantity.js';
import { reporter, type Reporter } from './report.js';

export const POD_SPEC_MESSAGES: Record<string, string> = {
  unsupported: '{{field}}: Unsupported value: {{value}}: supported values: {{allowed}}; {{consequence}}.',
  volumeName:
    'volume name {{name}} is invalid: it must be a lowercase RFC 1123 label (a-z, 0-9, \'-\', at most 63 characters); {{consequence}}.',
  duplicateVolume: 'volume name {{name}} is used twice: Duplicate value; {{consequence}}. Give each volume its own name.',
  volumeSources:
    'volume {{name}} may not specify more than 1 volume type ({{types}}); {{consequence}}. Split it into two volumes.',
  hostPathDotDot: 'hostPath.path {{value}} must not contain \'..\'; {{consequence}}. Write the path without \'..\'.',
  hostPathEmpty: 'hostPath.path: Required value; {{consequence}}. Set the host path to mount.',
  mountUnknownVolume:
    'volumeMounts name {{name}}: Not found: no volume of that name is defined in spec.volumes; {{consequence}}. ' +
    'Add the volume or fix the name.',
  mountPathEmpty: 'volumeMounts mountPath: Required value; {{consequence}}.',
  duplicateMountPath: 'mountPath {{value}} must be unique within the container: Invalid value; {{consequence}}.',
  subPathExclusive: 'subPathExpr and subPath are mutually exclusive; {{consequence}}. Keep one of them.',
  subPathAbsolute: '{{field}} {{value}} must be a relative path; {{consequence}}.',
  subPathDotDot: '{{field}} {{value}} must not contain \'..\'; {{consequence}}.',
  bidirectional:
    'Bidirectional mount propagation is available only to privileged containers: {{consequence}}. Set ' +
    'securityContext.privileged: true on this container, or use HostToContainer.',
  recursiveReadOnly:
    'recursiveReadOnly {{value}} requires readOnly: true and mountPropagation None: {{consequence}}.',
  imageRequired: 'container {{name}} has no image: Required value; {{consequence}}. Set image.',
  imageWhitespace: 'image {{value}} must not have leading or trailing whitespace; {{consequence}}.',
  containerRestartPolicy:
    'restartPolicy may not be set for {{what}} containers: Forbidden; {{consequence}}. Only an init container can set ' +
    'restartPolicy: Always (a sidecar).',
  sidecarTooNew:
    'init container restartPolicy needs Kubernetes 1.29 (SidecarContainers beta): on {{version}} the field is dropped ' +
    'and this sidecar runs as a plain init container that blocks the pod. Target 1.29 or later.',
  portRange: '{{field}} {{value}} must be between 1 and 65535, inclusive; {{consequence}}.',
  portName: 'port name {{value}} is invalid: {{problem}} (IANA_SVC_NAME); {{consequence}}.',
  duplicatePortName: 'port name {{value}} is used twice in this container: Duplicate value; {{consequence}}.',
  hostPortConflict:
    'hostPort {{value}} ({{protocol}}) is already used by {{other}}: Duplicate value; {{consequence}}. Two ports cannot bind the same host port.',
  hostNetworkPort:
    'hostPort {{value}} must match containerPort {{containerPort}} when hostNetwork is true; {{consequence}}. ' +
    'Set hostPort to the container port, or remove it.',
  envName: 'env var name {{value}} is invalid: {{problem}}; {{consequence}}.',
  envValueAndFrom: 'env {{name}}: valueFrom may not be specified when value is not empty; {{consequence}}. Keep one of them.',
  envFromSources: 'env {{name}}: valueFrom must specify exactly one of {{sources}}{{found}}; {{consequence}}.',
  handlerCount: '{{field}}: {{problem}}; {{consequence}}. Use exactly one of {{handlers}}.',
  successThreshold: '{{field}}.successThreshold must be 1 for liveness and startup probes; {{consequence}}.',
  readinessGrace: 'readinessProbe.terminationGracePeriodSeconds: Forbidden: it is not valid for readiness probes; {{consequence}}.',
  initProbe:
    '{{field}} may not be set for init containers without restartPolicy: Always: Forbidden; {{consequence}}. Remove it, ' +
    'or make the container a sidecar.',
  badQuantity:
    '{{field}} {{value}} is not a valid quantity (like 100m, 128Mi, 1.5): {{consequence}}.',
  requestAboveLimit:
    '{{resource}} request {{request}} must be less than or equal to the {{resource}} limit {{limit}}; {{consequence}}.',
  limitRequired:
    '{{resource}} is not overcommittable: a request needs a limit; {{consequence}}. Set limits.{{resource}} equal to the request.',
  requestNotLimit:
    '{{resource}} is not overcommittable: its request {{request}} must equal its limit {{limit}}; {{consequence}}.',
  hugePagesNeedCpuMemory: 'hugepages require a cpu or memory request or limit; {{consequence}}.',
  dnsNone: 'dnsPolicy None requires dnsConfig with at least one nameserver; {{consequence}}.',
  dnsLimit: 'dnsConfig.{{field}}: Invalid value: must not have more than {{max}} {{field}}; {{consequence}}.',
  nameserverIp: 'dnsConfig.nameservers {{value}} must be a valid IP address; {{consequence}}.',
  privilegeEscalation:
    'cannot set allowPrivilegeEscalation to false and {{other}}; {{consequence}}. Remove allowPrivilegeEscalation: false ' +
    'or the privilege.',
  localhostProfile: '{{field}}: {{problem}}; {{consequence}}.',
  shareProcessNamespace: 'shareProcessNamespace and hostPID cannot both be enabled; {{consequence}}.',
  nodeSelectorKey: 'nodeSelector key {{key}} is invalid: {{problem}}; {{consequence}}.',
  nodeSelectorValue: 'nodeSelector value {{value}} (key {{key}}) is invalid: {{problem}}; {{consequence}}.',
  hostnameLabel: '{{field}} {{value}} must be a lowercase RFC 1123 label; {{consequence}}.',
  schedulingGatesStatic:
    'static pods cannot have schedulingGates: the kubelet sets nodeName first, so validation fails ("cannot be set until ' +
    'all schedulingGates have been cleared") and {{consequence}}. Remove schedulingGates.',
};

const VOLUME_NON_SOURCES = new Set(['name']);
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;
const ENV_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'] as const;
const PROFILE_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];

interface Scope {
  context: RuleContext;
  report: Reporter;
  version: KubeVersion;
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** An "Unsupported value" finding when a string is not one of `allowed`. */
export function checkEnum(scope: Scope, value: unknown, path: ObjectPath, allowed: readonly string[]): void {
  if (typeof value !== 'string' || allowed.includes(value)) return;
  scope.report('unsupported', path, 'value', {
    field: String(path[path.length - 1]),
    value: quote(value),
    allowed: allowed.map((v) => quote(v)).join(', '),
  });
}

/**
 * The pod spec checks as handlers of the engine's pod-spec walk. The walk visits volumes
 * before containers, so a container's mounts are checked against every volume's name.
 */
export function podSpecChecks(context: RuleContext): PodSpecVisitor {
  const scope: Scope = { context, report: reporter(context), version: context.kubeVersion };
  const volumes = new Set<string>();
  const hostPorts = new Map<string, string>();
  return {
    podSpec({ value, path }) {
      checkPodLevel(scope, value, path);
    },
    volume({ value, path }) {
      checkVolume(scope, value, path, volumes);
    },
    container({ value, path, list, podSpec }) {
      checkContainer(scope, value, path, list, volumes);
      if (list === 'containers') checkHostPorts(scope, value, path, podSpec.value.hostNetwork === true, hostPorts);
    },
    env({ value, path }) {
      checkEnvVar(scope, value, path);
    },
  };
}

function checkVolume(scope: Scope, volume: Fields<Volume>, path: ObjectPath, names: Set<string>): void {
  if (typeof volume.name === 'string') {
    if (!isDns1123Label(volume.name)) scope.report('volumeName', [...path, 'name'], 'value', { name: quote(volume.name) });
    if (names.has(volume.name)) scope.report('duplicateVolume', [...path, 'name'], 'value', { name: quote(volume.name) });
    names.add(volume.name);
  }
  const sources = Object.keys(volume).filter((key) => !VOLUME_NON_SOURCES.has(key) && isSet((volume as Record<string, unknown>)[key]));
  if (sources.length > 1) {
    scope.report('volumeSources', [...path, sources[1]!], 'key', { name: quote(volume.name), types: sources.join(', ') });
  }
  const hostPath = asObject(volume.hostPath);
  if (hostPath) {
    if (hostPath.path === '') scope.report('hostPathEmpty', [...path, 'hostPath', 'path'], 'value');
    else if (typeof hostPath.path === 'string' && hostPath.path.split('/').includes('..')) {
      scope.report('hostPathDotDot', [...path, 'hostPath', 'path'], 'value', { value: quote(hostPath.path) });
    }
    checkEnum(scope, hostPath.type, [...path, 'hostPath', 'type'], [
      '', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice',
    ]);
  }
}

/** Host ports of the regular containers; `hostPorts` carries "protocol/hostIP/port" -> its first container over the pod. */
function checkHostPorts(scope: Scope, container: Fields<Container>, path: ObjectPath, hostNetwork: boolean, hostPorts: Map<string, string>): void {
  asArray(container.ports).forEach((portItem, portIndex) => {
    const port = fieldsOf<ContainerPort>(portItem);
    if (!port || typeof port.hostPort !== 'number' || port.hostPort === 0) return;
    const portPath = [...path, 'ports', portIndex, 'hostPort'];
    // checkHostPortConflicts: protocol/hostIP/hostPort must be unique over the regular containers.
    const protocol = typeof port.protocol === 'string' ? port.protocol : 'TCP';
    const key = `${protocol}/${typeof port.hostIP === 'string' ? port.hostIP : ''}/${port.hostPort}`;
    const other = hostPorts.get(key);
    if (other) scope.report('hostPortConflict', portPath, 'value', { value: port.hostPort, protocol, other });
    else hostPorts.set(key, `container ${quote(container.name)}`);
    // validatePodHostNetworkDeps: 0 means "default" (containerPort) in a template; any other value must match.
    if (hostNetwork && typeof port.containerPort === 'number' && port.hostPort !== port.containerPort) {
      scope.report('hostNetworkPort', portPath, 'value', { value: port.hostPort, containerPort: port.containerPort });
    }
  });
}

function checkContainer(scope: Scope, container: Fields<Container>, path: ObjectPath, list: ContainerList, volumes: Set<string>): void {
  const { report } = scope;
  if (!isSet(container.image) || container.image === '') {
    report('imageRequired', isSet(container.image) ? [...path, 'image'] : [...path, 'name'], isSet(container.image) ? 'value' : 'key', {
      name: quote(container.name),
    });
  } else if (typeof container.image === 'string' && container.image.trim() !== container.image && scope.context.object.kind === 'Pod') {
    report('imageWhitespace', [...path, 'image'], 'value', { value: quote(container.image) });
  }
  checkEnum(scope, container.imagePullPolicy, [...path, 'imagePullPolicy'], ['Always', 'IfNotPresent', 'Never']);
  checkEnum(scope, container.terminationMessagePolicy, [...path, 'terminationMessagePolicy'], ['File', 'FallbackToLogsOnError']);

  const sidecar = list === 'initContainers' && container.restartPolicy === 'Always';
  if (isSet(container.restartPolicy)) {
    if (list === 'initContainers') {
      checkEnum(scope, container.restartPolicy, [...path, 'restartPolicy'], ['Always']);
      if (sidecar && !atLeast(scope.version, 29)) {
        report('sidecarTooNew', [...path, 'restartPolicy'], 'value', { version: `${scope.version.major}.${scope.version.minor}` });
      }
    } else {
      report('containerRestartPolicy', [...path, 'restartPolicy'], 'key', { what: list === 'containers' ? 'regular' : 'ephemeral' });
    }
  }

  const portNames = new Set<string>();
  asArray(container.ports).forEach((item, index) => {
    const port = fieldsOf<ContainerPort>(item);
    if (!port) return;
    const portPath = [...path, 'ports', index];
    if (typeof port.containerPort === 'number' && (port.containerPort < 1 || port.containerPort > 65535)) {
      report('portRange', [...portPath, 'containerPort'], 'value', { field: 'containerPort', value: port.containerPort });
    }
    if (typeof port.hostPort === 'number' && port.hostPort !== 0 && (port.hostPort < 1 || port.hostPort > 65535)) {
      report('portRange', [...portPath, 'hostPort'], 'value', { field: 'hostPort', value: port.hostPort });
    }
    if (typeof port.name === 'string' && port.name !== '') {
      const problem = portNameProblem(port.name);
      if (problem) report('portName', [...portPath, 'name'], 'value', { value: quote(port.name), problem });
      if (portNames.has(port.name)) report('duplicatePortName', [...portPath, 'name'], 'value', { value: quote(port.name) });
      portNames.add(port.name);
    }
    checkEnum(scope, port.protocol, [...portPath, 'protocol'], ['TCP', 'UDP', 'SCTP']);
  });

  checkMounts(scope, container, path, volumes);

  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const value = fieldsOf<Probe>(container[probe]);
    if (!value) continue;
    const probePath = [...path, probe];
    if (list === 'initContainers' && !sidecar) {
      report('initProbe', probePath, 'key', { field: probe });
      continue;
    }
    checkHandler(scope, value, probePath, PROBE_HANDLERS);
    if (probe !== 'readinessProbe' && typeof value.successThreshold === 'number' && value.successThreshold !== 1) {
      report('successThreshold', [...probePath, 'successThreshold'], 'value', { field: probe });
    }
    if (probe === 'readinessProbe' && isSet(value.terminationGracePeriodSeconds)) {
      report('readinessGrace', [...probePath, 'terminationGracePeriodSeconds'], 'key');
    }
  }
  const lifecycle = fieldsOf<Lifecycle>(container.lifecycle);
  if (lifecycle) {
    if (list === 'initContainers' && !sidecar) report('initProbe', [...path, 'lifecycle'], 'key', { field: 'lifecycle' });
    else {
      for (const hook of ['postStart', 'preStop'] as const) {
        const handler = fieldsOf<LifecycleHandler>(lifecycle[hook]);
        if (handler) checkHandler(scope, handler, [...path, 'lifecycle', hook], LIFECYCLE_HANDLERS);
      }
    }
  }

  checkResources(scope, fieldsOf<ResourceRequirements>(container.resources), [...path, 'resources']);
  checkSecurityContext(scope, fieldsOf<SecurityContext>(container.securityContext), [...path, 'securityContext']);
}

function checkHandler(scope: Scope, handler: Record<string, unknown>, path: ObjectPath, handlers: readonly string[]): void {
  const present = handlers.filter((name) => isSet(handler[name]));
  const fieldName = path[path.length - 2] === 'lifecycle' ? `lifecycle.${String(path[path.length - 1])}` : String(path[path.length - 1]);
  if (present.length === 0) {
    scope.report('handlerCount', path, 'key', { field: fieldName, problem: 'must specify a handler type', handlers: handlers.join(', ') });
  } else if (present.length > 1) {
    scope.report('handlerCount', [...path, present[1]!], 'key', {
      field: fieldName,
      problem: `may not specify more than 1 handler type (${present.join(', ')})`,
      handlers: handlers.join(', '),
    });
  }
  const httpGet = asObject(handler.httpGet);
  if (httpGet) checkEnum(scope, httpGet.scheme, [...path, 'httpGet', 'scheme'], ['HTTP', 'HTTPS']);
}

function checkEnvVar(scope: Scope, env: Fields<EnvVar>, envPath: ObjectPath): void {
  // RelaxedEnvironmentVariableValidation: beta and on by default from 1.32.
  const relaxed = atLeast(scope.version, 32);
  if (typeof env.name === 'string') {
    const problem = env.name === '' ? 'must not be empty' : envNameProblem(env.name, relaxed);
    if (problem) scope.report('envName', [...envPath, 'name'], 'value', { value: quote(env.name), problem });
  }
  const valueFrom = fieldsOf<EnvVarSource>(env.valueFrom);
  if (!valueFrom) return;
  if (typeof env.value === 'string' && env.value !== '') {
    scope.report('envValueAndFrom', [...envPath, 'valueFrom'], 'key', { name: quote(env.name) });
  }
  const sources = ENV_SOURCES.filter((name) => isSet((valueFrom as Record<string, unknown>)[name]));
  if (sources.length !== 1) {
    scope.report('envFromSources', sources.length > 1 ? [...envPath, 'valueFrom', sources[1]!] : [...envPath, 'valueFrom'], 'key', {
      name: quote(env.name),
      sources: ENV_SOURCES.slice(0, 4).join(', '),
      found: sources.length > 1 ? ` (found ${sources.join(', ')})` : '',
    });
  }
}

function checkMounts(scope: Scope, container: Fields<Container>, path: ObjectPath, volumes: Set<string>): void {
  const privileged = asObject(container.securityContext)?.privileged === true;
  const mountPaths = new Set<string>();
  asArray(container.volumeMounts).forEach((item, index) => {
    const mount = fieldsOf<VolumeMount>(item);
    if (!mount) return;
    const mountPath = [...path, 'volumeMounts', index];
    if (typeof mount.name === 'string' && !volumes.has(mount.name)) {
      scope.report('mountUnknownVolume', [...mountPath, 'name'], 'value', { name: quote(mount.name) });
    }
    if (mount.mountPath === '') scope.report('mountPathEmpty', [...mountPath, 'mountPath'], 'value');
    else if (typeof mount.mountPath === 'string') {
      if (mountPaths.has(mount.mountPath)) scope.report('duplicateMountPath', [...mountPath, 'mountPath'], 'value', { value: quote(mount.mountPath) });
      mountPaths.add(mount.mountPath);
    }
    const subPath = typeof mount.subPath === 'string' ? mount.subPath : '';
    const subPathExpr = typeof mount.subPathExpr === 'string' ? mount.subPathExpr : '';
    if (subPath && subPathExpr) scope.report('subPathExclusive', [...mountPath, 'subPathExpr'], 'key');
    for (const [field, value] of [['subPath', subPath], ['subPathExpr', subPathExpr]] as const) {
      if (!value) continue;
      // validateLocalDescendingPath
      if (value.startsWith('/')) scope.report('subPathAbsolute', [...mountPath, field], 'value', { field, value: quote(value) });
      else if (value.split(/[\\/]/).includes('..')) scope.report('subPathDotDot', [...mountPath, field], 'value', { field, value: quote(value) });
    }
    checkEnum(scope, mount.mountPropagation, [...mountPath, 'mountPropagation'], ['None', 'HostToContainer', 'Bidirectional']);
    if (mount.mountPropagation === 'Bidirectional' && !privileged) {
      scope.report('bidirectional', [...mountPath, 'mountPropagation'], 'value');
    }
    // RecursiveReadOnlyMounts: beta and on by default from 1.31.
    if (atLeast(scope.version, 31) && isSet(mount.recursiveReadOnly)) {
      checkEnum(scope, mount.recursiveReadOnly, [...mountPath, 'recursiveReadOnly'], ['Disabled', 'IfPossible', 'Enabled']);
      const propagation = typeof mount.mountPropagation === 'string' ? mount.mountPropagation : 'None';
      if ((mount.recursiveReadOnly === 'Enabled' || mount.recursiveReadOnly === 'IfPossible') && (mount.readOnly !== true || propagation !== 'None')) {
        scope.report('recursiveReadOnly', [...mountPath, 'recursiveReadOnly'], 'value', { value: quote(mount.recursiveReadOnly) });
      }
    }
  });
}

/** Native resources may be overcommitted; hugepages and extended resources (outside kubernetes.io) may not. */
function isOvercommittable(name: string): boolean {
  if (name.startsWith('hugepages-')) return false;
  if (!name.includes('/')) return true;
  const domain = name.split('/')[0]!;
  return domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io') || name.startsWith('requests.');
}

function checkResources(scope: Scope, resources: Fields<ResourceRequirements> | undefined, path: ObjectPath): void {
  if (!resources) return;
  const parsed: Record<'limits' | 'requests', Map<string, number>> = { limits: new Map(), requests: new Map() };
  for (const kind of ['limits', 'requests'] as const) {
    for (const [name, value] of Object.entries(asObject(resources[kind]) ?? {})) {
      if (!isSet(value)) continue;
      const quantity = parseQuantity(value);
      if (quantity === undefined) {
        // A non-string, non-number value is the schema rule's finding.
        if (typeof value === 'string') scope.report('badQuantity', [...path, kind, name], 'value', { field: `${kind}.${name}`, value: quote(value) });
        continue;
      }
      parsed[kind].set(name, quantity);
    }
  }
  const text = (kind: 'limits' | 'requests', name: string) => quote(asObject(resources[kind])![name]);
  for (const [name, request] of parsed.requests) {
    const limit = parsed.limits.get(name);
    if (!isOvercommittable(name)) {
      if (limit === undefined) scope.report('limitRequired', [...path, 'requests', name], 'key', { resource: name });
      else if (limit !== request) {
        scope.report('requestNotLimit', [...path, 'requests', name], 'value', { resource: name, request: text('requests', name), limit: text('limits', name) });
      }
    } else if (limit !== undefined && request > limit * (1 + 1e-12)) {
      scope.report('requestAboveLimit', [...path, 'requests', name], 'value', { resource: name, request: text('requests', name), limit: text('limits', name) });
    }
  }
  const all = [...parsed.limits.keys(), ...parsed.requests.keys()];
  const hugePage = all.find((name) => name.startsWith('hugepages-'));
  if (hugePage && !all.some((name) => name === 'cpu' || name === 'memory')) {
    const kind = parsed.limits.has(hugePage) ? 'limits' : 'requests';
    scope.report('hugePagesNeedCpuMemory', [...path, kind, hugePage], 'key');
  }
}

function checkProfile(scope: Scope, profile: Record<string, unknown> | undefined, path: ObjectPath, name: string): void {
  if (!profile) return;
  checkEnum(scope, profile.type, [...path, 'type'], PROFILE_TYPES);
  const localhost = typeof profile.localhostProfile === 'string' && profile.localhostProfile !== '';
  if (profile.type === 'Localhost' && !localhost) {
    scope.report('localhostProfile', [...path, 'type'], 'value', { field: `${name}.localhostProfile`, problem: 'Required value: must be set when type is Localhost' });
  } else if (typeof profile.type === 'string' && profile.type !== 'Localhost' && localhost) {
    scope.report('localhostProfile', [...path, 'localhostProfile'], 'key', { field: `${name}.localhostProfile`, problem: 'Invalid value: can only be set when type is Localhost' });
  }
}

function checkSecurityContext(scope: Scope, context: Fields<SecurityContext> | undefined, path: ObjectPath): void {
  if (!context) return;
  checkProfile(scope, asObject(context.seccompProfile as Fields<SeccompProfile> | undefined), [...path, 'seccompProfile'], 'seccompProfile');
  if (atLeast(scope.version, 30)) checkProfile(scope, asObject(context.appArmorProfile), [...path, 'appArmorProfile'], 'appArmorProfile');
  checkEnum(scope, context.procMount, [...path, 'procMount'], ['Default', 'Unmasked']);
  if (context.allowPrivilegeEscalation === false) {
    const adds = asArray(asObject(context.capabilities)?.add);
    if (context.privileged === true) scope.report('privilegeEscalation', [...path, 'allowPrivilegeEscalation'], 'value', { other: 'privileged to true' });
    else if (adds.includes('CAP_SYS_ADMIN')) {
      scope.report('privilegeEscalation', [...path, 'allowPrivilegeEscalation'], 'value', { other: 'capabilities.add CAP_SYS_ADMIN' });
    }
  }
}

function checkPodLevel(scope: Scope, podSpec: Fields<PodSpec>, specPath: ObjectPath): void {
  const { report, context } = scope;
  checkEnum(scope, podSpec.dnsPolicy, [...specPath, 'dnsPolicy'], ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']);
  const dnsConfig = fieldsOf<PodDNSConfig>(podSpec.dnsConfig);
  const nameservers = asArray(dnsConfig?.nameservers);
  if (podSpec.dnsPolicy === 'None' && nameservers.length === 0) report('dnsNone', [...specPath, 'dnsPolicy'], 'value');
  if (dnsConfig) {
    if (nameservers.length > 3) report('dnsLimit', [...specPath, 'dnsConfig', 'nameservers', 3], 'value', { field: 'nameservers', max: 3 });
    nameservers.forEach((server, index) => {
      if (typeof server === 'string' && isIP(server) === 0) report('nameserverIp', [...specPath, 'dnsConfig', 'nameservers', index], 'value', { value: quote(server) });
    });
    const searches = asArray(dnsConfig.searches);
    if (searches.length > 32) report('dnsLimit', [...specPath, 'dnsConfig', 'searches', 32], 'value', { field: 'searches', max: 32 });
  }
  checkEnum(scope, podSpec.preemptionPolicy, [...specPath, 'preemptionPolicy'], ['PreemptLowerPriority', 'Never']);
  for (const field of ['hostname', 'subdomain'] as const) {
    const value = podSpec[field];
    if (typeof value === 'string' && value !== '' && !isDns1123Label(value)) report('hostnameLabel', [...specPath, field], 'value', { field, value: quote(value) });
  }
  if (podSpec.shareProcessNamespace === true && podSpec.hostPID === true) report('shareProcessNamespace', [...specPath, 'shareProcessNamespace'], 'value');
  for (const [key, value] of Object.entries(asObject(podSpec.nodeSelector) ?? {})) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) report('nodeSelectorKey', [...specPath, 'nodeSelector', key], 'key', { key: quote(key), problem: keyProblem });
    const valueProblem = typeof value === 'string' ? labelValueProblem(value) : undefined;
    if (valueProblem) report('nodeSelectorValue', [...specPath, 'nodeSelector', key], 'value', { key: quote(key), value: quote(value), problem: valueProblem });
  }
  const security = fieldsOf<PodSecurityContext>(podSpec.securityContext);
  if (security) {
    checkProfile(scope, asObject(security.seccompProfile), [...specPath, 'securityContext', 'seccompProfile'], 'seccompProfile');
    if (atLeast(scope.version, 30)) checkProfile(scope, asObject(security.appArmorProfile), [...specPath, 'securityContext', 'appArmorProfile'], 'appArmorProfile');
    checkEnum(scope, security.fsGroupChangePolicy, [...specPath, 'securityContext', 'fsGroupChangePolicy'], ['OnRootMismatch', 'Always']);
  }
  checkEnum(scope, asObject(podSpec.os)?.name, [...specPath, 'os', 'name'], ['linux', 'windows']);
  asArray(podSpec.topologySpreadConstraints).forEach((item, index) => {
    const constraint = asObject(item);
    if (!constraint) return;
    const path = [...specPath, 'topologySpreadConstraints', index];
    checkEnum(scope, constraint.whenUnsatisfiable, [...path, 'whenUnsatisfiable'], ['DoNotSchedule', 'ScheduleAnyway']);
    checkEnum(scope, constraint.nodeAffinityPolicy, [...path, 'nodeAffinityPolicy'], ['Honor', 'Ignore']);
    checkEnum(scope, constraint.nodeTaintsPolicy, [...path, 'nodeTaintsPolicy'], ['Honor', 'Ignore']);
  });
  const terms = asArray(asObject(asObject(asObject(podSpec.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution)?.nodeSelectorTerms);
  terms.forEach((term, termIndex) => {
    for (const list of ['matchExpressions', 'matchFields'] as const) {
      asArray(asObject(term)?.[list]).forEach((expression, index) => {
        checkEnum(scope, asObject(expression)?.operator, [...specPath, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms', termIndex, list, index, 'operator'], [
          'In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt',
        ]);
      });
    }
  });
  if (context.isStaticPodFile && context.object.kind === 'Pod' && asArray(podSpec.schedulingGates).length > 0) {
    report('schedulingGatesStatic', [...specPath, 'schedulingGates'], 'key');
  }
}
