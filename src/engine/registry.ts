/**
 * The rules a run uses. The engine is handed a registry (ESLint's linter is handed its
 * rules): built-in rules are one source, each plugin another. A registry remembers where
 * its rules came from, so that a worker thread can load the same set by module URL.
 */
import type { Rule, RuleMeta } from './rule.js';
import { CORE_RULES } from './core-rules.js';

/** Where rules come from: a module whose export `rules` is a list (built-in) or a plugin's default export. */
export interface RuleSource {
  /** A file URL a worker thread can import. */
  module: string;
  /** For a plugin: its name, the prefix of its rule ids (`acme/NAME`). */
  plugin?: string;
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
      : typeof candidate.check !== 'function' && typeof candidate.create !== 'function'
        ? 'has no check(context) or create(context) function'
        : typeof meta !== 'object' || meta === null
          ? 'has no meta'
          : typeof meta.id !== 'string' || !RULE_ID.test(meta.id)
            ? `has meta.id ${JSON.stringify(meta.id)}, not a lower-case id such as "my-rule"`
            : meta.severity !== 'error' && meta.severity !== 'warn'
              ? `has meta.severity ${JSON.stringify(meta.severity)}: use "error" or "warn"`
              : typeof meta.description !== 'string' || meta.description === ''
                ? 'has no meta.description'
                : typeof meta.messages !== 'object' || meta.messages === null || Object.values(meta.messages).some((text) => typeof text !== 'string')
                  ? 'has no meta.messages of message templates'
                  : meta.kinds !== '*' && !(Array.isArray(meta.kinds) && meta.kinds.every((kind) => typeof kind === 'string'))
                    ? 'has meta.kinds that is neither "*" nor a list of kinds'
                    : undefined;
  if (problem) throw new RuleDefinitionError(`${origin} ${problem}`);
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

/** Adds rules to a registry (a plugin's), keeping the order: built-in first. */
export function extendRegistry(registry: RuleRegistry, rules: readonly Rule[], source: RuleSource): RuleRegistry {
  return createRegistry([...registry.rules.filter((rule) => !CORE_RULES.includes(rule)), ...rules], [...registry.sources, source]);
}

/** ESLint's `rulesMeta`, as formatters receive it. */
export function rulesMetaOf(registry: RuleRegistry): Readonly<Record<string, RuleMeta>> {
  return Object.fromEntries(registry.rules.map((rule) => [rule.meta.id, rule.meta]));
}

/**
 * Loads a registry from its sources (in a worker thread): each module's `rules` export, or
 * a plugin module's default export `{ rules: { NAME: Rule } }`, named `PLUGIN/NAME`.
 */
export async function loadRegistry(sources: readonly RuleSource[]): Promise<RuleRegistry> {
  const rules: Rule[] = [];
  for (const source of sources) {
    const loaded = (await import(source.module)) as { rules?: readonly Rule[]; default?: { rules?: Record<string, Rule> } };
    if (source.plugin === undefined) rules.push(...(loaded.rules ?? []));
    else rules.push(...pluginRules(source.plugin, loaded.default));
  }
  return createRegistry(rules, sources);
}

/** A plugin's rules, with ids prefixed by the plugin's name. */
export function pluginRules(plugin: string, exported: unknown): Rule[] {
  const table = (exported as { rules?: unknown } | undefined)?.rules;
  if (typeof table !== 'object' || table === null) {
    throw new RuleDefinitionError(`plugin ${plugin}: its default export has no "rules" object ({ rules: { NAME: rule } })`);
  }
  return Object.entries(table as Record<string, unknown>).map(([name, rule]) => {
    checkRule(rule, `plugin ${plugin}: rule ${name}`);
    const id = `${plugin}/${name}`;
    return { ...rule, meta: { ...rule.meta, id } };
  });
}
