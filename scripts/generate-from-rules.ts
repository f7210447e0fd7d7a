/**
 * npm run generate: writes what is derived from the rules' metadata, so that adding a rule
 * is its module, its test and its doc, and nothing is listed by hand:
 *
 * - schemas/kubelint-config.schema.json: the configuration's JSON schema (for editors, and
 *   what loadConfig validates against), with every built-in rule and its options schema;
 *   plugin rules (`NAME/RULE`) take any options here, their own meta.schema checks them
 *   when the plugin is loaded.
 * - the README's rules table (with each rule's meta.type, which --fix-type selects by), between `<!-- rules-table -->` and `<!-- /rules-table -->`.
 *
 * Deterministic: the same rules always give the same bytes (test/generated.test.ts checks
 * the committed files).
 * Usage: node dist/scripts/generate-from-rules.js
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JsonSchema, RuleMeta } from '../src/engine/rule.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CONFIG_SCHEMA_FILE = path.join(ROOT, 'schemas', 'kubelint-config.schema.json');
export const README_FILE = path.join(ROOT, 'README.md');

/** A plugin rule's id: the plugin's name, a slash, the rule's name. */
const PLUGIN_RULE_ID = '^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$';

type Meta = Pick<RuleMeta, 'id' | 'severity' | 'description' | 'schema' | 'type'>;

function byId(metas: readonly Meta[]): Meta[] {
  return [...metas].sort((a, b) => a.id.localeCompare(b.id));
}

/** `severity`, or `[severity, options]` with the rule's options schema. */
function settingSchema(options: JsonSchema): Record<string, unknown> {
  return {
    oneOf: [
      { $ref: '#/definitions/severity' },
      { type: 'array', minItems: 1, maxItems: 2, items: [{ $ref: '#/definitions/severity' }, options] },
    ],
  };
}

/** The configuration's JSON schema, with the rules of `metas` (the built-in ones). */
export function configSchema(metas: readonly Meta[]): Record<string, unknown> {
  const rules: Record<string, unknown> = {};
  for (const meta of byId(metas)) {
    rules[meta.id] = {
      description: `${meta.description} Default: ${meta.severity}.`,
      ...settingSchema(meta.schema ?? { type: 'object' }),
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/kubelint/kubelint/blob/main/schemas/kubelint-config.schema.json',
    title: 'kubelint configuration (.kubelint.yaml)',
    $comment: 'Generated from the rules\' metadata by npm run generate (scripts/generate-from-rules.ts): do not edit.',
    type: 'object',
    additionalProperties: false,
    properties: {
      kubernetesVersion: {
        description: 'The Kubernetes version to check against, such as "1.34" (default: the newest bundled).',
        type: 'string',
        pattern: '^v?1\\.[0-9]+(\\.[0-9]+)?$',
      },
      staticPodPaths: {
        description:
          'Globs of files to treat as kubelet static pods, besides **/etc/kubernetes/manifests/*, **/kubelet.d/* and **/static-pods/**. Relative globs are relative to this file.',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      ignorePatterns: {
        description: 'Files never to lint, in .gitignore style, relative to this file ("rendered/", "**/*.tmpl.yaml").',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      schemaMissing: {
        description:
          'Objects that no schema validates (custom resources without schemaDirs): off (default), warn or error. Sets rule schema-missing.',
        enum: ['off', 'warn', 'error', 0, 1, 2],
      },
      fix: {
        description: 'What --fix and --fix-dry-run apply.',
        type: 'object',
        additionalProperties: false,
        properties: {
          exclude: {
            description:
              'Rules whose fixes --fix never applies: their findings are still reported, and the fix is offered as a suggestion (in an editor, one at a time).',
            type: 'array',
            items: { anyOf: [{ enum: byId(metas).map((meta) => meta.id) }, { type: 'string', pattern: PLUGIN_RULE_ID }] },
          },
        },
      },
      plugins: {
        description:
          "Plugins by name: a module path relative to this file (./acme-plugin.mjs) or a package name. A plugin's rules are named NAME/RULE and configured under rules.",
        type: 'object',
        propertyNames: { pattern: '^[a-z0-9][a-z0-9-]*$' },
        additionalProperties: { type: 'string', minLength: 1 },
      },
      rules: {
        description: 'Severity of each rule, or [severity, options]. A plugin\'s rules are named PLUGIN/RULE.',
        type: 'object',
        properties: rules,
        patternProperties: {
          [PLUGIN_RULE_ID]: {
            description: 'A plugin\'s rule: the plugin\'s own meta.schema checks its options when it is loaded.',
            ...settingSchema({ type: 'object' }),
          },
        },
        additionalProperties: false,
      },
    },
    definitions: {
      severity: {
        description: "off, warn or error; or ESLint's 0 (off), 1 (warn), 2 (error).",
        enum: ['off', 'warn', 'error', 0, 1, 2],
      },
    },
  };
}

export function configSchemaText(metas: readonly Meta[]): string {
  return `${JSON.stringify(configSchema(metas), null, 2)}\n`;
}

const TABLE_START = '<!-- rules-table -->';
const TABLE_END = '<!-- /rules-table -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

/** The README's rules table: id with its docs link, default severity, description, options. */
export function rulesTable(metas: readonly Meta[]): string {
  const rows = byId(metas).map((meta) => {
    const options = Object.keys((meta.schema?.properties as object | undefined) ?? {}).map((name) => `\`${name}\``);
    return `| [${meta.id}](docs/rules/${meta.id}.md) | ${meta.severity} | ${meta.type ?? ''} | ${cell(meta.description)} | ${options.join(', ')} |`;
  });
  return ['| rule | default | type | what it finds | options |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** `readme` with its rules table replaced by `table`. */
export function withRulesTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${TABLE_START} ... ${TABLE_END} section`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}

async function main(): Promise<void> {
  const { BUILT_IN } = await import('../rules/index.js');
  const metas = BUILT_IN.rules.map((rule) => rule.meta);
  writeFileSync(CONFIG_SCHEMA_FILE, configSchemaText(metas));
  writeFileSync(README_FILE, withRulesTable(readFileSync(README_FILE, 'utf8'), rulesTable(metas)));
  process.stdout.write(`wrote ${path.relative(ROOT, CONFIG_SCHEMA_FILE)} and the rules table of README.md (${metas.length} rules)\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
