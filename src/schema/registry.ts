/**
 * The bundled Kubernetes schemas (schemas/, made by `npm run schemas`) turned into JSON
 * Schema for ajv, per Kubernetes version and strictness, compiled only for the kinds a
 * run actually meets, once each.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ValidateFunction } from 'ajv';
import type { KubeVersion } from '../types.js';
import { formatKubeVersion } from '../kube-version.js';

const Ajv = AjvModule.default;
type JsonSchema = Record<string, unknown>;

const SCHEMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schemas');
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

interface BundledIndex {
  names: string[];
  versions: Record<string, { shapes: number[]; kinds: Record<string, string> }>;
}

let indexCache: BundledIndex | undefined;
let shapesCache: Record<string, JsonSchema[]> | undefined;

export function bundledIndex(): BundledIndex {
  indexCache ??= JSON.parse(readFileSync(path.join(SCHEMA_DIR, 'index.json'), 'utf8')) as BundledIndex;
  return indexCache;
}

function bundledShapes(): Record<string, JsonSchema[]> {
  shapesCache ??= JSON.parse(readFileSync(path.join(SCHEMA_DIR, 'definitions.json'), 'utf8')) as Record<string, JsonSchema[]>;
  return shapesCache;
}

/** The definition name serving apiVersion/kind in a version, if the version serves it. */
export function definitionFor(version: KubeVersion, apiVersion: string, kind: string): string | undefined {
  return bundledIndex().versions[formatKubeVersion(version)]?.kinds[`${apiVersion}/${kind}`];
}

export function isBundledVersion(version: KubeVersion): boolean {
  return formatKubeVersion(version) in bundledIndex().versions;
}

/** Every apiVersion a version serves for a kind (for "use X instead" advice). */
export function servedApiVersions(version: KubeVersion, kind: string): string[] {
  const kinds = bundledIndex().versions[formatKubeVersion(version)]?.kinds ?? {};
  return Object.keys(kinds)
    .filter((key) => key.endsWith(`/${kind}`) && key.split('/').length >= 2)
    .map((key) => key.slice(0, key.length - kind.length - 1));
}

/** The bundled versions ("1.30") that serve apiVersion/kind. */
export function versionsServing(apiVersion: string, kind: string): string[] {
  return Object.entries(bundledIndex().versions)
    .filter(([, entry]) => `${apiVersion}/${kind}` in entry.kinds)
    .map(([version]) => version);
}

/** Every API group any bundled version serves ("" for the core group). */
export function builtInGroups(): Set<string> {
  const groups = new Set<string>();
  for (const { kinds } of Object.values(bundledIndex().versions)) {
    for (const key of Object.keys(kinds)) {
      const parts = key.split('/');
      groups.add(parts.length === 3 ? parts[0]! : '');
    }
  }
  return groups;
}

/** Converts a stored definition to the JSON Schema ajv validates with. */
function toJsonSchema(node: unknown, strict: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, strict));
  if (node === null || typeof node !== 'object') return node;
  const source = node as JsonSchema;
  if (typeof source.$ref === 'string') {
    return source.$ref === QUANTITY ? QUANTITY_SCHEMA : { $ref: `#/definitions/${source.$ref}` };
  }
  if (source.format === 'int-or-string' || source['x-kubernetes-int-or-string']) return { type: ['integer', 'string'] };
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'format' || key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([name, schema]) => [name, toJsonSchema(schema, strict)]),
      );
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = typeof value === 'object' ? toJsonSchema(value, strict) : value;
    } else out[key] = value;
  }
  // Strict field validation, as kubectl >= 1.27 does: an object with known fields accepts no others.
  if (strict && out.properties && out.additionalProperties === undefined && !source['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/** resource.Quantity is written as a string ("100m") or a plain number (1, 0.5). */
const QUANTITY_SCHEMA = { type: ['string', 'number'] };

export interface KindValidator {
  validate: ValidateFunction;
  /** The definitions, for walking the schema when explaining an error. */
  definitions: Record<string, JsonSchema>;
  root: string;
}

/** One ajv instance per version and strictness; validators compiled on first use. */
export class SchemaRegistry {
  private readonly instances = new Map<string, { ajv: InstanceType<typeof Ajv>; definitions: Record<string, JsonSchema> }>();
  private readonly validators = new Map<string, KindValidator>();

  constructor(private readonly strict: boolean) {}

  validatorFor(version: KubeVersion, definition: string): KindValidator | undefined {
    const versionKey = formatKubeVersion(version);
    const cacheKey = `${versionKey}|${definition}`;
    const cached = this.validators.get(cacheKey);
    if (cached) return cached;
    const instance = this.instanceFor(versionKey);
    if (!instance || !instance.definitions[definition]) return undefined;
    const validate = instance.ajv.getSchema(`k8s#/definitions/${definition}`);
    if (!validate) return undefined;
    const validator = { validate, definitions: instance.definitions, root: definition };
    this.validators.set(cacheKey, validator);
    return validator;
  }

  private instanceFor(versionKey: string) {
    const existing = this.instances.get(versionKey);
    if (existing) return existing;
    const entry = bundledIndex().versions[versionKey];
    if (!entry) return undefined;
    const shapes = bundledShapes();
    const { names } = bundledIndex();
    const definitions: Record<string, JsonSchema> = {};
    entry.shapes.forEach((shape, i) => {
      if (shape >= 0) definitions[names[i]!] = toJsonSchema(shapes[names[i]!]![shape], this.strict) as JsonSchema;
    });
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, inlineRefs: false });
    ajv.addSchema({ $id: 'k8s', definitions });
    const instance = { ajv, definitions };
    this.instances.set(versionKey, instance);
    return instance;
  }
}
