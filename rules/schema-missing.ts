/**
 * Objects no schema validates (custom resources without a --schema-dir schema) become
 * findings when asked for: --schema-missing error|warn, config `schemaMissing` (like the
 * inverse of kubeconform's -ignore-missing-schemas). Off by default.
 */
import type { Rule } from '../src/engine/rule.js';
import { asString } from '../src/kube.js';
import { notSchemaValidated, type SchemaOptions } from './schema.js';

export interface SchemaMissingOptions extends SchemaOptions {
  /** Set by resolveRun when schemaMissing (or --rule schema-missing) is not off. */
  enabled?: boolean;
}

const rule: Rule = {
  meta: {
    id: 'schema-missing',
    severity: 'warn',
    description: 'Report objects that no schema validates (custom resources without --schema-dir); off unless --schema-missing is set.',
    rationale:
      'kubelint validates built-in kinds against the bundled Kubernetes schemas and custom resources only against ' +
      'schemas given with --schema-dir. Any other object is not checked at all: a typo in a custom resource passes. ' +
      'This rule makes that visible, so "no findings" cannot be mistaken for "validated".',
    kinds: '*',
    messages: {
      missing:
        '{{apiVersion}} {{kind}} has no schema, so it was not validated: a mistake in it would pass unseen. Add its ' +
        'schema with --schema-dir (kubeconform layout), or set --schema-missing off.',
    },
  },
  check(context) {
    const options = context.options as SchemaMissingOptions;
    // Enabled only through resolveRun, so that the library's bare engine keeps the documented default, off.
    if (!options.enabled) return;
    if (!notSchemaValidated(context.object, context.kubeVersion, options)) return;
    context.report({
      messageId: 'missing',
      data: { apiVersion: asString(context.object.apiVersion)!, kind: asString(context.object.kind)! },
      path: ['kind'],
      target: 'value',
    });
  },
};

export default rule;
