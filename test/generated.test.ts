/**
 * What is derived from the rules' metadata is up to date (npm run generate), so that a new
 * rule is its module, its test and its doc: the config JSON schema, the README's rules
 * table, and one docs/rules page per rule, no more, no less.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type AjvModule from 'ajv';
import { PROJECT_ROOT } from './helpers/cli.js';
import { BUILT_IN } from '../rules/index.js';
import { CONFIG_SCHEMA_PATH } from '../src/config/config.js';
import { configSchema, configSchemaText, rulesTable, withRulesTable } from '../scripts/generate-from-rules.js';

const metas = BUILT_IN.rules.map((rule) => rule.meta);
const ids = metas.map((meta) => meta.id).sort();

describe('generated from the rules\' metadata', () => {
  it('schemas/kubelint-config.schema.json is what npm run generate writes', () => {
    assert.equal(readFileSync(CONFIG_SCHEMA_PATH, 'utf8'), configSchemaText(metas), 'the config schema is stale: run npm run generate');
  });

  it('the README rules table is what npm run generate writes', () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    assert.equal(readme, withRulesTable(readme, rulesTable(metas)), 'the README rules table is stale: run npm run generate');
    for (const meta of metas) assert.ok(readme.includes(`| [${meta.id}](docs/rules/${meta.id}.md) | ${meta.severity} |`), meta.id);
  });

  it('every rule has docs/rules/ID.md, and every page there has a rule', () => {
    const pages = readdirSync(path.join(PROJECT_ROOT, 'docs', 'rules'))
      .filter((file) => file.endsWith('.md'))
      .map((file) => file.slice(0, -'.md'.length))
      .sort();
    assert.deepEqual(pages, ids);
  });

  it('the config schema lists each rule with its options schema, and lets plugin rules through', () => {
    const Ajv = (createRequire(import.meta.url)('ajv') as typeof AjvModule).default;
    const validate = new Ajv({ strict: false }).compile(configSchema(metas));
    const valid = (rules: unknown) => validate({ rules });
    assert.equal(valid({ schema: ['warn', { strict: false, schemaDirs: ['crds'] }] }), true);
    assert.equal(valid({ schema: ['warn', { strikt: false }] }), false, 'an unknown option of a built-in rule');
    assert.equal(valid({ 'api-validation': ['warn', { any: 1 }] }), false, 'a rule without options');
    assert.equal(valid({ 'api-validation': 1, 'schema-missing': 'error' }), true);
    assert.equal(valid({ 'no-such-rule': 'warn' }), false, 'an unknown rule');
    assert.equal(valid({ 'acme/priority-class': ['error', { className: 'node-critical' }] }), true, 'a plugin rule, any options');
    assert.equal(valid({ 'acme/priority-class': 'loud' }), false, 'a plugin rule still takes a severity');
    const schema = configSchema(metas) as { properties: { rules: { properties: Record<string, { oneOf: Array<{ items?: unknown[] }> }> } } };
    const rules = schema.properties.rules.properties;
    assert.deepEqual(Object.keys(rules), ids);
    for (const meta of metas) assert.deepEqual(rules[meta.id]!.oneOf[1]!.items![1], meta.schema, meta.id);
  });

  it('a new rule shows up in both without any other edit', () => {
    const extra = { id: 'zz-new-rule', severity: 'warn' as const, type: 'suggestion' as const, description: 'A | new rule.', schema: { type: 'object', properties: { depth: { type: 'integer' } } } };
    const text = configSchemaText([...metas, extra]);
    assert.ok(text.includes('"zz-new-rule"'));
    assert.match(rulesTable([...metas, extra]), /\n\| \[zz-new-rule\]\(docs\/rules\/zz-new-rule\.md\) \| warn \| suggestion \| A \\\| new rule\. \| `depth` \|$/);
    // fix.exclude lists the rule ids for editors.
    assert.ok((JSON.parse(text) as { properties: { fix: { properties: { exclude: { items: { anyOf: Array<{ enum?: string[] }> } } } } } }).properties.fix.properties.exclude.items.anyOf[0]!.enum!.includes('zz-new-rule'));
  });
});
