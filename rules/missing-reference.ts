/**
 * A DaemonSet names a ServiceAccount, PriorityClass, ConfigMap or Secret that the run's
 * manifests do not define, though they define others of that kind in that namespace: most
 * often a typo, and the pods then never start. A run-level rule (collect + checkRun): each
 * object records what it defines and what it refers to; the run compares them.
 */
import { createRule, type RunFact } from '../src/engine/rule.js';
import type { ConfigMapProjection, ConfigMapVolumeSource, SecretProjection, SecretVolumeSource } from 'kubernetes-types/core/v1.js';
import { asObject, asString, fieldsOf } from '../src/kube.js';
import type { ObjectPath } from '../src/types.js';

type RefKind = 'ServiceAccount' | 'PriorityClass' | 'ConfigMap' | 'Secret';
const DECLARED_KINDS = new Set<string>(['ServiceAccount', 'PriorityClass', 'ConfigMap', 'Secret']);

interface Fact {
  role: 'declares' | 'refers';
  kind: RefKind;
  name: string;
  /** metadata.namespace, or null when the manifest leaves it to `kubectl apply -n` (and for PriorityClass, which has none). */
  namespace: string | null;
}

/** Objects every namespace has without a manifest: the default ServiceAccount, the root CA bundle (rootcacertpublisher). */
const AUTOMATIC: Partial<Record<RefKind, ReadonlySet<string>>> = {
  ServiceAccount: new Set(['default']),
  ConfigMap: new Set(['kube-root-ca.crt']),
};

/** What happens to the pods when the object is missing. */
const CONSEQUENCE: Record<RefKind, string> = {
  ServiceAccount: 'the API server rejects the pods (error looking up service account), so the DaemonSet creates none',
  PriorityClass: 'the API server rejects the pods (no PriorityClass with that name was found), so the DaemonSet creates none',
  ConfigMap: 'the pods stay in ContainerCreating (FailedMount: configmap not found) unless the volume source is optional: true',
  Secret: 'the pods stay in ContainerCreating (FailedMount: secret not found) unless the volume source is optional: true',
};

/** Levenshtein distance, giving up past `limit` (names are short; most pairs are far apart). */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      rowMin = Math.min(rowMin, current[j]!);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** A near miss: a different case or separator, or an edit or two (one for short names). */
export function isClose(wanted: string, candidate: string): boolean {
  const normalise = (name: string) => name.toLowerCase().replace(/[_.]/g, '-');
  if (normalise(wanted) === normalise(candidate)) return true;
  const limit = Math.min(wanted.length, candidate.length) <= 4 ? 1 : 2;
  return editDistance(wanted, candidate, limit) <= limit;
}

interface Options {
  /**
   * Report only a name with a near miss among the candidates (a typo); with false, every name
   * the run's objects of that kind and namespace do not define.
   */
  onlyNearMisses: boolean;
}

