/**
 * Validates every object against the Kubernetes OpenAPI schema of the target version
 * (bundled in schemas/), or a --schema-dir schema for custom resources. Kinds without a
 * schema are skipped: a custom resource is not an error.
 */
import { createRule, type JsonSchema } from '../src/engine/rule.js';
import path from 'node:path';
import { explainErrors, withoutNulls } from '../src/schema/explain.js';
import { asString, quote } from '../src/kube.js';
import { isPartialWorkload } from '../src/engine/pod-spec.js';
import { unknownKind } from '../src/schema/kinds.js';
import { nearestBundled } from '../src/kube-version.js';
import { validatorFor, type SchemaOptions } from '../src/schema/validators.js';
import { quotePlainScalar, renameKey } from '../src/fix/edits.js';

// The schema stage's lookups, for rules that build on this one (schema-missing).
export { notSchemaValidated, validatorFor, type SchemaOptions } from '../src/schema/validators.js';

const DEFAULT_OPTIONS: Required<SchemaOptions> = { strict: true, schemaDirs: [] };

/** The schema rule's options, as .kubelint.yaml sets them (schema-missing gets the same). */
export const SCHEMA_OPTIONS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    strict: { description: 'Unknown fields are errors (default true).', type: 'boolean' },
    schemaDirs: {
      description: "Directories of extra JSON schemas in kubeconform's layout, relative to this file.",
      type: 'array',
      items: { type: 'string' },
    },
  },
};

/** Required fields a dedicated rule explains better: kind -> dotted paths. */
const OWNED_BY_OTHER_RULES: Record<string, string[]> = {
  DaemonSet: ['spec.selector'], // daemonset-selector-mismatch
};

const rule = createRule({
  meta: {
    id: 'schema',
    severity: 'error',
    type: 'problem',
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
    schema: SCHEMA_OPTIONS_SCHEMA,
    defaultOptions: DEFAULT_OPTIONS,
  },
  check(context) {
    const apiVersion = asString(context.object.apiVersion);
    const kind = asString(context.object.kind);
    if (!apiVersion || !kind) return;
    const options = context.options;
    // Outside the bundled range, the nearest bundled version's schemas (resolveRun says so once).
    const version = nearestBundled(context.kubeVersion);
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
    for (const { suggestedName, ...finding } of findings) {
      if (finding.messageId === 'yaml11') context.report({ ...finding, fix: quotePlainScalar(finding.path) });
      // A rename is offered, not applied: the closest name is a guess (imagePullPolice -> imagePullPolicy, or a field of another version).
      else if (suggestedName !== undefined) context.report({ ...finding, suggest: [{ desc: `Rename ${finding.path.at(-1)} to ${suggestedName}`, fix: renameKey(finding.path, suggestedName) }] });
      else context.report(finding);
    }
  },
});

/** A schema file as the user would type it: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export default rule;
