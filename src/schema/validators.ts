/**
 * The schema stage's lookups: the validator an object is checked with (bundled OpenAPI
 * schemas, or a --schema-dir schema for custom resources), and whether any schema covers
 * it. The schema rule and the engine's run summary share them, so the engine needs no rule.
 */
import type { ValidateFunction } from 'ajv';
import { builtInGroups, definitionFor, SchemaRegistry } from './registry.js';
import { CustomSchemas, type SchemaProblem } from './custom.js';
import { shortTypeName, type SchemaContext } from './explain.js';
import { unknownKind } from './kinds.js';
import { asString } from '../kube.js';
import type { KubeVersion } from '../types.js';
import { nearestBundled } from '../kube-version.js';

export interface SchemaOptions {
  /** Unknown fields are errors (kubectl >= 1.27's strict field validation). Default true. */
  strict?: boolean;
  /** Directories of extra JSON schemas, kubeconform layout (absolute once resolveRun anchored them). */
  schemaDirs?: readonly string[];
}

const registries = new Map<boolean, SchemaRegistry>();
const customByDirs = new Map<string, CustomSchemas>();

/** The validator for apiVersion/kind: bundled for built-in kinds, from --schema-dir for others. */
export function validatorFor(
  version: KubeVersion,
  apiVersion: string,
  kind: string,
  options: SchemaOptions,
): { validate: ValidateFunction; explain: () => SchemaContext } | SchemaProblem | undefined {
  const definition = definitionFor(version, apiVersion, kind);
  if (definition) {
    const strict = options.strict ?? true;
    let registry = registries.get(strict);
    if (!registry) registries.set(strict, (registry = new SchemaRegistry(strict)));
    const validator = registry.validatorFor(version, definition);
    if (!validator) return undefined;
    return {
      validate: validator.validate,
      explain: () => ({ definitions: validator.definitions, root: definition, rootType: shortTypeName(definition) }),
    };
  }
  const dirs = options.schemaDirs ?? [];
  if (dirs.length === 0) return undefined;
  const key = dirs.join('\0');
  let custom = customByDirs.get(key);
  if (!custom) customByDirs.set(key, (custom = new CustomSchemas(dirs)));
  const found = custom.find(apiVersion, kind);
  if (!found || 'problem' in found) return found;
  return {
    validate: found.validate,
    explain: () => ({ definitions: (found.schema.definitions as SchemaContext['definitions']) ?? {}, root: found.schema, rootType: kind }),
  };
}

let builtInGroupNames: Set<string> | undefined;

/**
 * "apiVersion kind" of an object no schema validates (a custom resource without a
 * --schema-dir schema), or undefined; for the run's summary and schema-missing.
 */
export function notSchemaValidated(object: Readonly<Record<string, unknown>>, kubeVersion: KubeVersion, options: SchemaOptions): string | undefined {
  const apiVersion = asString(object.apiVersion);
  const kind = asString(object.kind);
  if (!apiVersion || !kind) return undefined;
  // Outside the bundled range, the nearest bundled version's schemas stand in.
  const version = nearestBundled(kubeVersion);
  // The bundled index answers without compiling anything; only custom kinds look at --schema-dir.
  if (definitionFor(version, apiVersion, kind) || unknownKind(version, apiVersion, kind)) return undefined;
  // A built-in group without a schema is an apiVersion the version does not serve (extensions
  // is the one no bundled version serves any more): deprecated-api-version says so.
  builtInGroupNames ??= new Set([...builtInGroups(), 'extensions']);
  if (builtInGroupNames.has(apiVersion.includes('/') ? apiVersion.split('/')[0]! : '')) return undefined;
  if (validatorFor(version, apiVersion, kind, options)) return undefined;
  return `${apiVersion} ${kind}`;
}

