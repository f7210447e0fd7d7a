/**
 * Configuration: .kubelint.yaml (or .kubelint.yml / .kubelint.json), found from the
 * working directory upward, stopping at the repository root (else the package root,
 * else the working directory), or named with --config.
 * It is validated against schemas/kubelint-config.schema.json (generated from the rules'
 * metadata, shipped for editors), and each rule's options against its meta.schema; a bad
 * configuration is a one-line error naming the key.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isScalar, parseDocument, type Document } from 'yaml';
import type AjvModule from 'ajv';
import type { ErrorObject } from 'ajv';
import type { SeverityName } from '../types.js';
import { closest } from '../schema/explain.js';
import { ConfigError } from '../errors.js';
import { PACKAGE_ROOT } from '../package-root.js';
import type { Rule } from '../engine/rule.js';

export const CONFIG_FILE_NAMES = ['.kubelint.yaml', '.kubelint.yml', '.kubelint.json'];
export const CONFIG_SCHEMA_PATH = path.join(PACKAGE_ROOT, 'schemas', 'kubelint-config.schema.json');

/** A severity: off, warn, error, or ESLint's numeric 0, 1, 2. */
export type SeveritySetting = SeverityName | 0 | 1 | 2;
export type RuleSetting = SeveritySetting | [SeveritySetting] | [SeveritySetting, Record<string, unknown>];

export interface KubelintConfig {
  kubernetesVersion?: string;
  staticPodPaths?: string[];
  ignorePatterns?: string[];
  /** Objects without a schema: off (default), warn or error (rule schema-missing). */
  schemaMissing?: SeveritySetting;
  rules?: Record<string, RuleSetting>;
  /** What --fix applies: `exclude` lists rules whose fixes it never applies (still reported, and offered as suggestions). */
  fix?: { exclude?: string[] };
  /** Plugins by name: a module path relative to this file, or a package name. Their rules are NAME/RULE. */
  plugins?: Record<string, string>;
}

export interface LoadedConfig {
  file: string;
  /** Relative paths in the configuration are relative to this directory. */
  directory: string;
  config: KubelintConfig;
}

/**
 * Where the upward search for a configuration stops: the repository root (the nearest
 * directory with .git), else the nearest directory with a package.json, else `cwd` itself.
 * A .kubelint.yaml above the project (a shared /tmp, a home directory) is not the project's
 * and must not turn its rules off.
 */
export function configSearchRoot(cwd: string): string {
  const start = path.resolve(cwd);
  for (const marker of ['.git', 'package.json']) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, marker))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  return start;
}

/** The nearest configuration file from `cwd` upward, not above configSearchRoot(cwd). */
export function findConfigFile(cwd: string): string | undefined {
  const root = configSearchRoot(cwd);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = path.join(dir, name);
      if (existsSync(file) && statSync(file).isFile()) return file;
    }
    if (dir === root || path.dirname(dir) === dir) return undefined;
  }
}

let validateConfig: ReturnType<AjvModule.default['compile']> | undefined;
let ajvInstance: AjvModule.default | undefined;

/** Ajv is loaded on first use: a run without a configuration file never pays for it. */
function ajv(): AjvModule.default {
  if (!ajvInstance) {
    const Ajv = (createRequire(import.meta.url)('ajv') as typeof AjvModule).default;
    // verbose: errors carry their schema, whose property names feed the did-you-mean.
    ajvInstance = new Ajv({ allErrors: true, strict: false, verbose: true });
  }
  return ajvInstance;
}

/** What an options error needs to quote the file: kept beside each loaded configuration. */
const sources = new WeakMap<LoadedConfig, { display: string; doc: Document; text: string }>();

export function loadConfig(file: string): LoadedConfig {
  // As the user would type it from here: ".kubelint.yaml", "../.kubelint.yaml".
  const display = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message.split('\n')[0];
    throw new ConfigError(`cannot read the configuration ${display}: ${why}`);
  }
  // YAML 1.2 here, unlike manifests: `schema: off` must stay the string "off", as in ESLint configs.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) throw new ConfigError(`${display}: not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const config: unknown = doc.toJS() ?? {};
  validateConfig ??= ajv().compile(JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8')));
  if (!validateConfig(config)) throw new ConfigError(`${display}: ${describeConfigError(validateConfig.errors ?? [], config, doc, text)}`);
  const loaded: LoadedConfig = { file, directory: path.dirname(file), config: config as KubelintConfig };
  sources.set(loaded, { display, doc, text });
  return loaded;
}

const optionValidators = new WeakMap<object, ReturnType<AjvModule.default['compile']>>();

/**
 * The options the configuration gives each rule of the run, checked against the rule's
 * meta.schema: a plugin's rules too, which the generated config schema cannot know. A bad
 * option is a one-line ConfigError naming the file, the rule and the key.
 */
export function checkRuleOptions(loaded: LoadedConfig, rules: readonly Rule[]): void {
  const source = sources.get(loaded);
  const settings = loaded.config.rules ?? {};
  for (const rule of rules) {
    const setting = settings[rule.meta.id];
    const schema = rule.meta.schema;
    // Only options given are checked; a bare severity leaves the rule its defaults.
    if (!Array.isArray(setting) || setting.length < 2 || !schema) continue;
    let validate = optionValidators.get(schema);
    if (!validate) {
      try {
        validate = ajv().compile(schema);
      } catch (error) {
        throw new ConfigError(`rule ${rule.meta.id}: its meta.schema is not a valid JSON schema: ${(error as Error).message.split('\n')[0]}`);
      }
      optionValidators.set(schema, validate);
    }
    if (validate(setting[1])) continue;
    const at = `/rules/${rule.meta.id.replace(/~/g, '~0').replace(/\//g, '~1')}/1`;
    const errors = (validate.errors ?? []).map((error) => ({ ...error, instancePath: at + error.instancePath }));
    const display = source?.display ?? loaded.file;
    throw new ConfigError(`${display}: ${source ? describeConfigError(errors, loaded.config, source.doc, source.text) : `rules.${rule.meta.id}: ${errors[0]?.message ?? 'invalid options'}`}`);
  }
}

