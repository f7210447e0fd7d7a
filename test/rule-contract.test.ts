/**
 * The rule contract: createRule's typed message ids and options, defaults deep-merged
 * over configured options, unknown message ids and unfilled placeholders as internal
 * errors naming the rule, the plain Rule object form, and options checked against
 * meta.schema with a one-line error.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type AjvModule from 'ajv';
import { createRule, formatMessage, mergeOptions, messageTemplate, NO_OPTIONS, type Report, type Rule } from '../src/engine/rule.js';
import { createRegistry, RuleDefinitionError, checkRule } from '../src/engine/registry.js';
import { defaultEngineOptions, lintText, ruleOptionsFor } from '../src/lint/engine.js';
import { resolveRun } from '../src/config/options.js';
import { ConfigError } from '../src/errors.js';
import { BUILT_IN } from '../rules/index.js';
import { tempDir } from './helpers/temp.js';

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';

function lintWith(rules: readonly Rule[], text = CONFIG_MAP, ruleOptions: Record<string, Record<string, unknown>> = {}) {
  return lintText(text, 'manifest.yaml', defaultEngineOptions({ registry: createRegistry(rules, []), ruleOptions })).messages;
}

const base = { severity: 'warn', description: 'A test rule.', rationale: 'Tests.', kinds: ['ConfigMap'] } as const;

describe('createRule', () => {
  it('types message ids from meta.messages and options from meta.defaultOptions', () => {
    const seen: unknown[] = [];
    const rule = createRule({
      meta: { ...base, id: 'typed', messages: { found: 'found {{name}}' }, defaultOptions: { level: 3 } },
      check(context) {
        const level: number = context.options.level;
        seen.push(level);
        // @ts-expect-error a misspelt message id does not compile
        if (level < 0) context.report({ messageId: 'fuond', path: [] });
        // @ts-expect-error an option the rule does not declare does not compile
        seen.push(context.options.levl);
        context.report({ messageId: 'found', data: { name: 'it' }, path: ['metadata', 'name'] });
      },
    });
    const messages = lintWith([rule]);
    assert.deepEqual(seen, [3, undefined]);
    assert.deepEqual(messages.map((m) => [m.ruleId, m.messageId, m.message, m.line, m.column]), [['typed', 'found', 'found it', 3, 18]]);
  });

  it('gives a rule without meta.schema the schema of no options', () => {
    const rule = createRule({ meta: { ...base, id: 'plain', messages: {} }, check() {} });
    assert.deepEqual(rule.meta.schema, NO_OPTIONS);
  });
});

describe('context.options', () => {
  it('are meta.defaultOptions with the configured options deep-merged over them (lists replaced)', () => {
    let options: unknown;
    const rule = createRule({
      meta: { ...base, id: 'merged', messages: {}, defaultOptions: { level: 3, nested: { a: 1, b: 2 }, list: [1, 2] } },
      check(context) {
        options = context.options;
      },
    });
    lintWith([rule], CONFIG_MAP, { merged: { nested: { b: 5 }, list: [9] } });
    assert.deepEqual(options, { level: 3, nested: { a: 1, b: 5 }, list: [9] });
    lintWith([rule]);
    assert.deepEqual(options, { level: 3, nested: { a: 1, b: 2 }, list: [1, 2] });
  });

  it('mergeOptions keeps the defaults where nothing is configured', () => {
    assert.deepEqual(mergeOptions({ a: 1, b: { c: 2 } }, {}), { a: 1, b: { c: 2 } });
    assert.deepEqual(mergeOptions({ a: 1 }, undefined), { a: 1 });
    assert.deepEqual(mergeOptions({ a: [1] }, { a: [] }), { a: [] });
    assert.deepEqual(mergeOptions({ a: { b: 1 } }, { a: null }), { a: null });
  });
});

describe('context.report', () => {
  const reporting = (id: string, report: Report): Rule => ({
    meta: { ...base, id, messages: { known: 'known {{name}}.' } },
    check(context) {
      context.report(report);
    },
  });

  it('with an unknown messageId is an internal error naming the rule, and the other rules still report', () => {
    const messages = lintWith([...BUILT_IN.rules, reporting('bad-id', { messageId: 'unknown', path: [] })], `${CONFIG_MAP}datta: 1\n`);
    assert.deepEqual(
      messages.map((m) => [m.ruleId, m.severity, m.line, m.column, m.message]),
      [
        ['bad-id', 1, 1, 1, 'internal error in rule bad-id: unknown messageId "unknown" (meta.messages has known). Please report this bug.'],
        ['schema', 2, 4, 1, messages.find((m) => m.ruleId === 'schema')?.message],
      ],
    );
    assert.match(messages[1]!.message, /unknown field "datta"/);
  });

  it('with a placeholder its data does not fill is an internal error naming the rule', () => {
    const messages = lintWith([reporting('no-data', { messageId: 'known', path: [] })]);
    assert.deepEqual(
      messages.map((m) => [m.ruleId, m.line, m.column, m.message]),
      [['no-data', 1, 1, 'internal error in rule no-data: message placeholder {{name}} has no value in the report\'s data. Please report this bug.']],
    );
  });

  it('shows data that holds braces (a Helm template) as written', () => {
    const messages = lintWith([reporting('braces', { messageId: 'known', data: { name: '{{ .Values.x }}' }, path: [] })]);
    assert.deepEqual(messages.map((m) => m.message), ['known {{ .Values.x }}.']);
  });

  it('an id inherited from Object.prototype is unknown too', () => {
    assert.throws(() => messageTemplate({ messages: {} }, 'toString'), /^Error: unknown messageId "toString" \(meta\.messages has none\)$/);
    assert.throws(() => formatMessage('a {{b}}', {}), /^Error: message placeholder \{\{b\}\} has no value/);
    assert.equal(formatMessage('a {{ b }} {{c}}', { b: 1, c: 'x' }), 'a 1 x');
  });
});

describe('rule definitions', () => {
  it('accept severity off, and reject a meta.schema or meta.defaultOptions that is not an object', () => {
    const ok: Rule = { meta: { ...base, id: 'quiet', severity: 'off', messages: {} }, check() {} };
    checkRule(ok, 'rule quiet');
    assert.deepEqual(lintWith([{ ...ok, check: (context) => context.report({ messageId: 'x', path: [] }) }]), [], 'an off rule does not run');
    assert.throws(() => checkRule({ ...ok, meta: { ...ok.meta, schema: [] } }, 'rule quiet'), (error: Error) =>
      error instanceof RuleDefinitionError && error.message === 'rule quiet has a meta.schema that is not a JSON schema object');
    assert.throws(() => checkRule({ ...ok, meta: { ...ok.meta, defaultOptions: 3 } }, 'rule quiet'), (error: Error) =>
      error instanceof RuleDefinitionError && error.message === 'rule quiet has meta.defaultOptions that is not an object of options');
    assert.throws(() => checkRule({ ...ok, meta: { ...ok.meta, severity: 'loud' } }, 'rule quiet'), /use "error", "warn" or "off"$/);
    assert.throws(() => checkRule({ ...ok, meta: { ...ok.meta, type: 'style' as never } }, 'rule quiet'), (error: Error) =>
      error.message === 'rule quiet has meta.type "style": use "problem", "suggestion", "layout" or none');
  });

  it('every built-in rule declares meta.type (which --fix-type selects fixes by)', () => {
    const untyped = BUILT_IN.rules.filter((rule) => rule.meta.type === undefined).map((rule) => rule.meta.id);
    assert.deepEqual(untyped, []);
  });

  it('every built-in rule declares an options schema that rejects unknown keys, and its defaults pass it', () => {
    const Ajv = (createRequire(import.meta.url)('ajv') as typeof AjvModule).default;
    const ajv = new Ajv({ strict: true, strictTuples: false });
    for (const rule of BUILT_IN.rules) {
      const schema = rule.meta.schema as { type?: string; additionalProperties?: unknown } | undefined;
      assert.equal(schema?.type, 'object', rule.meta.id);
      assert.equal(schema?.additionalProperties, false, rule.meta.id);
      const validate = ajv.compile(schema!);
      assert.ok(validate(rule.meta.defaultOptions ?? {}), `${rule.meta.id}: ${ajv.errorsText(validate.errors)}`);
    }
  });
});

describe('options in the configuration', () => {
  const level = createRule({
    meta: {
      ...base,
      id: 'acme/level',
      messages: { at: 'level {{level}}' },
      schema: { type: 'object', additionalProperties: false, properties: { level: { type: 'integer' }, names: { type: 'array', items: { type: 'string' } } } },
      defaultOptions: { level: 1, names: ['a'] },
    },
    check(context) {
      context.report({ messageId: 'at', data: { level: context.options.level }, path: [] });
    },
  });
  const registry = createRegistry([...BUILT_IN.rules, level], BUILT_IN.sources);

  function run(config: string, rules: readonly Rule[] = registry.rules) {
    const dir = tempDir('kubelint-options-');
    writeFileSync(path.join(dir, '.kubelint.yaml'), config);
    return { dir, resolve: () => resolveRun({ cwd: dir, config: '.kubelint.yaml', registry: createRegistry(rules, []) }) };
  }

  async function configError(config: string, rules?: readonly Rule[]): Promise<string> {
    const { dir, resolve } = run(config, rules);
    try {
      await resolve();
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.message.replace(path.relative(process.cwd(), path.join(dir, '.kubelint.yaml')), 'FILE');
    }
    assert.fail('no ConfigError');
  }

  it('are checked against the rule\'s meta.schema, in one line naming file, rule and key', async () => {
    assert.equal(await configError('rules:\n  acme/level: [warn, {levl: 2}]\n'), 'FILE: rules.acme/level[1].levl: unknown key (did you mean "level"?)');
    assert.equal(await configError('rules:\n  acme/level: [warn, {level: high}]\n'), 'FILE: rules.acme/level[1].level: must be an integer, not a string');
    assert.equal(await configError('rules:\n  acme/level: [warn, {names: [1]}]\n'), 'FILE: rules.acme/level[1].names[0]: must be a string, but YAML reads 1 as the number 1; quote it: names[0]: "1"');
  });

  it('a built-in rule\'s options too (schema: strict is a boolean)', async () => {
    assert.equal(await configError('rules:\n  schema: [error, {strict: "yes"}]\n'), 'FILE: rules.schema[1].strict: must be a boolean, not a string');
    assert.equal(await configError('rules:\n  api-validation: [error, {level: 1}]\n'), 'FILE: rules.api-validation[1].level: unknown key');
  });

  it('get the defaults, merged under what is configured', async () => {
    const resolved = await run('rules:\n  acme/level: [error, {level: 4}]\n').resolve();
    const rule = resolved.engine.registry.byId.get('acme/level')!;
    assert.deepEqual(ruleOptionsFor(rule, resolved.engine), { level: 4, names: ['a'] });
    const messages = lintText(CONFIG_MAP, 'manifest.yaml', resolved.engine).messages;
    assert.deepEqual(messages.map((m) => [m.ruleId, m.severity, m.message]), [['acme/level', 2, 'level 4']]);
    const bare = await run('rules:\n  acme/level: warn\n').resolve();
    assert.deepEqual(lintText(CONFIG_MAP, 'manifest.yaml', bare.engine).messages.map((m) => [m.severity, m.message]), [[1, 'level 1']]);
  });

  it('a meta.schema that is not a valid JSON schema is a one-line error naming the rule', async () => {
    const broken: Rule = { ...level, meta: { ...level.meta, id: 'acme/broken', schema: { type: 'no-such-type' } } };
    assert.match(await configError('rules:\n  acme/broken: [warn, {}]\n', [broken]), /^rule acme\/broken: its meta\.schema is not a valid JSON schema: [^\n]+$/);
  });
});
