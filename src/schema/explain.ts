/**
 * Turns ajv's errors into findings a person can act on: one per problem, placed at the
 * unknown key, the wrong value, or the object missing a field, in words rather than
 * JSON pointers. Duplicates and cascades are collapsed.
 */
import type { ErrorObject } from 'ajv';
import type { ObjectPath, Target } from '../types.js';
import { knownFreeOfNullFields } from '../parse/fast-parse.js';

type JsonSchema = Record<string, unknown>;

export interface SchemaFinding {
  messageId: 'unknownField' | 'wrongType' | 'yaml11' | 'missingField' | 'notInEnum' | 'invalid';
  data: Record<string, string>;
  path: ObjectPath;
  target: Target;
  /** For an unknown field with a did-you-mean: the known field's name (a rename suggestion). */
  suggestedName?: string;
}

export interface SchemaContext {
  definitions: Record<string, JsonSchema>;
  /** The root schema (a definition name for bundled schemas, or an inline schema). */
  root: string | JsonSchema;
  /** Human name of the root type (DaemonSet). */
  rootType: string;
}

/** io.k8s.api.core.v1.Container -> Container */
export function shortTypeName(definition: string): string {
  return definition.slice(definition.lastIndexOf('.') + 1);
}

function deref(schema: JsonSchema | undefined, context: SchemaContext): { schema: JsonSchema | undefined; type?: string } {
  let current = schema;
  let type: string | undefined;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 50; hops++) {
    const name = (current.$ref as string).replace(/^#\/definitions\//, '');
    type = shortTypeName(name);
    current = context.definitions[name];
  }
  return { schema: current, type };
}

/** The schema at `path` and the name of the nearest named type containing it. */
export function schemaAt(path: ObjectPath, context: SchemaContext): { schema: JsonSchema | undefined; type: string } {
  const start = typeof context.root === 'string' ? ({ $ref: context.root } as JsonSchema) : context.root;
  let { schema, type = context.rootType } = deref(start, context);
  for (const segment of path) {
    if (!schema) break;
    let next: JsonSchema | undefined;
    if (typeof segment === 'number') next = schema.items as JsonSchema | undefined;
    else {
      const properties = schema.properties as Record<string, JsonSchema> | undefined;
      next = properties?.[segment] ?? (typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as JsonSchema) : undefined);
    }
    const resolved = deref(next, context);
    schema = resolved.schema;
    if (resolved.type) type = resolved.type;
  }
  return { schema, type: type ?? context.rootType };
}

/** JSON pointer -> path, with array indexes as numbers (decided by the value, not the text). */
export function pointerToPath(pointer: string, value: unknown): ObjectPath {
  if (pointer === '') return [];
  const path: Array<string | number> = [];
  let current = value;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      path.push(Number(segment));
      current = current[Number(segment)];
    } else {
      path.push(segment);
      current = current && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

function valueAt(value: unknown, path: ObjectPath): unknown {
  let current = value;
  for (const segment of path) current = current && typeof current === 'object' ? (current as Record<string | number, unknown>)[segment] : undefined;
  return current;
}

/** How a field is named in a message: `containerPort`, `args[2]`. */
function fieldName(path: ObjectPath, fallback: string): string {
  const last = path[path.length - 1];
  if (last === undefined) return fallback;
  if (typeof last === 'number') {
    const parent = path[path.length - 2];
    return `${parent === undefined ? 'item' : String(parent)}[${last}]`;
  }
  return last;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value)}`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'object':
      return 'a mapping';
    default:
      return String(value);
  }
}

function describeType(type: unknown): string {
  const types = (Array.isArray(type) ? type : String(type).split(',')).map(String).sort();
  const key = types.join(',');
  if (key === 'integer,string') return 'an integer or a string (such as 8080 or "http")';
  if (key === 'number,string') return 'a quantity (such as 100m, 1Gi or 2)';
  const names: Record<string, string> = {
    integer: 'an integer',
    number: 'a number',
    string: 'a string',
    boolean: 'a boolean (true or false)',
    object: 'a mapping',
    array: 'a list',
    null: 'null',
  };
  return types.map((t) => names[t] ?? t).join(' or ');
}

/** Plain scalars that only YAML 1.1 (which Kubernetes uses) reads as booleans or numbers. */
const YAML11_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const YAML11_NUMBER = /^[-+]?(?:0[0-7_]+|0b[01_]+|[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?)$/;

export function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0 : levenshtein(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length * 0.4)) ? best : undefined;
}

/** Ranks errors so that, at one place, the most specific explanation wins. */
const PRIORITY: Record<string, number> = { type: 0, required: 1, additionalProperties: 1, enum: 2 };

export function explainErrors(
  errors: readonly ErrorObject[],
  value: unknown,
  context: SchemaContext,
  sourceOf: (path: ObjectPath) => string | undefined,
): SchemaFinding[] {
  const findings: SchemaFinding[] = [];
  const seen = new Set<string>();
  const typeErrorAt = new Set<string>();
  const sorted = [...errors].sort((a, b) => (PRIORITY[a.keyword] ?? 9) - (PRIORITY[b.keyword] ?? 9));
  for (const error of sorted) {
    // anyOf/oneOf umbrellas repeat what their branches said.
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue;
    const path = pointerToPath(error.instancePath, value);
    const where = error.instancePath;
    if (error.keyword !== 'type' && typeErrorAt.has(where)) continue;
    const finding = explainOne(error, path, value, context, sourceOf);
    const key = `${finding.messageId}|${JSON.stringify(finding.path)}|${JSON.stringify(finding.data)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (error.keyword === 'type') typeErrorAt.add(where);
    findings.push(finding);
  }
  return findings;
}

