/** Small typed helpers for reading decoded Kubernetes objects safely. */
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

/** Quotes a value for a message the way a person would write it in YAML. */
export function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
