/**
 * Validates every object against the Kubernetes OpenAPI schema of the target version
 * (bundled in schemas/), or a --schema-dir schema for custom resources. Kinds without a
 * schema are skipped: a custom resource is not an error.
 */
import type { Rule } from '../src/rule.js';
import { definitionFor, SchemaRegistry } from '../src/schema/registry.js';
import { CustomSchemas } from '../src/schema/custom.js';
import { explainErrors, shortTypeName, withoutNulls, type SchemaContext } from '../src/schema/explain.js';
import { asString, isPartialWorkload } from '../src/kube.js';

export interface SchemaOptions {
  /** Unknown fields are errors (kubectl >= 1.27's strict field validation). Default true. */
  strict?: boolean;
  /** Directories of extra JSON schemas, kubeconform layout. */
  schemaDirs?: string[];
}

/** Required fields a dedicated rule explains better (kind: field paths). */
const OWNED_BY_OTHER_RULES: Record<string, string[]> = {
  DaemonSet: ['["spec"]|"selector"'], // daemonset-selector-mismatch
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
    },
  },
  check(context) {
    const apiVersion = asString(context.object.apiVersion);
    const kind = asString(context.object.kind);
    if (!apiVersion || !kind) return;
    const options = context.options as SchemaOptions;
    const strict = options.strict ?? true;
    const value = withoutNulls(context.object);

    let validate;
    let schemaContext: SchemaContext;
    const definition = definitionFor(context.kubeVersion, apiVersion, kind);
    if (definition) {
      let registry = registries.get(strict);
      if (!registry) registries.set(strict, (registry = new SchemaRegistry(strict)));
      const validator = registry.validatorFor(context.kubeVersion, definition);
      if (!validator) return;
      validate = validator.validate;
      schemaContext = { definitions: validator.definitions, root: definition, rootType: shortTypeName(definition) };
    } else {
      const dirs = options.schemaDirs ?? [];
      if (dirs.length === 0) return;
      const key = dirs.join('\0');
      let custom = customByDirs.get(key);
      if (!custom) customByDirs.set(key, (custom = new CustomSchemas(dirs)));
      const found = custom.find(apiVersion, kind);
      if (!found) return;
      validate = found.validate;
      schemaContext = {
        definitions: (found.schema.definitions as SchemaContext['definitions']) ?? {},
        root: found.schema,
        rootType: kind,
      };
    }
    if (validate(value)) return;
    let findings = explainErrors(validate.errors ?? [], value, schemaContext, (path) => context.sourceText(path));
    // A partial object (a kustomize patch) is missing fields by design; everything else still counts.
    if (isPartialWorkload(context.object)) findings = findings.filter((finding) => finding.messageId !== 'missingField');
    const owned = OWNED_BY_OTHER_RULES[kind] ?? [];
    findings = findings.filter(
      (finding) => finding.messageId !== 'missingField' || !owned.includes(`${JSON.stringify(finding.path)}|${finding.data.field}`),
    );
    for (const finding of findings) context.report(finding);
  },
};

export default rule;