function explainOne(
  error: ErrorObject,
  path: ObjectPath,
  value: unknown,
  context: SchemaContext,
  sourceOf: (path: ObjectPath) => string | undefined,
): SchemaFinding {
  const { type } = schemaAt(path, context);
  const field = fieldName(path, context.rootType);
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((schemaAt(path, context).schema?.properties as object | undefined) ?? {});
      const suggestion = closest(name, known);
      return {
        messageId: 'unknownField',
        data: { field: JSON.stringify(name), type, suggestion: suggestion ? ` (did you mean "${suggestion}"?)` : '' },
        path: [...path, name],
        target: 'key',
        ...(suggestion ? { suggestedName: suggestion } : {}),
      };
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      return {
        messageId: 'missingField',
        data: { field: JSON.stringify(missing), type },
        path: path.length ? path : ['kind'],
        target: path.length ? 'key' : 'value',
      };
    }
    case 'type': {
      const actual = valueAt(value, path);
      const expected = (error.params as { type: unknown }).type;
      const wantsString = (Array.isArray(expected) ? expected : String(expected).split(',')).includes('string');
      const source = sourceOf(path);
      if (wantsString && source !== undefined && (typeof actual === 'boolean' || typeof actual === 'number')) {
        const only11 = typeof actual === 'boolean' ? YAML11_BOOLEAN.test(source) : YAML11_NUMBER.test(source);
        return {
          messageId: 'yaml11',
          data: {
            field,
            expected: describeType(expected),
            actual: describeValue(actual),
            source,
            why: only11 ? ' in YAML 1.1, which is how Kubernetes reads manifests' : '',
          },
          path,
          target: 'value',
        };
      }
      return {
        messageId: 'wrongType',
        data: { field, expected: describeType(expected), actual: describeValue(actual) },
        path,
        target: 'value',
      };
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v));
      return {
        messageId: 'notInEnum',
        data: { field, allowed: allowed.join(', '), actual: describeValue(valueAt(value, path)) },
        path,
        target: 'value',
      };
    }
    default:
      return { messageId: 'invalid', data: { field, detail: error.message ?? error.keyword }, path, target: 'value' };
  }
}

/**
 * Kubernetes treats an explicit null as "not set": null fields are dropped before validating.
 * The parts of `value` without one are shared, not copied (validators do not change data).
 */
export function withoutNulls(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && knownFreeOfNullFields(value)) return value;
  return withoutNullFields(value);
}

// For-in and index loops, which allocate nothing until a null is found (Object.values did).
function withoutNullFields(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const kept = withoutNullFields(item);
      if (kept !== item) (copy ??= value.slice())[i] = kept;
    }
    return copy ?? value;
  }
  const object = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const field = object[key];
    const dropped = field === null;
    const kept = dropped ? undefined : withoutNullFields(field);
    if (copy === undefined && (dropped || kept !== field)) copy = fieldsBefore(object, key);
    if (copy !== undefined && !dropped) copy[key] = kept;
  }
  return copy ?? value;
}

/** A copy of the own fields of `object` that come before `key`. */
function fieldsBefore(object: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const earlier in object) {
    if (earlier === key) break;
    if (Object.hasOwn(object, earlier)) copy[earlier] = object[earlier];
  }
  return copy;
}