function keyPath(pointer: string): string {
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

/** The one error a person needs: the deepest, most specific one. */
function describeConfigError(errors: readonly ErrorObject[], config: unknown, doc: Document, text: string): string {
  const ranked = [...errors].sort(
    (a, b) =>
      b.instancePath.split('/').length - a.instancePath.split('/').length ||
      Number(a.keyword === 'oneOf') - Number(b.keyword === 'oneOf'),
  );
  // An unknown rule name fails both propertyNames and its inner enum; the name is what matters.
  const error = ranked.find((candidate) => candidate.keyword === 'propertyNames') ?? ranked[0]!;
  const at = keyPath(error.instancePath);
  if (/^\/fix\/exclude\/\d+$/.test(error.instancePath)) {
    // A rule id fails both the built-in ids' enum and the plugin pattern; the name is what matters.
    const id = valueAt(config, error.instancePath);
    if (typeof id !== 'string') return `${at}: must be a rule id (a string), not ${JSON.stringify(id)}`;
    const ruleIds = (ranked.find((e) => e.keyword === 'enum' && e.instancePath === error.instancePath)?.params as { allowedValues?: string[] })?.allowedValues ?? [];
    const suggestion = closest(id, ruleIds);
    return `${at}: unknown rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  }
  const prefix = at ? `${at}: ` : '';
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      if (at === 'rules') {
        const suggestion = closest(key, known);
        return `rules.${key}: unknown rule${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
      }
      // The old API and command-line names of kubernetesVersion are too far from it for closest().
      const suggestion = !at && ['kubeVersion', 'kube-version', 'kubernetes-version'].includes(key) ? 'kubernetesVersion' : closest(key, known);
      return `${at ? `${at}.` : ''}${key}: unknown key${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
    }
    case 'propertyNames': {
      if (at === 'plugins') {
        const name = String((error.params as { propertyName: string }).propertyName);
        return `plugins.${name}: a plugin name is a lower-case id such as "acme" (it prefixes its rules: acme/RULE)`;
      }
      const rule = String((error.params as { propertyName: string }).propertyName);
      const ruleIds = (ranked.find((e) => e.keyword === 'enum')?.params as { allowedValues?: string[] })?.allowedValues ?? [];
      const suggestion = closest(rule, ruleIds);
      return `rules.${rule}: unknown rule${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
    }
    case 'enum':
      return `${prefix}must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`;
    case 'type': {
      const expected = (error.params as { type: string }).type;
      const value = valueAt(config, error.instancePath);
      const actual = Array.isArray(value) ? 'a list' : value === null ? 'empty' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
      if (!at && expected === 'object') {
        return `the configuration must be a mapping of settings (kubernetesVersion: "1.34", rules: {...}), not ${actual}`;
      }
      const wanted = expected === 'array' ? 'a list' : expected === 'object' ? 'a mapping (key: value)' : expected === 'integer' ? 'an integer' : `a ${expected}`;
      if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
        // YAML reads 1.30 as the number 1.3 (and yes as true): what the user wrote is lost unless quoted.
        const raw = sourceAt(doc, text, error.instancePath) ?? String(value);
        return `${prefix}must be a string, but YAML reads ${raw} as the ${typeof value} ${String(value)}; quote it: ${at.split('.').at(-1)}: "${raw}"`;
      }
      return `${prefix}must be ${wanted}, not ${actual}`;
    }
    case 'pattern':
      return `${prefix}must be a Kubernetes version such as 1.34, not ${JSON.stringify(valueAt(config, error.instancePath))}`;
    case 'oneOf':
      return `${prefix}must be off, warn or error, or [severity, options]`;
    default:
      return `${prefix}${error.message ?? 'is invalid'}`;
  }
}

/** The text of the scalar at a JSON pointer, as written in the file. */
function sourceAt(doc: Document, text: string, pointer: string): string | undefined {
  const parts = pointer.split('/').slice(1).map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
  const node = doc.getIn(parts, true);
  if (!isScalar(node) || !node.range) return undefined;
  return text.slice(node.range[0], node.range[1]).trim();
}

function valueAt(value: unknown, pointer: string): unknown {
  let current = value;
  for (const part of pointer.split('/').slice(1)) current = (current as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return current;
}

/** Splits a rule setting into its severity and options. */
export function ruleSetting(setting: RuleSetting): { severity: SeverityName; options: Record<string, unknown> } {
  if (!Array.isArray(setting)) return { severity: NUMERIC_SEVERITY[setting] ?? (setting as SeverityName), options: {} };
  return { severity: NUMERIC_SEVERITY[setting[0]] ?? (setting[0] as SeverityName), options: setting[1] ?? {} };
}

/** ESLint's numeric severities, accepted so an ESLint habit is not an error. */
const NUMERIC_SEVERITY: Record<string | number, SeverityName> = { 0: 'off', 1: 'warn', 2: 'error' };
