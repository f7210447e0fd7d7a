/**
 * Resolves what a run uses from the configuration file and the overrides given on the
 * command line (or to the library API), which win. Both entry points call this, so they
 * cannot drift apart.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkRuleOptions, findConfigFile, loadConfig, ruleSetting, type LoadedConfig } from './config.js';
import { ConfigError, UsageError } from '../errors.js';
import { defaultEngineOptions, type EngineOptions } from '../lint/engine.js';
import { BUNDLED_MINORS, NEWEST_BUNDLED, OLDEST_SUPPORTED_MINOR, formatKubeVersion, nearestBundled, parseKubeVersion } from '../kube-version.js';
import { DEFAULT_STATIC_POD_GLOBS, StaticPodMatcher } from '../discover/static-pods.js';
import type { RuleRegistry } from '../engine/registry.js';
import { loadPlugins } from './plugins.js';
import { closest } from '../schema/explain.js';
import type { KubeVersion, SeverityName } from '../types.js';

/** What a user may set for a run, on the command line or through the library; all optional. */
export interface RunSettings {
  /** A configuration file to use, or false to use none; default: look upward from cwd. */
  config?: string | false;
  /** Kubernetes version such as "1.34"; default: configuration, else the newest bundled. */
  kubernetesVersion?: string;
  /** @deprecated The old name of kubernetesVersion (the configuration's and --kubernetes-version's name). */
  kubeVersion?: string;
  /** Extra static pod globs, relative to cwd. */
  staticPodPaths?: readonly string[];
  /** Severity overrides by rule id: off, warn, error, or ESLint's 0, 1, 2. */
  rules?: Readonly<Record<string, SeverityName | 0 | 1 | 2>>;
  /** Unknown fields are errors (schema rule); default from configuration, else true. */
  strict?: boolean;
  /** Extra schema directories, relative to cwd. */
  schemaDirs?: readonly string[];
  /** Objects without a schema: 'off' (default), or findings of rule schema-missing at this severity. */
  schemaMissing?: SeverityName;
}

export interface RunOverrides extends RunSettings {
  cwd: string;
  /** The rules: the built-in registry (plugins from the configuration are added to it). */
  registry: RuleRegistry;
  /** How the version was given, for messages (default: kubernetesVersion, the API's name). */
  versionOption?: string;
}

export interface ResolvedRun {
  engine: EngineOptions;
  kubeVersion: KubeVersion;
  /** Every static pod glob in force (defaults, configuration anchored to its directory, overrides). */
  staticPodGlobs: string[];
  ignore: { patterns: string[]; base: string };
  config?: LoadedConfig;
  /** One-line notes the CLI prints once on stderr, in every format (e.g. an unbundled version). */
  notices: string[];
}

const SEVERITY_WORDS: readonly string[] = ['off', 'warn', 'error', '0', '1', '2'];

/** `RULE=SEVERITY`, where SEVERITY is off, warn or error, or ESLint's 0, 1 or 2. */
export function parseRuleOverride(text: string): [string, SeverityName] {
  const match = /^([^=]+)=(.*)$/.exec(text.trim());
  if (!match) throw new UsageError(`--rule takes RULE=off|warn|error, not "${text}"`);
  const [, id, severity] = match as unknown as [string, string, string];
  if (!SEVERITY_WORDS.includes(severity)) {
    const suggestion = closest(severity, ['off', 'warn', 'error']);
    throw new UsageError(`--rule takes RULE=off|warn|error, not "${text}"${suggestion ? ` (did you mean "${id}=${suggestion}"?)` : ''}`);
  }
  return [id, severityName(severity)];
}

/** --rule names a rule of the run (built-in or from a plugin the configuration loads). */
function checkRuleOverrides(rules: Readonly<Record<string, unknown>>, registry: RuleRegistry): void {
  for (const id of Object.keys(rules)) {
    if (registry.byId.has(id)) continue;
    const suggestion = closest(id, [...registry.byId.keys()]);
    throw new UsageError(`--rule: unknown rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; see kubelint --list-rules`);
  }
}

/** off/warn/error, or ESLint's numeric 0/1/2, as a severity name. */
export function severityName(value: string | number): SeverityName {
  const numeric: Record<string, SeverityName> = { '0': 'off', '1': 'warn', '2': 'error' };
  return numeric[String(value)] ?? (value as SeverityName);
}

/** A glob relative to `base` becomes absolute; `**` globs match anywhere already. */
function anchorGlob(glob: string, base: string): string {
  if (glob.startsWith('**') || path.isAbsolute(glob)) return glob;
  return `${base.split(path.sep).join('/')}/${glob.replace(/^\.\//, '')}`;
}

/**
 * A rule the configuration sets that no loaded rule has: the schema lets any PLUGIN/RULE
 * through (it cannot know the plugins' rules), so plugin rule ids are checked here.
 */
function checkConfiguredRules(loaded: LoadedConfig, registry: RuleRegistry): void {
  for (const id of Object.keys(loaded.config.rules ?? {})) {
    if (registry.byId.has(id)) continue;
    const display = path.relative(process.cwd(), loaded.file) || loaded.file;
    const plugin = id.includes('/') ? id.split('/')[0]! : undefined;
    if (plugin !== undefined && !registry.sources.some((source) => source.plugin === plugin)) {
      throw new ConfigError(`${display}: rules.${id}: unknown rule: no plugin "${plugin}" is loaded (add it under plugins:)`);
    }
    const suggestion = closest(id, [...registry.byId.keys()].filter((known) => plugin === undefined || known.startsWith(`${plugin}/`)));
    throw new ConfigError(`${display}: rules.${id}: unknown rule${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
  }
}

/** fix.exclude names rules of the run: the schema checks built-in ids, plugin ids are checked here. */
function checkFixExclude(loaded: LoadedConfig, registry: RuleRegistry): void {
  (loaded.config.fix?.exclude ?? []).forEach((id, index) => {
    if (registry.byId.has(id)) return;
    const display = path.relative(process.cwd(), loaded.file) || loaded.file;
    const suggestion = closest(id, [...registry.byId.keys()]);
    throw new ConfigError(`${display}: fix.exclude[${index}]: unknown rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
  });
}

