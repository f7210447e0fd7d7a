/**
 * Validates every object against the Kubernetes OpenAPI schema of the target version
 * (bundled in schemas/), or a --schema-dir schema for custom resources. Kinds without a
 * schema are skipped: a custom resource is not an error.
 */
import type { Rule } from '../src/engine/rule.js';
import { builtInGroups, definitionFor, SchemaRegistry } from '../src/schema/registry.js';
import path from 'node:path';
import { CustomSchemas, type SchemaProblem } from '../src/schema/custom.js';
import { explainErrors, shortTypeName, withoutNulls, type SchemaContext } from '../src/schema/explain.js';
import { asString, isPartialWorkload, quote } from '../src/kube.js';
import { unknownKind } from '../src/schema/kinds.js';
import type { ValidateFunction } from 'ajv';
import type { KubeVersion } from '../src/types.js';
import { quotePlainScalar } from '../src/fix/edits.js';

export interface SchemaOptions {
  /** Unknown fields are errors (kubectl >= 1.27's strict field validation). Default true. */
  strict?: boolean;
  /** Directories of extra JSON schemas, kubeconform layout. */
  schemaDirs?: string[];
  /** The bundled version to validate against when the target version is not bundled (set by resolveRun). */
  schemaVersion?: KubeVersion;
}

/** Required fields a dedicated rule explains better: kind -> dotted paths. */
const OWNED_BY_OTHER_RULES: Record<string, string[]> = {
  DaemonSet: ['spec.selector'], // daemonset-selector-mismatch
};

const registries = new Map<boolean, SchemaRegistry>();
const customByDirs = new Map<string, CustomSchemas>();

const rule: Rule = {
  meta: {
    id: 'schema',
    severity: 'error',
    description: 'Every object must match the Kubernetes OpenAPI schema of the target version.',
    rationale:
      'The API server decodes objects with their Go types: a field of the wrong type makes the whole object fail ' +
      'to decode, and an unknown field (a typo such as imagePullPolice) is rejected by strict field validation ' +
      '(kubectl >= 1.27) or silently dropped by older clients, so the setting never takes effect.',
    kinds: '*',
    messages: {
      unknownField:
        'unknown field {{field}} in {{type}}{{suggestion}}: kubectl (>= 1.27) rejects it with strict field validation, ' +
        'and older clients silently drop it.',
      wrongType: '{{field}} must be {{expected}}, got {{actual}}: the API server cannot decode the object.',
      yaml11:
        '{{field}} must be {{expected}}, but unquoted {{source}} is {{actual}}{{why}}. Quote it: {{field}}: "{{source}}".',
      missingField: 'missing required field {{field}} in {{type}}: the API server rejects the object.',
      notInEnum: '{{field}} must be one of {{allowed}}, got {{actual}}.',
      invalid: '{{field}} {{detail}}.',
      schemaFile: 'cannot check {{kind}} against the schema {{file}}: {{problem}}.',
      unknownKind:
        'kind {{kind}} is not served by {{apiVersion}} in Kubernetes {{version}}{{suggestion}}: the API server rejects it ' +
        '(no matches for kind {{kind}} in version {{apiVersion}}). Kinds are case-sensitive.',
    },
  },
  check(context) {
    const apiVersion = asString(context.object.apiVersion);
    const kind = asString(context.object.kind);
    if (!apiVersion || !kind) return;
    const options = context.options as SchemaOptions;
    const version = options.schemaVersion ?? context.kubeVersion;
    const found = validatorFor(version, apiVersion, kind, options);
    if (!found) {
      const unknown = unknownKind(version, apiVersion, kind);
      if (unknown) {
        context.report({
          messageId: 'unknownKind',
          data: {
            kind: quote(kind),
            apiVersion: quote(apiVersion),
            version: `${version.major}.${version.minor}`,
            suggestion: unknown.suggestion ? ` (did you mean ${quote(unknown.suggestion)}?)` : '',
          },
          path: ['kind'],
          target: 'value',
        });
      }
      return;
    }
    if ('problem' in found) {
      context.report({ messageId: 'schemaFile', path: ['kind'], data: { kind, file: displayPath(found.file), problem: found.problem } });
      return;
    }
    const value = withoutNulls(context.object);
    if (found.validate(value)) return;
    // Only a failing object pays for the schema walk that explains its errors.
    let findings = explainErrors(found.validate.errors ?? [], value, found.explain(), (path) => context.sourceText(path));
    // A partial object (a kustomize patch) is missing fields by design; everything else still counts.
    if (context.isPatch || isPartialWorkload(context.object)) findings = findings.filter((finding) => finding.messageId !== 'missingField');
    const owned = OWNED_BY_OTHER_RULES[kind] ?? [];
    findings = findings.filter(
      (finding) => finding.messageId !== 'missingField' || !owned.includes([...finding.path, JSON.parse(finding.data.field!)].join('.')),
    );
    for (const finding of findings) {
      context.report(finding.messageId === 'yaml11' ? { ...finding, fix: quotePlainScalar(finding.path) } : finding);
    }
  },
};

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

/** A schema file as the user would type it: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
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
  const version = options.schemaVersion ?? kubeVersion;
  // The bundled index answers without compiling anything; only custom kinds look at --schema-dir.
  if (definitionFor(version, apiVersion, kind) || unknownKind(version, apiVersion, kind)) return undefined;
  // A built-in group without a schema is an apiVersion the version does not serve (extensions
  // is the one no bundled version serves any more): deprecated-api-version says so.
  builtInGroupNames ??= new Set([...builtInGroups(), 'extensions']);
  if (builtInGroupNames.has(apiVersion.includes('/') ? apiVersion.split('/')[0]! : '')) return undefined;
  if (validatorFor(version, apiVersion, kind, options)) return undefined;
  return `${apiVersion} ${kind}`;
}

export default rule;
