/**
 * A static pod may not reference API objects (pkg/api/pod/util.go HasAPIObjectReference).
 * Until 1.33 NodeRestriction rejects the mirror pod; since 1.34 the kubelet refuses the pod.
 */
import { createRule } from '../src/engine/rule.js';
import type { EnvFromSource, EnvVar, EnvVarSource, PodResourceClaim, PodSpec, Volume, VolumeProjection } from 'kubernetes-types/core/v1.js';
import { asArray, asObject, asString, containersOf, fieldsOf, isPlainObject, type Fields } from '../src/kube.js';
import { atLeast } from '../src/kube-version.js';
import type { ObjectPath } from '../src/types.js';

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

/** kubernetes-types ends at 1.30; these fields came later (podCertificate 1.34, flat claim names 1.31). */
type Projection = VolumeProjection & { podCertificate?: unknown };
type ResourceClaim = PodResourceClaim & { resourceClaimName?: string; resourceClaimTemplateName?: string };

/** Volume types whose secretRef points at a Secret even though the volume type itself is allowed. */
const SECRET_REF_VOLUMES = ['cephfs', 'cinder', 'flexVolume', 'iscsi', 'rbd', 'scaleIO', 'storageos'] as const;

function refName(value: unknown, field = 'name'): string | undefined {
  return asString(asObject(value)?.[field]);
}

/** Every API-object reference in a PodSpec, in source order of the spec's sections. */
export function findApiReferences(podSpec: Fields<PodSpec>, specPath: ObjectPath): ApiReference[] {
  const refs: ApiReference[] = [];
  const add = (resource: Resource, name: string | undefined, path: ObjectPath) => refs.push({ resource, name, path });

  for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
    const name = asString(podSpec[field]);
    if (name) add('serviceaccounts', name, [...specPath, field]);
  }
  asArray(podSpec.imagePullSecrets).forEach((item, index) => {
    if (isPlainObject(item)) add('secrets', refName(item), [...specPath, 'imagePullSecrets', index]);
  });

  for (const { container, path } of containersOf(podSpec, specPath)) {
    asArray(container.env).forEach((env, index) => {
      const valueFrom = fieldsOf<EnvVarSource>(fieldsOf<EnvVar>(env)?.valueFrom);
      if (!valueFrom) return;
      const base = [...path, 'env', index, 'valueFrom'];
      if (isPlainObject(valueFrom.secretKeyRef)) add('secrets', refName(valueFrom.secretKeyRef), [...base, 'secretKeyRef']);
      if (isPlainObject(valueFrom.configMapKeyRef))
        add('configmaps', refName(valueFrom.configMapKeyRef), [...base, 'configMapKeyRef']);
    });
    asArray(container.envFrom).forEach((source, index) => {
      const envFrom = fieldsOf<EnvFromSource>(source);
      if (!envFrom) return;
      const base = [...path, 'envFrom', index];
      if (isPlainObject(envFrom.secretRef)) add('secrets', refName(envFrom.secretRef), [...base, 'secretRef']);
      if (isPlainObject(envFrom.configMapRef)) add('configmaps', refName(envFrom.configMapRef), [...base, 'configMapRef']);
    });
  }

  asArray(podSpec.volumes).forEach((item, index) => {
    const volume = fieldsOf<Volume>(item);
    if (!volume) return;
    const base = [...specPath, 'volumes', index];
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
    asArray(asObject(volume.projected)?.sources).forEach((source, sourceIndex) => {
      const projection = fieldsOf<Projection>(source);
      if (!projection) return;
      const at = (field: string) => [...base, 'projected', 'sources', sourceIndex, field];
      if (isPlainObject(projection.secret)) add('secrets', refName(projection.secret), at('secret'));
      if (isPlainObject(projection.configMap)) add('configmaps', refName(projection.configMap), at('configMap'));
      if (isPlainObject(projection.serviceAccountToken)) add('serviceaccounts', undefined, at('serviceAccountToken'));
      if (isPlainObject(projection.clusterTrustBundle))
        add('clustertrustbundles', refName(projection.clusterTrustBundle), at('clusterTrustBundle'));
      if (isPlainObject(projection.podCertificate)) add('podcertificaterequests', undefined, at('podCertificate'));
    });
  });

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
  check(context) {
    if (!context.isStaticPodFile || context.inList) return;
    // The kubelet reads only the first document; static-pod-manifest reports the rest.
    if (context.documentIndex !== context.firstNonEmptyDocumentIndex) return;
    const podSpec = fieldsOf<PodSpec>(context.object.spec);
    if (!podSpec) return;
    const version = `${context.kubeVersion.major}.${context.kubeVersion.minor}`;
    for (const ref of findApiReferences(podSpec, ['spec'])) {
      const what = ref.name ? `${KIND_OF[ref.resource]} "${ref.name}"` : `a ${KIND_OF[ref.resource]}`;
      const messageId = atLeast(context.kubeVersion, 34)
        ? 'refused'
        : KUBELET_REJECTED_EARLIER.has(ref.resource)
          ? 'kubeletRejected'
          : 'mirrorRejected';
      context.report({
        messageId,
        data: { what, where: dottedPath(ref.path), resource: ref.resource, version, fix: FIX },
        path: ref.path,
        target: 'key',
      });
    }
  },
});

export default rule;