/** Asynchronous because the configuration's plugins are ES modules, loaded with import(). */
export async function resolveRun(overrides: RunOverrides): Promise<ResolvedRun> {
  const cwd = overrides.cwd;
  let loaded: LoadedConfig | undefined;
  if (overrides.config !== false) {
    const file = overrides.config ? path.resolve(cwd, overrides.config) : findConfigFile(cwd);
    if (overrides.config && !existsSync(file!)) throw new ConfigError(`--config: no such file: ${overrides.config}`);
    if (file) loaded = loadConfig(file);
  }
  const config = loaded?.config ?? {};
  const configDir = loaded?.directory ?? cwd;
  let registry = overrides.registry;
  if (loaded) {
    if (config.plugins) registry = await loadPlugins(registry, { plugins: config.plugins, file: loaded.file });
    checkConfiguredRules(loaded, registry);
    checkFixExclude(loaded, registry);
  }

  const given = overrides.kubernetesVersion ?? overrides.kubeVersion;
  const versionText = given ?? config.kubernetesVersion;
  const setting = given !== undefined ? (overrides.versionOption ?? 'kubernetesVersion') : `${loaded ? path.basename(loaded.file) : 'configuration'}: kubernetesVersion`;
  const kubeVersion = versionText === undefined ? NEWEST_BUNDLED : parseKubeVersion(versionText);
  if (!kubeVersion) {
    throw new UsageError(`${setting} takes a version like 1.${BUNDLED_MINORS.at(-1)}, not "${versionText}"`);
  }
  if (kubeVersion.minor < OLDEST_SUPPORTED_MINOR) {
    throw new UsageError(
      `${setting}: Kubernetes ${formatKubeVersion(kubeVersion)} is not supported; kubelint checks 1.${OLDEST_SUPPORTED_MINOR} and later`,
    );
  }
  const notices: string[] = [];
  // Outside the bundled range the schemas of the nearest bundled minor are used; the rules still see the real version.
  const schemaVersion = nearestBundled(kubeVersion);
  if (schemaVersion.minor !== kubeVersion.minor) {
    notices.push(
      `kubelint: Kubernetes ${formatKubeVersion(kubeVersion)} is not bundled; checking against ${formatKubeVersion(schemaVersion)}, the nearest bundled version`,
    );
  }

  const rules: Record<string, SeverityName> = {};
  const ruleOptions: Record<string, Record<string, unknown>> = {};
  for (const [id, setting] of Object.entries(config.rules ?? {})) {
    const { severity, options } = ruleSetting(setting);
    rules[id] = severity;
    ruleOptions[id] = options;
  }
  // Every rule of the run (plugins' too) checks the options the configuration gives it.
  if (loaded) checkRuleOptions(loaded, registry.rules);
  checkRuleOverrides(overrides.rules ?? {}, registry);
  for (const [id, severity] of Object.entries(overrides.rules ?? {})) rules[id] = severityName(severity);
  // schemaMissing is shorthand for the severity of rule schema-missing: --rule, then --schema-missing, then the config.
  // Unset, the rule keeps its default severity, off.
  const schemaMissing =
    overrides.rules?.['schema-missing'] ??
    overrides.schemaMissing ??
    (config.rules?.['schema-missing'] !== undefined ? rules['schema-missing'] : config.schemaMissing);
  if (schemaMissing !== undefined) rules['schema-missing'] = severityName(schemaMissing);

  const schemaOptions = ruleOptions.schema ?? {};
  const configSchemaDirs = ((schemaOptions.schemaDirs as string[] | undefined) ?? []).map((dir) => path.resolve(configDir, dir));
  const schemaDirs = [...configSchemaDirs, ...(overrides.schemaDirs ?? []).map((dir) => path.resolve(cwd, dir))];
  for (const dir of schemaDirs) if (!existsSync(dir)) throw new UsageError(`schema directory not found: ${dir}`);
  ruleOptions.schema = {
    strict: overrides.strict ?? (schemaOptions.strict as boolean | undefined) ?? true,
    schemaDirs,
  };
  // schema-missing looks for the schemas the schema rule validates against.
  ruleOptions['schema-missing'] = ruleOptions.schema;

  const staticPodGlobs = [
    ...DEFAULT_STATIC_POD_GLOBS,
    ...(config.staticPodPaths ?? []).map((glob) => anchorGlob(glob, configDir)),
    ...(overrides.staticPodPaths ?? []),
  ];
  return {
    engine: defaultEngineOptions({
      registry,
      kubeVersion,
      staticPods: new StaticPodMatcher(staticPodGlobs, cwd),
      rules,
      ruleOptions,
      ...(config.fix?.exclude?.length ? { fixExclude: [...new Set(config.fix.exclude)] } : {}),
    }),
    kubeVersion,
    staticPodGlobs,
    ignore: { patterns: config.ignorePatterns ?? [], base: configDir },
    ...(loaded ? { config: loaded } : {}),
    notices,
  };
}
