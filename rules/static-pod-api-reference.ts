/**
 * A static pod may not reference API objects (pkg/api/pod/util.go HasAPIObjectReference).
 * Until 1.33 NodeRestriction rejects the mirror pod; since 1.34 the kubelet refuses the pod.
 */
import { createRule } from '../src/engine/rule.js';
import type { EnvVarSource, PodResourceClaim } from 'kubernetes-types/core/v1.js';
import { asArray, asObject, asString, fieldsOf, isPlainObject } from '../src/kube.js';
import { walkPodSpec, type PodSpecVisitor } from '../src/engine/pod-spec.js';
import { atLeast } from '../src/kube-version.js';
import type { ObjectPath } from '../src/types.js';
import { isRunStaticPod } from './node-workload/classify.js';

/** The API resource a reference points at, as the kubelet names it in its error. */
type Resource =
  | 'serviceaccounts'
  | 'secrets'
  | 'configmaps'
  | 'persistentvolumeclaims'
  | 'csidrivers'
  | 'endpoints'
  | 'clustertrustbundles'
  | 'podcertificaterequests'
  | 'resourceclaims';

const KIND_OF: Record<Resource, string> = {
  serviceaccounts: 'ServiceAccount',
  secrets: 'Secret',
  configmaps: 'ConfigMap',
  persistentvolumeclaims: 'PersistentVolumeClaim',
  csidrivers: 'CSIDriver',
  endpoints: 'Endpoints',
  clustertrustbundles: 'ClusterTrustBundle',
  podcertificaterequests: 'PodCertificateRequest',
  resourceclaims: 'ResourceClaim',
};

/** References the kubelet rejected itself before 1.34 (1.32/1.33 patch releases). */
const KUBELET_REJECTED_EARLIER = new Set<Resource>(['clustertrustbundles', 'resourceclaims']);

export interface ApiReference {
  resource: Resource;
  name: string | undefined;
  path: ObjectPath;
}

/** kubernetes-types ends at 1.30; these fields came later (flat claim names 1.31). */
type ResourceClaim = PodResourceClaim & { resourceClaimName?: string; resourceClaimTemplateName?: string };

/** Volume types whose secretRef points at a Secret even though the volume type itself is allowed. */
const SECRET_REF_VOLUMES = ['cephfs', 'cinder', 'flexVolume', 'iscsi', 'rbd', 'scaleIO', 'storageos'] as const;

function refName(value: unknown, field = 'name'): string | undefined {
  return asString(asObject(value)?.[field]);
}

/** The handlers that find every API-object reference in a pod spec, passing each to `add`. */
function referenceVisitor(add: (resource: Resource, name: string | undefined, path: ObjectPath) => void): PodSpecVisitor {
  return {
    podSpec({ value: podSpec, path: specPath }) {
      for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
        const name = asString(podSpec[field]);
        if (name) add('serviceaccounts', name, [...specPath, field]);
      }
      asArray(podSpec.imagePullSecrets).forEach((item, index) => {
        if (isPlainObject(item)) add('secrets', refName(item), [...specPath, 'imagePullSecrets', index]);
      });
    },
    env({ value: env, path }) {
      const valueFrom = fieldsOf<EnvVarSource>(env.valueFrom);
      if (!valueFrom) return;
      const base = [...path, 'valueFrom'];
      if (isPlainObject(valueFrom.secretKeyRef)) add('secrets', refName(valueFrom.secretKeyRef), [...base, 'secretKeyRef']);
      if (isPlainObject(valueFrom.configMapKeyRef))
        add('configmaps', refName(valueFrom.configMapKeyRef), [...base, 'configMapKeyRef']);
    },
    envFrom({ value: envFrom, path: base }) {
      if (isPlainObject(envFrom.secretRef)) add('secrets', refName(envFrom.secretRef), [...base, 'secretRef']);
      if (isPlainObject(envFrom.configMapRef)) add('configmaps', refName(envFrom.configMapRef), [...base, 'configMapRef']);
    },
    volume({ value: volume, path: base }) {
      if (isPlainObject(volume.secret)) add('secrets', refName(volume.secret, 'secretName'), [...base, 'secret']);
      if (isPlainObject(volume.configMap)) add('configmaps', refName(volume.configMap), [...base, 'configMap']);
      if (isPlainObject(volume.persistentVolumeClaim))
        add('persistentvolumeclaims', refName(volume.persistentVolumeClaim, 'claimName'), [...base, 'persistentVolumeClaim']);
      if (isPlainObject(volume.ephemeral)) add('persistentvolumeclaims', undefined, [...base, 'ephemeral']);
      if (isPlainObject(volume.csi)) {
        add('csidrivers', refName(volume.csi, 'driver'), [...base, 'csi']);
        const secretRef = asObject(volume.csi)?.nodePublishSecretRef;
        if (isPlainObject(secretRef)) add('secrets', refName(secretRef), [...base, 'csi', 'nodePublishSecretRef']);
      }
      if (isPlainObject(volume.glusterfs)) add('endpoints', refName(volume.glusterfs, 'endpoints'), [...base, 'glusterfs']);
      if (isPlainObject(volume.azureFile)) add('secrets', refName(volume.azureFile, 'secretName'), [...base, 'azureFile']);
      for (const type of SECRET_REF_VOLUMES) {
        const secretRef = asObject(volume[type])?.secretRef;
        if (isPlainObject(secretRef)) add('secrets', refName(secretRef), [...base, type, 'secretRef']);
      }
    },
    projectedSource({ value: projection, path }) {
      const at = (field: string) => [...path, field];
      if (isPlainObject(projection.secret)) add('secrets', refName(projection.secret), at('secret'));
      if (isPlainObject(projection.configMap)) add('configmaps', refName(projection.configMap), at('configMap'));
      if (isPlainObject(projection.serviceAccountToken)) add('serviceaccounts', undefined, at('serviceAccountToken'));
      if (isPlainObject(projection.clusterTrustBundle))
        add('clustertrustbundles', refName(projection.clusterTrustBundle), at('clusterTrustBundle'));
      if (isPlainObject(projection.podCertificate)) add('podcertificaterequests', undefined, at('podCertificate'));
    },
    'podSpec:exit'({ value: podSpec, path: specPath }) {
      asArray(podSpec.resourceClaims).forEach((item, index) => {
        const claim = fieldsOf<ResourceClaim>(item);
        if (!claim) return;
        // 1.31 moved the names out of `source`; accept both forms.
        const source = asObject(claim.source);
        const name =
          asString(claim.resourceClaimName) ??
          asString(claim.resourceClaimTemplateName) ??
          asString(source?.resourceClaimName) ??
          asString(source?.resourceClaimTemplateName);
        add('resourceclaims', name, [...specPath, 'resourceClaims', index]);
      });
    },
  };
}

