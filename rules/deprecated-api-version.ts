/**
 * An apiVersion the target Kubernetes version no longer serves: kubectl apply fails with
 * `no matches for kind "DaemonSet" in version "extensions/v1beta1"`.
 * The table carries upstream's removal versions and migration notes (the deprecation
 * guide); the bundled schema index catches every other built-in group/version not served.
 */
import { createRule } from '../src/engine/rule.js';
import { asString } from '../src/kube.js';
import { daemonSetToAppsV1 } from '../src/fix/edits.js';
import { builtInGroups, definitionFor, isBundledVersion, servedApiVersions, versionsServing } from '../src/schema/registry.js';
import { atLeast, formatKubeVersion } from '../src/kube-version.js';

interface Removal {
  removedIn: number;
  use: string;
  note?: string;
}

const APPS_NOTE = 'note: the selector becomes required and immutable, and the updateStrategy default changes to RollingUpdate';
/** apiVersion -> kind ('*' for every kind of that version) -> removal. */
const REMOVALS: Record<string, Record<string, Removal>> = {
  'extensions/v1beta1': {
    DaemonSet: { removedIn: 16, use: 'apps/v1', note: APPS_NOTE },
    Deployment: { removedIn: 16, use: 'apps/v1', note: 'note: the selector becomes required' },
    ReplicaSet: { removedIn: 16, use: 'apps/v1', note: 'note: the selector becomes required' },
    NetworkPolicy: { removedIn: 16, use: 'networking.k8s.io/v1' },
    PodSecurityPolicy: { removedIn: 16, use: 'nothing: PodSecurityPolicy was removed in 1.25; use Pod Security Admission' },
    Ingress: { removedIn: 22, use: 'networking.k8s.io/v1', note: 'note: backend fields were renamed (service.name, service.port)' },
  },
  'apps/v1beta1': { '*': { removedIn: 16, use: 'apps/v1', note: 'note: the selector becomes required' } },
  'apps/v1beta2': { '*': { removedIn: 16, use: 'apps/v1', note: APPS_NOTE } },
  'networking.k8s.io/v1beta1': { '*': { removedIn: 22, use: 'networking.k8s.io/v1' } },
  'rbac.authorization.k8s.io/v1beta1': { '*': { removedIn: 22, use: 'rbac.authorization.k8s.io/v1' } },
  'rbac.authorization.k8s.io/v1alpha1': { '*': { removedIn: 22, use: 'rbac.authorization.k8s.io/v1' } },
  'apiextensions.k8s.io/v1beta1': { '*': { removedIn: 22, use: 'apiextensions.k8s.io/v1', note: 'note: a structural schema becomes required' } },
  'admissionregistration.k8s.io/v1beta1': { '*': { removedIn: 22, use: 'admissionregistration.k8s.io/v1' } },
  'apiregistration.k8s.io/v1beta1': { '*': { removedIn: 22, use: 'apiregistration.k8s.io/v1' } },
  'certificates.k8s.io/v1beta1': { '*': { removedIn: 22, use: 'certificates.k8s.io/v1' } },
  'coordination.k8s.io/v1beta1': { '*': { removedIn: 22, use: 'coordination.k8s.io/v1' } },
  'scheduling.k8s.io/v1beta1': { '*': { removedIn: 22, use: 'scheduling.k8s.io/v1' } },
  'storage.k8s.io/v1beta1': { '*': { removedIn: 22, use: 'storage.k8s.io/v1' }, CSIStorageCapacity: { removedIn: 27, use: 'storage.k8s.io/v1' } },
  'batch/v1beta1': { CronJob: { removedIn: 25, use: 'batch/v1' } },
  'batch/v2alpha1': { CronJob: { removedIn: 21, use: 'batch/v1' } },
  'discovery.k8s.io/v1beta1': { EndpointSlice: { removedIn: 25, use: 'discovery.k8s.io/v1' } },
  'events.k8s.io/v1beta1': { Event: { removedIn: 25, use: 'events.k8s.io/v1' } },
  'policy/v1beta1': {
    PodDisruptionBudget: { removedIn: 25, use: 'policy/v1', note: 'note: an empty selector now selects every pod in the namespace' },
    PodSecurityPolicy: { removedIn: 25, use: 'nothing: PodSecurityPolicy was removed; use Pod Security Admission' },
  },
  'node.k8s.io/v1beta1': { RuntimeClass: { removedIn: 25, use: 'node.k8s.io/v1' } },
  'autoscaling/v2beta1': { HorizontalPodAutoscaler: { removedIn: 25, use: 'autoscaling/v2' } },
  'autoscaling/v2beta2': { HorizontalPodAutoscaler: { removedIn: 26, use: 'autoscaling/v2' } },
  'flowcontrol.apiserver.k8s.io/v1beta1': { '*': { removedIn: 26, use: 'flowcontrol.apiserver.k8s.io/v1' } },
  'flowcontrol.apiserver.k8s.io/v1beta2': { '*': { removedIn: 29, use: 'flowcontrol.apiserver.k8s.io/v1' } },
  'flowcontrol.apiserver.k8s.io/v1beta3': { '*': { removedIn: 32, use: 'flowcontrol.apiserver.k8s.io/v1' } },
};

