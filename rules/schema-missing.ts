/**
 * Objects no schema validates (custom resources without a --schema-dir schema) become
 * findings when asked for: --schema-missing error|warn, config `schemaMissing` (like the
 * inverse of kubeconform's -ignore-missing-schemas). Off by default.
 */
import { createRule } from '../src/engine/rule.js';
import { asString } from '../src/kube.js';
import { notSchemaValidated, type SchemaOptions } from './schema.js';

/**
 * It takes no options of its own in the configuration: it looks for the schemas the schema
 * rule validates against, whose options resolveRun hands it.
 */
const rule = createRule<SchemaOptions, 'missing'>({
  meta: {
    id: 'schema-missing',
    // Off unless asked for: schemaMissing / --schema-missing / --rule set its severity.
    severity: 'off',
    type: 'suggestion',
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
    if (!notSchemaValidated(context.object, context.kubeVersion, context.options)) return;
    context.report({
      messageId: 'missing',
      data: { apiVersion: asString(context.object.apiVersion)!, kind: asString(context.object.kind)! },
      path: ['kind'],
      target: 'value',
    });
  },
});

export default rule;