/** Every API-object reference in an object's pod spec, in the order of the pod-spec walk. */
export function findApiReferences(object: Readonly<Record<string, unknown>>): ApiReference[] {
  const refs: ApiReference[] = [];
  walkPodSpec(object, [referenceVisitor((resource, name, path) => refs.push({ resource, name, path }))]);
  return refs;
}

/** spec.volumes[0].secret, the way the path reads in kubectl explain. */
export function dottedPath(path: ObjectPath): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}

const FIX =
  'Static pods can use only what is on the node: mount files with a hostPath volume instead, or run this workload as a DaemonSet.';

const rule = createRule({
  meta: {
    id: 'static-pod-api-reference',
    severity: 'error',
    type: 'problem',
    description: 'A static pod must not reference ServiceAccounts, Secrets, ConfigMaps or other API objects.',
    rationale:
      'The kubelet runs static pods from files, without the API server. Since Kubernetes 1.34 it refuses a static ' +
      'pod that references an API object ("static pods may not reference secrets"); before that the pod ran, but ' +
      'NodeRestriction rejected its mirror pod, so it was invisible to kubectl and unmanageable from the API.',
    kinds: ['Pod'],
    messages: {
      refused:
        'static pod references {{what}} at {{where}}: since Kubernetes 1.34 the kubelet refuses to run it ' +
        '("static pods may not reference {{resource}}"). {{fix}}',
      mirrorRejected:
        'static pod references {{what}} at {{where}}: on Kubernetes {{version}} the kubelet runs it, but the API server ' +
        'rejects its mirror pod (NodeRestriction), so the pod is invisible to kubectl; from 1.34 the kubelet refuses ' +
        'to run it at all. {{fix}}',
      kubeletRejected:
        'static pod references {{what}} at {{where}}: the kubelet refuses to run it (since the 1.32/1.33 patch ' +
        'releases, and in every release from 1.34: "static pods may not reference {{resource}}"). {{fix}}',
    },
  },
  create(context) {
    if (!isRunStaticPod(context)) return {};
    const version = `${context.kubeVersion.major}.${context.kubeVersion.minor}`;
    return referenceVisitor((resource, name, path) => {
      const what = name ? `${KIND_OF[resource]} "${name}"` : `a ${KIND_OF[resource]}`;
      const messageId = atLeast(context.kubeVersion, 34)
        ? 'refused'
        : KUBELET_REJECTED_EARLIER.has(resource)
          ? 'kubeletRejected'
          : 'mirrorRejected';
      context.report({
        messageId,
        data: { what, where: dottedPath(path), resource, version, fix: FIX },
        path,
        target: 'key',
      });
    });
  },
});

export default rule;