const rule = createRule<Options, 'missing', Fact>({
  meta: {
    id: 'missing-reference',
    severity: 'warn',
    type: 'problem',
    description: 'A DaemonSet refers to a ServiceAccount, PriorityClass, ConfigMap or Secret the linted manifests do not define.',
    rationale:
      'The API server rejects pods whose ServiceAccount or PriorityClass does not exist, and the kubelet cannot mount a ' +
      'ConfigMap or Secret volume that does not exist, so the pods of such a DaemonSet never run. Checked only where ' +
      'the run defines objects of that kind in that namespace, so a repository that keeps them elsewhere gets no noise.',
    kinds: ['DaemonSet', 'ServiceAccount', 'PriorityClass', 'ConfigMap', 'Secret'],
    schema: { type: 'object', properties: { onlyNearMisses: { type: 'boolean' } }, additionalProperties: false },
    defaultOptions: { onlyNearMisses: true },
    messages: {
      missing:
        '{{kind}} "{{name}}" is not among the {{kinds}} the linted manifests define{{where}}{{hint}} Without it {{consequence}}.',
    },
  },
  collect(context) {
    const { object } = context;
    const metadata = asObject(object.metadata);
    const namespace = asString(metadata?.namespace) || null;
    const kind = object.kind as string;
    if (DECLARED_KINDS.has(kind)) {
      const name = asString(metadata?.name);
      if (name) context.record({ role: 'declares', kind: kind as RefKind, name, namespace: kind === 'PriorityClass' ? null : namespace }, { path: ['metadata', 'name'] });
      return;
    }
    // A kustomize patch takes its namespace (and maybe its names) from the base.
    if (context.isPatch) return;
    const refer = (refKind: RefKind, name: unknown, path: ObjectPath) => {
      const value = asString(name);
      if (!value || AUTOMATIC[refKind]?.has(value)) return;
      if (refKind === 'PriorityClass' && value.startsWith('system-')) return;
      context.record({ role: 'refers', kind: refKind, name: value, namespace: refKind === 'PriorityClass' ? null : namespace }, { path });
    };
    const source = (kindOf: 'ConfigMap' | 'Secret', value: unknown, nameField: string, path: ObjectPath) => {
      const fields = asObject(value);
      if (!fields || fields.optional === true) return;
      refer(kindOf, fields[nameField], [...path, nameField]);
    };
    return {
      podSpec({ value: spec, path }) {
        const account = asString(spec.serviceAccountName) ? 'serviceAccountName' : 'serviceAccount';
        refer('ServiceAccount', spec[account], [...path, account]);
        refer('PriorityClass', spec.priorityClassName, [...path, 'priorityClassName']);
      },
      volume({ value: volume, path }) {
        source('ConfigMap', fieldsOf<ConfigMapVolumeSource>(volume.configMap), 'name', [...path, 'configMap']);
        source('Secret', fieldsOf<SecretVolumeSource>(volume.secret), 'secretName', [...path, 'secret']);
      },
      projectedSource({ value: projection, path }) {
        source('ConfigMap', fieldsOf<ConfigMapProjection>(projection.configMap), 'name', [...path, 'configMap']);
        source('Secret', fieldsOf<SecretProjection>(projection.secret), 'name', [...path, 'secret']);
      },
    };
  },
  checkRun(context) {
    const scope = (fact: Fact) => `${fact.kind}\0${fact.namespace ?? ''}`;
    const declared = new Map<string, Array<RunFact<Fact>>>();
    for (const entry of context.facts) {
      if (entry.fact.role !== 'declares') continue;
      const list = declared.get(scope(entry.fact)) ?? [];
      list.push(entry);
      declared.set(scope(entry.fact), list);
    }
    for (const entry of context.facts) {
      const { fact } = entry;
      if (fact.role !== 'refers') continue;
      // Gate: only where the run defines objects of this kind in this namespace.
      const candidates = declared.get(scope(fact));
      if (!candidates || candidates.some((candidate) => candidate.fact.name === fact.name)) continue;
      let nearest = candidates[0]!;
      let best = Infinity;
      for (const candidate of candidates) {
        const distance = editDistance(fact.name, candidate.fact.name);
        if (distance < best) [nearest, best] = [candidate, distance];
      }
      const close = isClose(fact.name, nearest.fact.name);
      // Objects a controller creates at run time (MetalLB's memberlist Secret), kustomize generates,
      // or another repository holds are missing from many runs; a near miss is a typo.
      if (!close && context.options.onlyNearMisses !== false) continue;
      context.report({
        messageId: 'missing',
        data: {
          kind: fact.kind,
          kinds: fact.kind === 'PriorityClass' ? 'PriorityClasses' : `${fact.kind}s`,
          name: fact.name,
          where: fact.kind === 'PriorityClass' ? '' : fact.namespace ? ` in namespace ${fact.namespace}` : ' without a namespace',
          hint: close ? `; did you mean "${nearest.fact.name}"?` : '.',
          consequence: CONSEQUENCE[fact.kind],
        },
        at: entry,
        related: [{ at: nearest, message: close ? `${fact.kind} "${nearest.fact.name}" is defined here.` : `The nearest ${fact.kind} by name is "${nearest.fact.name}".` }],
      });
    }
  },
});

export default rule;