let groups: Set<string> | undefined;

const rule = createRule({
  meta: {
    id: 'deprecated-api-version',
    severity: 'error',
    type: 'problem',
    description: 'An object must use an apiVersion that the target Kubernetes version serves.',
    rationale:
      'Kubernetes removes beta API versions on a schedule (extensions/v1beta1 DaemonSets in 1.16, batch/v1beta1 ' +
      'CronJobs in 1.25...). A manifest still using one fails to apply: "no matches for kind ... in version ...".',
    kinds: '*',
    messages: {
      removed: '{{kind}} {{apiVersion}} was removed in Kubernetes 1.{{removedIn}} and is not served by {{version}}; use {{use}}{{note}}.',
      notServed: '{{kind}} {{apiVersion}} is not served by Kubernetes {{version}}{{advice}}.',
    },
  },
  check(context) {
    const apiVersion = asString(context.object.apiVersion);
    const kind = asString(context.object.kind);
    if (!apiVersion || !kind) return;
    const removal = REMOVALS[apiVersion]?.[kind] ?? REMOVALS[apiVersion]?.['*'];
    const version = formatKubeVersion(context.kubeVersion);
    if (removal && atLeast(context.kubeVersion, removal.removedIn)) {
      context.report({
        messageId: 'removed',
        data: { kind, apiVersion, version, removedIn: removal.removedIn, use: removal.use, note: removal.note ? ` (${removal.note})` : '' },
        path: ['apiVersion'],
        target: 'value',
        ...(kind === 'DaemonSet' && removal.use === 'apps/v1' ? { fix: daemonSetToAppsV1(context.object) } : {}),
      });
      return;
    }
    // Beyond the table: a built-in group whose version the target does not serve.
    if (!isBundledVersion(context.kubeVersion) || definitionFor(context.kubeVersion, apiVersion, kind)) return;
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
    groups ??= builtInGroups();
    if (!groups.has(group)) return; // a custom resource: not ours to judge
    const served = servedApiVersions(context.kubeVersion, kind);
    const servedBefore = versionsServing(apiVersion, kind);
    // A kind no bundled version knows under any apiVersion (List, a typo'd kind) is another rule's business.
    if (served.length === 0 && servedBefore.length === 0) return;
    const minorOf = (v: string) => Number(v.split('.')[1]);
    const newer = servedBefore.filter((v) => minorOf(v) > context.kubeVersion.minor);
    const advice = served.length
      ? `; use ${served.join(' or ')}`
      : newer.length === servedBefore.length
        ? ` (it is served from ${newer[0]})`
        : ` (last served in ${servedBefore.filter((v) => minorOf(v) < context.kubeVersion.minor).at(-1)})`;
    context.report({
      messageId: 'notServed',
      data: { kind, apiVersion, version, advice },
      path: ['apiVersion'],
      target: 'value',
    });
  },
});

export default rule;
