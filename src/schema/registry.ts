/**
 * The bundled Kubernetes schemas (schemas/, made by `npm run schemas`) turned into JSON
 * Schema for ajv, per Kubernetes version and strictness, compiled only for the kinds a
 * run actually meets, once each.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type AjvModule from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { KubeVersion } from '../types.js';
import { formatKubeVersion } from '../kube-version.js';
import { PACKAGE_ROOT } from '../package-root.js';

type JsonSchema = Record<string, unknown>;

const SCHEMA_DIR = path.join(PACKAGE_ROOT, 'schemas');
/** Validators compiled at build time (scripts/precompile-validators.ts), one CommonJS module per version. */
export const PRECOMPILED_DIR = path.join(PACKAGE_ROOT, 'dist', 'validators');
const requireModule = createRequire(import.meta.url);

/**
 * The kinds precompiled at build time, one module per version and group: workloads and the
 * kinds every repository has, then what node agents ship beside their DaemonSets (a
 * run-time compile costs ajv's codegen, then V8's compile of the generated code, on the
 * first object of each kind). The second group is loaded only when one of its kinds is
 * validated, so that a run over one DaemonSet does not load and compile it.
 */
export const PRECOMPILED_GROUPS: ReadonlyArray<{ file: string; kinds: readonly string[] }> = [
  {
    file: '',
    kinds: [
      'apps/v1/DaemonSet',
      'v1/Pod',
      'apps/v1/Deployment',
      'v1/ConfigMap',
      'v1/Secret',
      'v1/Service',
      'v1/ServiceAccount',
      'v1/Namespace',
      'rbac.authorization.k8s.io/v1/ClusterRole',
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
      'rbac.authorization.k8s.io/v1/Role',
      'rbac.authorization.k8s.io/v1/RoleBinding',
      // The other workloads: their pod templates share the code of the DaemonSet's.
      'apps/v1/StatefulSet',
      'batch/v1/Job',
      'batch/v1/CronJob',
    ],
  },
  {
    file: '-beside',
    kinds: [
      'networking.k8s.io/v1/NetworkPolicy',
      'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration',
      'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration',
      'scheduling.k8s.io/v1/PriorityClass',
      'policy/v1/PodDisruptionBudget',
      'storage.k8s.io/v1/CSIDriver',
      'apiregistration.k8s.io/v1/APIService',
    ],
  },
];

/** The module of a version's precompiled group. */
export function precompiledFile(versionKey: string, group: { file: string }): string {
  return path.join(PRECOMPILED_DIR, `v${versionKey}${group.file}.cjs`);
}

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
  return definitionsServed(version)?.get(apiVersion)?.get(kind);
}

/**
 * A version's kinds as apiVersion → kind → definition, built on first use: asked several
 * times of every object, where joining "apiVersion/kind" and looking it up among a version's
 * hundreds of keys was 1.5% of a run.
 */
const servedByVersion = new Map<string, Map<string, Map<string, string>> | undefined>();
function definitionsServed(version: KubeVersion): Map<string, Map<string, string>> | undefined {
  const versionKey = formatKubeVersion(version);
  if (servedByVersion.has(versionKey)) return servedByVersion.get(versionKey);
  const kinds = bundledIndex().versions[versionKey]?.kinds;
  let byApiVersion: Map<string, Map<string, string>> | undefined;
  if (kinds) {
    byApiVersion = new Map();
    for (const [key, definition] of Object.entries(kinds)) {
      const slash = key.lastIndexOf('/');
      const apiVersion = key.slice(0, slash);
      const ofApiVersion = byApiVersion.get(apiVersion) ?? byApiVersion.set(apiVersion, new Map()).get(apiVersion)!;
      ofApiVersion.set(key.slice(slash + 1), definition);
    }
  }
  servedByVersion.set(versionKey, byApiVersion);
  return byApiVersion;
}

export function isBundledVersion(version: KubeVersion): boolean {
  return formatKubeVersion(version) in bundledIndex().versions;
}

