/** Every rule kubelint has, in the order --list-rules shows them. */
import type { Rule } from '../src/rule.js';
import yamlSyntax from './yaml-syntax.js';
import invalidManifest from './invalid-manifest.js';
import deprecatedApiVersion from './deprecated-api-version.js';
import schema from './schema.js';
import schemaMissing from './schema-missing.js';
import apiValidation from './api-validation.js';
import daemonsetSelectorMismatch from './daemonset-selector-mismatch.js';
import daemonsetControlPlaneToleration from './daemonset-control-plane-toleration.js';
import staticPodApiReference from './static-pod-api-reference.js';
import staticPodManifest from './static-pod-manifest.js';
import unusedSuppression from './unused-suppression.js';

export const RULES: readonly Rule[] = [
  yamlSyntax,
  invalidManifest,
  deprecatedApiVersion,
  schema,
  schemaMissing,
  apiValidation,
  daemonsetSelectorMismatch,
  daemonsetControlPlaneToleration,
  staticPodApiReference,
  staticPodManifest,
  unusedSuppression,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.meta.id, rule]));
