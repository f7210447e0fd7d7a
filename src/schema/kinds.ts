/**
 * Which kinds a built-in API group/version serves, from the bundled schema index: a kind
 * the group/version does not serve (`apps/v1 DaemonSett`, `v1 Pood`, `daemonset`) is
 * rejected by the API server ("no matches for kind"), so it must not pass unchecked.
 */
import { bundledIndex, versionsServing } from './registry.js';
import { closest } from './explain.js';
import { formatKubeVersion } from '../kube-version.js';
import type { KubeVersion } from '../types.js';

const servedCache = new Map<string, Map<string, string[]>>();

/** apiVersion -> kinds, for one bundled version. */
function servedKinds(version: KubeVersion): Map<string, string[]> {
  const key = formatKubeVersion(version);
  let served = servedCache.get(key);
  if (!served) {
    served = new Map();
    for (const entry of Object.keys(bundledIndex().versions[key]?.kinds ?? {})) {
      const slash = entry.lastIndexOf('/');
      const apiVersion = entry.slice(0, slash);
      const list = served.get(apiVersion) ?? [];
      list.push(entry.slice(slash + 1));
      served.set(apiVersion, list);
    }
    servedCache.set(key, served);
  }
  return served;
}

export interface UnknownKind {
  /** The kind the group/version does serve that is closest to what was written, if any. */
  suggestion?: string;
}

/**
 * Undefined when the kind is fine or not ours to judge: a group/version the version does not
 * serve (a custom group, or a removed one: deprecated-api-version's business), a kind some
 * bundled version serves there, or a `List`.
 */
export function unknownKind(version: KubeVersion, apiVersion: string, kind: string): UnknownKind | undefined {
  const kinds = servedKinds(version).get(apiVersion);
  if (!kinds || kinds.includes(kind) || kind === 'List') return undefined;
  if (versionsServing(apiVersion, kind).length > 0) return undefined;
  // Only top-level resources and their lists are useful suggestions.
  const candidates = kinds.filter((candidate) => !candidate.endsWith('List') || kind.endsWith('List'));
  const sameCase = candidates.find((candidate) => candidate.toLowerCase() === kind.toLowerCase());
  const suggestion = sameCase ?? closest(kind, candidates);
  return suggestion ? { suggestion } : {};
}