/** Every apiVersion a version serves for a kind (for "use X instead" advice). */
export function servedApiVersions(version: KubeVersion, kind: string): string[] {
  const kinds = bundledIndex().versions[formatKubeVersion(version)]?.kinds ?? {};
  return Object.keys(kinds)
    .filter((key) => key.endsWith(`/${kind}`))
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

/** The JSON Schema definitions of one version, as ajv validates them. */
export function jsonSchemaDefinitions(versionKey: string, strict: boolean): Record<string, JsonSchema> | undefined {
  const entry = bundledIndex().versions[versionKey];
  if (!entry) return undefined;
  const shapes = bundledShapes();
  const { names } = bundledIndex();
  const definitions: Record<string, JsonSchema> = {};
  entry.shapes.forEach((shape, i) => {
    if (shape >= 0) definitions[names[i]!] = toJsonSchema(shapes[names[i]!]![shape], strict) as JsonSchema;
  });
  return definitions;
}

export const AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false, inlineRefs: false } as const;

export interface KindValidator {
  validate: ValidateFunction;
  /** The definitions, for walking the schema when explaining an error (built on first use). */
  readonly definitions: Record<string, JsonSchema>;
  root: string;
}

/**
 * Validators per version and strictness: precompiled ones when the build made them,
 * otherwise one ajv instance per version compiling each kind on first use.
 */
export class SchemaRegistry {
  private readonly instances = new Map<string, AjvModule.default>();
  private readonly definitions = new Map<string, Record<string, JsonSchema>>();
  /** By version, then definition: asked of every object, so no key string is built per call. */
  private readonly validators = new Map<string, Map<string, KindValidator>>();

  constructor(private readonly strict: boolean) {}

  validatorFor(version: KubeVersion, definition: string): KindValidator | undefined {
    const versionKey = formatKubeVersion(version);
    let ofVersion = this.validators.get(versionKey);
    if (!ofVersion) this.validators.set(versionKey, (ofVersion = new Map()));
    const cached = ofVersion.get(definition);
    if (cached) return cached;
    const validate = this.precompiled(versionKey, definition) ?? this.compile(versionKey, definition);
    if (!validate) return undefined;
    const definitionsOf = () => this.definitionsFor(versionKey);
    const validator: KindValidator = {
      validate,
      root: definition,
      get definitions() {
        return definitionsOf();
      },
    };
    ofVersion.set(definition, validator);
    return validator;
  }

  private definitionsFor(versionKey: string): Record<string, JsonSchema> {
    let definitions = this.definitions.get(versionKey);
    if (!definitions) {
      definitions = jsonSchemaDefinitions(versionKey, this.strict) ?? {};
      this.definitions.set(versionKey, definitions);
    }
    return definitions;
  }

  private precompiled(versionKey: string, definition: string): ValidateFunction | undefined {
    if (!this.strict) return undefined;
    const kinds = bundledIndex().versions[versionKey]?.kinds ?? {};
    const group = PRECOMPILED_GROUPS.find((candidate) => candidate.kinds.some((kind) => kinds[kind] === definition));
    if (!group) return undefined;
    const file = precompiledFile(versionKey, group);
    if (!existsSync(file)) return undefined;
    const module = requireModule(file) as Record<string, ValidateFunction>;
    return module[definition];
  }

  private compile(versionKey: string, definition: string): ValidateFunction | undefined {
    let ajv = this.instances.get(versionKey);
    if (!ajv) {
      const definitions = this.definitionsFor(versionKey);
      // ajv is loaded only when a validator was not precompiled at build time.
      const Ajv = (requireModule('ajv') as typeof AjvModule).default;
      ajv = new Ajv(AJV_OPTIONS);
      ajv.addSchema({ $id: 'k8s', definitions });
      this.instances.set(versionKey, ajv);
    }
    if (!this.definitionsFor(versionKey)[definition]) return undefined;
    return ajv.getSchema(`k8s#/definitions/${definition}`);
  }
}
