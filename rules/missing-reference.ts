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
  return nearMissDistance(wanted, candidate) !== undefined;
}

/** A name as a near miss compares it: case and separators aside. */
function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[_.]/g, '-');
}

/**
 * The edit distance of a near miss, undefined for a name that is not one. The normalised
 * names may be given, when the caller compares one name with many.
 */
function nearMissDistance(wanted: string, candidate: string, normalisedWanted = normaliseName(wanted), normalisedCandidate = normaliseName(candidate)): number | undefined {
  if (normalisedWanted === normalisedCandidate) return editDistance(wanted, candidate);
  // One edit for short names, two otherwise (editDistance gives up past the limit).
  const limit = Math.min(wanted.length, candidate.length) <= 4 ? 1 : 2;
  const distance = editDistance(wanted, candidate, limit);
  return distance <= limit ? distance : undefined;
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
    const declared = new Map<string, DeclaredScope>();
    for (const entry of context.facts) {
      if (entry.fact.role !== 'declares') continue;
      const key = scope(entry.fact);
      let group = declared.get(key);
      if (!group) declared.set(key, (group = { names: new Set(), entries: [], normalised: [], nearest: new Map() }));
      if (group.names.has(entry.fact.name)) continue;
      group.names.add(entry.fact.name);
      group.entries.push(entry);
      group.normalised.push(normaliseName(entry.fact.name));
    }
    const onlyNearMisses = context.options.onlyNearMisses !== false;
    for (const entry of context.facts) {
      const { fact } = entry;
      if (fact.role !== 'refers') continue;
      // Gate: only where the run defines objects of this kind in this namespace.
      const group = declared.get(scope(fact));
      if (!group || group.names.has(fact.name)) continue;
      // A monorepo repeats the same reference in many files: each missing name is looked up once.
      let match = group.nearest.get(fact.name);
      if (match === undefined) group.nearest.set(fact.name, (match = nearestDeclared(fact.name, group, onlyNearMisses)));
      // Objects a controller creates at run time (MetalLB's memberlist Secret), kustomize generates,
      // or another repository holds are missing from many runs; a near miss is a typo.
      if (!match) continue;
      const { nearest, close } = match;
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

/** The objects of one kind in one namespace that the run defines (the first definition of each name). */
interface DeclaredScope {
  names: Set<string>;
  entries: Array<RunFact<Fact>>;
  /** Missing names already looked up, with what was found (null: nothing to report). */
  nearest: Map<string, { nearest: RunFact<Fact>; close: boolean } | null>;
  /** The entries' names as normaliseName gives them, in the same order. */
  normalised: string[];
}

/**
 * The declared name nearest to a missing one, or null when there is nothing to report. With
 * onlyNearMisses only a near miss counts (the closest by edits), and distances are bounded;
 * otherwise the closest of all, near or not.
 */
function nearestDeclared(wanted: string, group: DeclaredScope, onlyNearMisses: boolean): { nearest: RunFact<Fact>; close: boolean } | null {
  let nearest: RunFact<Fact> | undefined;
  let best = Infinity;
  if (onlyNearMisses) {
    const normalisedWanted = normaliseName(wanted);
    group.entries.forEach((candidate, index) => {
      const distance = nearMissDistance(wanted, candidate.fact.name, normalisedWanted, group.normalised[index]);
      if (distance !== undefined && distance < best) [nearest, best] = [candidate, distance];
    });
    return nearest ? { nearest, close: true } : null;
  }
  for (const candidate of group.entries) {
    const distance = editDistance(wanted, candidate.fact.name, best);
    if (distance < best) [nearest, best] = [candidate, distance];
  }
  nearest ??= group.entries[0]!;
  return { nearest, close: isClose(wanted, nearest.fact.name) };
}

export default rule;
