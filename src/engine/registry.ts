/**
 * The rules a run uses. The engine is handed a registry (ESLint's linter is handed its
 * rules): built-in rules are one source, each plugin another. A registry remembers where
 * its rules came from, so that a worker thread can load the same set by module URL.
 */
import { RULE_TYPES, type Rule, type RuleMeta } from './rule.js';
import { CORE_RULES } from './core-rules.js';

/** Where rules come from: a module whose export `rules` is a list (built-in) or a plugin's default export. */
export interface RuleSource {
  /** A file URL a worker thread can import. */
  module: string;
  /** For a plugin: its name, the prefix of its rule ids (`acme/NAME`). */
  plugin?: string;
  /**
   * The built-in rules: a worker thread is handed them rather than importing `module`,
   * which in the bundled CLI is the CLI itself.
   */
  builtIn?: true;
}

export interface RuleRegistry {
  readonly rules: readonly Rule[];
  readonly byId: ReadonlyMap<string, Rule>;
  readonly sources: readonly RuleSource[];
}

/** A rule whose definition cannot be used: the run stops with this one line (exit 2). */
export class RuleDefinitionError extends Error {
  override name = 'RuleDefinitionError';
}

const RULE_ID = /^(?:[a-z0-9][a-z0-9-]*\/)?[a-z0-9][a-z0-9-]*$/;

/** Checks what the engine relies on in a rule's definition; `origin` names it in the error. */
export function checkRule(rule: unknown, origin: string): asserts rule is Rule {
  const candidate = rule as Partial<Rule> | null;
  const meta = candidate?.meta as Partial<RuleMeta> | undefined;
  const problem =
    typeof candidate !== 'object' || candidate === null
      ? 'is not an object'
      : typeof candidate.check !== 'function' && typeof candidate.create !== 'function' && typeof candidate.collect !== 'function'
        ? 'has no check(context), create(context) or collect(context) function'
        : candidate.checkRun !== undefined && (typeof candidate.checkRun !== 'function' || typeof candidate.collect !== 'function')
          ? 'has a checkRun that is not a function with a collect(context) beside it'
        : typeof meta !== 'object' || meta === null
          ? 'has no meta'
          : typeof meta.id !== 'string' || !RULE_ID.test(meta.id)
            ? `has meta.id ${JSON.stringify(meta.id)}, not a lower-case id such as "my-rule"`
            : meta.severity !== 'error' && meta.severity !== 'warn' && meta.severity !== 'off'
              ? `has meta.severity ${JSON.stringify(meta.severity)}: use "error", "warn" or "off"`
              : meta.type !== undefined && !(RULE_TYPES as readonly unknown[]).includes(meta.type)
                ? `has meta.type ${JSON.stringify(meta.type)}: use ${RULE_TYPES.map((type) => `"${type}"`).join(', ')} or none`
              : typeof meta.description !== 'string' || meta.description === ''
                ? 'has no meta.description'
                : typeof meta.messages !== 'object' || meta.messages === null || Object.values(meta.messages).some((text) => typeof text !== 'string')
                  ? 'has no meta.messages of message templates'
                  : meta.kinds !== '*' && !(Array.isArray(meta.kinds) && meta.kinds.every((kind) => typeof kind === 'string'))
                    ? 'has meta.kinds that is neither "*" nor a list of kinds'
                    : meta.schema !== undefined && !isMapping(meta.schema)
                      ? 'has a meta.schema that is not a JSON schema object'
                      : meta.defaultOptions !== undefined && !isMapping(meta.defaultOptions)
                        ? 'has meta.defaultOptions that is not an object of options'
                        : undefined;
  if (problem) throw new RuleDefinitionError(`${origin} ${problem}`);
}

function isMapping(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A registry of `rules` after the engine's core rules (which every registry holds). */
export function createRegistry(rules: readonly Rule[], sources: readonly RuleSource[]): RuleRegistry {
  const byId = new Map<string, Rule>();
  const all = [...CORE_RULES.filter((core) => !rules.includes(core)), ...rules];
  for (const rule of all) {
    checkRule(rule, `rule ${JSON.stringify((rule as Rule | undefined)?.meta?.id ?? '?')}`);
    if (byId.has(rule.meta.id)) throw new RuleDefinitionError(`two rules are named ${rule.meta.id}`);
    byId.set(rule.meta.id, rule);
  }
  return { rules: all, byId, sources };
}

/**
 * Adds a plugin's rules to a registry, keeping the order: built-in first. A rule id that is
 * already taken (the same plugin name twice) is an error naming the plugin.
 */
export function extendRegistry(registry: RuleRegistry, rules: readonly Rule[], source: RuleSource): RuleRegistry {
  for (const rule of rules) {
    if (registry.byId.has(rule.meta.id)) {
      throw new RuleDefinitionError(`plugin ${source.plugin ?? source.module}: rule ${rule.meta.id} clashes with a rule already loaded (is the plugin loaded twice?)`);
    }
  }
  return createRegistry([...registry.rules.filter((rule) => !CORE_RULES.includes(rule)), ...rules], [...registry.sources, source]);
}

/** ESLint's `rulesMeta`, as formatters receive it. */
export function rulesMetaOf(registry: RuleRegistry): Readonly<Record<string, RuleMeta>> {
  return Object.fromEntries(registry.rules.map((rule) => [rule.meta.id, rule.meta]));
}

/**
 * Loads a registry from its sources (in a worker thread): each module's `rules` export, or
 * a plugin module's default export `{ rules: { NAME: Rule } }`, named `PLUGIN/NAME`. The
 * built-in source takes `builtIn` when given (the worker has them loaded already).
 */
export async function loadRegistry(sources: readonly RuleSource[], builtIn?: readonly Rule[]): Promise<RuleRegistry> {
  const rules: Rule[] = [];
  for (const source of sources) {
    if (source.builtIn && builtIn) {
      rules.push(...builtIn);
      continue;
    }
    const loaded = (await import(source.module)) as { rules?: readonly Rule[]; default?: { rules?: Record<string, Rule> } };
    if (source.plugin === undefined) rules.push(...(loaded.rules ?? []));
    else rules.push(...pluginRules(source.plugin, loaded.default));
  }
  return createRegistry(rules, sources);
}

/** A plugin's name: the prefix of its rule ids, so lower-case like a rule id. */
export const PLUGIN_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * A plugin's rules, with ids prefixed by the plugin's name: `{ rules: { NAME: rule } }`
 * gives rule `PLUGIN/NAME`. The plugin's own meta.id, if any, is replaced (the key names
 * the rule, as in ESLint plugins), then the rule is checked like a built-in one.
 */
export function pluginRules(plugin: string, exported: unknown): Rule[] {
  const table = (exported as { rules?: unknown } | undefined)?.rules;
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    throw new RuleDefinitionError(`plugin ${plugin}: its default export has no "rules" object ({ rules: { NAME: rule } })`);
  }
  return Object.entries(table as Record<string, unknown>).map(([name, rule]) => {
    if (!PLUGIN_NAME.test(name)) {
      throw new RuleDefinitionError(`plugin ${plugin}: rule name ${JSON.stringify(name)} is not a lower-case id such as "my-rule"`);
    }
    const id = `${plugin}/${name}`;
    const candidate = rule as Partial<Rule> | null;
    const meta = candidate?.meta;
    const named =
      typeof candidate === 'object' && candidate !== null && typeof meta === 'object' && meta !== null ? { ...candidate, meta: { ...meta, id } } : candidate;
    checkRule(named, `plugin ${plugin}: rule ${id}`);
    return named;
  });
}
