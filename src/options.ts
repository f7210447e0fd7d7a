/**
 * Resolves what a run uses from the configuration file and the overrides given on the
 * command line (or to the library API), which win. Both entry points call this, so they
 * cannot drift apart.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, findConfigFile, loadConfig, ruleSetting, type LoadedConfig } from './config.js';
import { defaultEngineOptions, type EngineOptions } from './engine.js';
import { UsageError } from './discover.js';
import { BUNDLED_MINORS, NEWEST_BUNDLED, OLDEST_SUPPORTED_MINOR, formatKubeVersion, nearestBundled, parseKubeVersion } from './kube-version.js';
import { DEFAULT_STATIC_POD_GLOBS, StaticPodMatcher } from './static-pods.js';
import { RULES_BY_ID } from '../rules/index.js';
import type { KubeVersion, SeverityName } from './types.js';

/** What a user may set for a run, on the command line or through the library; all optional. */
export interface RunSettings {
  /** A configuration file to use, or false to use none; default: look upward from cwd. */
  config?: string | false;
  /** Kubernetes version such as "1.34"; default: configuration, else the newest bundled. */
  kubeVersion?: string;
  /** Extra static pod globs, relative to cwd. */
  staticPodPaths?: readonly string[];
  /** Severity overrides by rule id. */
  rules?: Readonly<Record<string, SeverityName>>;
  /** Unknown fields are errors (schema rule); default from configuration, else true. */
  strict?: boolean;
  /** Extra schema directories, relative to cwd. */
  schemaDirs?: readonly string[];
  /** Objects without a schema: 'off' (default), or findings of rule schema-missing at this severity. */
  schemaMissing?: SeverityName;
}

export interface RunOverrides extends RunSettings {
  cwd: string;
}

export interface ResolvedRun {
  engine: EngineOptions;
  kubeVersion: KubeVersion;
  ignore: { patterns: string[]; base: string };
  config?: LoadedConfig;
  /** One-line notes the CLI prints once on stderr, in every format (e.g. an unbundled version). */
  notices: string[];
}

export function parseRuleOverride(text: string): [string, SeverityName] {
  const match = /^([a-z0-9-]+)=(off|warn|error)$/.exec(text.trim());
  if (!match) throw new UsageError(`--rule takes RULE=off|warn|error, not "${text}"`);
  if (!RULES_BY_ID.has(match[1]!)) throw new UsageError(`--rule: unknown rule "${match[1]}" (see kubelint --list-rules)`);
  return [match[1]!, match[2] as SeverityName];
}

/** A glob relative to `base` becomes absolute; `**` globs match anywhere already. */
function anchorGlob(glob: string, base: string): string {
  if (glob.startsWith('**') || path.isAbsolute(glob)) return glob;
  return `${base.split(path.sep).join('/')}/${glob.replace(/^\.\//, '')}`;
}

export function resolveRun(overrides: RunOverrides): ResolvedRun {
  const cwd = overrides.cwd;
  let loaded: LoadedConfig | undefined;
  if (overrides.config !== false) {
    const file = overrides.config ? path.resolve(cwd, overrides.config) : findConfigFile(cwd);
    if (overrides.config && !existsSync(file!)) throw new ConfigError(`--config: no such file: ${overrides.config}`);
    if (file) loaded = loadConfig(file);
  }
  const config = loaded?.config ?? {};
  const configDir = loaded?.directory ?? cwd;

  const fromCli = overrides.kubeVersion !== undefined;
  const versionText = overrides.kubeVersion ?? config.kubernetesVersion;
  const setting = fromCli ? '--kube-version' : `${loaded ? path.basename(loaded.file) : 'configuration'}: kubernetesVersion`;
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
  Object.assign(rules, overrides.rules);
  // schemaMissing is shorthand for the severity of rule schema-missing: --rule, then --schema-missing, then the config.
  rules['schema-missing'] =
    overrides.rules?.['schema-missing'] ??
    overrides.schemaMissing ??
    (config.rules?.['schema-missing'] !== undefined ? rules['schema-missing'] : config.schemaMissing) ??
    'off';

  const schemaOptions = ruleOptions.schema ?? {};
  const configSchemaDirs = ((schemaOptions.schemaDirs as string[] | undefined) ?? []).map((dir) => path.resolve(configDir, dir));
  const schemaDirs = [...configSchemaDirs, ...(overrides.schemaDirs ?? []).map((dir) => path.resolve(cwd, dir))];
  for (const dir of schemaDirs) if (!existsSync(dir)) throw new UsageError(`schema directory not found: ${dir}`);
  ruleOptions.schema = {
    strict: overrides.strict ?? (schemaOptions.strict as boolean | undefined) ?? true,
    schemaDirs,
    ...(schemaVersion.minor !== kubeVersion.minor ? { schemaVersion } : {}),
  };
  ruleOptions['schema-missing'] = { ...ruleOptions.schema, enabled: rules['schema-missing'] !== 'off' };

  const staticPodGlobs = [
    ...DEFAULT_STATIC_POD_GLOBS,
    ...(config.staticPodPaths ?? []).map((glob) => anchorGlob(glob, configDir)),
    ...(overrides.staticPodPaths ?? []),
  ];
  return {
    engine: defaultEngineOptions({ kubeVersion, staticPods: new StaticPodMatcher(staticPodGlobs, cwd), rules, ruleOptions }),
    kubeVersion,
    ignore: { patterns: config.ignorePatterns ?? [], base: configDir },
    ...(loaded ? { config: loaded } : {}),
    notices,
  };
}
