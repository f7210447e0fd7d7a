/** Small typed helpers for reading decoded Kubernetes objects safely. */
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import type { ObjectPath } from './types.js';
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getIn(value: unknown, path: ObjectPath): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isPlainObject(current) && typeof segment === 'string') current = current[segment];
    else return undefined;
  }
  return current;
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return isPlainObject(value) ? value : undefined;
}

/**
 * A decoded object seen through a kubernetes-types interface: field names are checked at
 * compile time (a typo like `tolerashuns` does not build), but every value stays `unknown`
 * until a guard checks it, because manifests are untrusted input.
 */
export type Fields<T> = { readonly [K in keyof T]-?: unknown };

export function fieldsOf<T>(value: unknown): Fields<T> | undefined {
  return isPlainObject(value) ? (value as Fields<T>) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The path of the PodSpec inside a workload object, or undefined for kinds without one. */
export function podSpecPath(kind: unknown): ObjectPath | undefined {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'DaemonSet':
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'Job':
    case 'ReplicationController':
    case 'PodTemplate':
      return kind === 'PodTemplate' ? ['template', 'spec'] : ['spec', 'template', 'spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    default:
      return undefined;
  }
}

export const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** Every container of a PodSpec with its path, in containers, initContainers and ephemeralContainers. */
export function containersOf(
  podSpec: Fields<PodSpec>,
  specPath: ObjectPath,
): Array<{ container: Fields<Container>; path: ObjectPath }> {
  return CONTAINER_LISTS.flatMap((list) =>
    asArray(podSpec[list]).flatMap((item, index) => {
      const container = fieldsOf<Container>(item);
      return container ? [{ container, path: [...specPath, list, index] }] : [];
    }),
  );
}

/** Quotes a value for a message the way a person would write it in YAML. */
export function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * A workload whose pod template has no containers is a partial object, such as a
 * kustomize strategic-merge patch: rules that need the whole object skip it (the schema
 * check still says what is missing).
 */
export function isPartialWorkload(object: Readonly<Record<string, unknown>>): boolean {
  const specPath = podSpecPath(object.kind);
  if (!specPath) return false;
  return !Array.isArray(asObject(getIn(object, specPath))?.containers);
}
