/**
 * Plugins: the configuration's `plugins: { NAME: MODULE }` adds each module's rules to the
 * run's registry as `NAME/RULE`. MODULE is a path relative to the configuration file
 * (`./acme-plugin.mjs`) or a package name, looked up in node_modules from the
 * configuration's directory upward, as Node's `import` would from a module there.
 * Every failure is one ConfigError naming the file and the plugin: never a stack trace.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import { PLUGIN_NAME, extendRegistry, pluginRules, RuleDefinitionError, type RuleRegistry } from '../engine/registry.js';

/** What a configuration file names: `plugins` and where the file is. */
export interface PluginConfig {
  plugins: Readonly<Record<string, string>>;
  /** The configuration file, for messages and for resolving relative paths. */
  file: string;
}

/** Adds the rules of every plugin the configuration names to `registry`, in the configuration's order. */
export async function loadPlugins(registry: RuleRegistry, config: PluginConfig): Promise<RuleRegistry> {
  const display = path.relative(process.cwd(), config.file) || config.file;
  const directory = path.dirname(config.file);
  let extended = registry;
  for (const [name, spec] of Object.entries(config.plugins)) {
    const where = `${display}: plugins.${name}`;
    if (!PLUGIN_NAME.test(name)) throw new ConfigError(`${where}: a plugin name is a lower-case id such as "acme" (it prefixes its rules: acme/RULE)`);
    const file = resolvePlugin(spec, directory, where);
    let exported: unknown;
    try {
      exported = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
    } catch (error) {
      throw new ConfigError(`${where}: ${spec} could not be loaded: ${firstLine(error)}`);
    }
    try {
      extended = extendRegistry(extended, pluginRules(name, exported), { module: pathToFileURL(file).href, plugin: name });
    } catch (error) {
      if (error instanceof RuleDefinitionError) throw new ConfigError(`${display}: ${error.message}`);
      throw error;
    }
  }
  return extended;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** The file a plugin's MODULE names: a path (starts with `.` or is absolute), else a package. */
export function resolvePlugin(spec: string, directory: string, where: string): string {
  if (spec.startsWith('.') || path.isAbsolute(spec)) {
    const file = path.resolve(directory, spec);
    if (!existsSync(file)) throw new ConfigError(`${where}: no such file: ${spec} (a path is relative to the configuration file)`);
    if (statSync(file).isDirectory()) throw new ConfigError(`${where}: ${spec} is a directory; name the plugin's module file`);
    return file;
  }
  return resolvePackage(spec, directory, where);
}

const PACKAGE_SPEC = /^((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)(\/.*)?$/i;
/** The conditions Node's `import` matches in a package's "exports". */
const IMPORT_CONDITIONS = new Set(['import', 'node', 'default']);

/**
 * A package's entry as `import` would find it from a module in `directory`: the nearest
 * node_modules/NAME upward, then its package.json "exports" (import, node, default
 * conditions, in the order the package lists them), else "main", else index.js.
 */
function resolvePackage(spec: string, directory: string, where: string): string {
  const match = PACKAGE_SPEC.exec(spec);
  if (!match) throw new ConfigError(`${where}: "${spec}" is neither a path (./plugin.mjs) nor a package name`);
  const [, name, rest] = match as unknown as [string, string, string | undefined];
  const subpath = rest ? `.${rest}` : '.';
  for (let dir = path.resolve(directory); ; dir = path.dirname(dir)) {
    const root = path.join(dir, 'node_modules', name);
    const manifest = path.join(root, 'package.json');
    if (existsSync(manifest)) return packageEntry(root, manifest, subpath, spec, where);
    if (path.dirname(dir) === dir) break;
  }
  throw new ConfigError(`${where}: cannot find package "${name}" from ${directory} (install it, or give a path such as ./${name}.mjs)`);
}

function packageEntry(root: string, manifest: string, subpath: string, spec: string, where: string): string {
  let pkg: { exports?: unknown; main?: unknown };
  try {
    pkg = JSON.parse(readFileSync(manifest, 'utf8')) as typeof pkg;
  } catch (error) {
    throw new ConfigError(`${where}: cannot read ${manifest}: ${firstLine(error)}`);
  }
  let target: string | undefined;
  if (pkg.exports !== undefined && pkg.exports !== null) {
    const exportsMap = pkg.exports as Record<string, unknown>;
    // "exports" is either a map of subpaths ("." and "./x") or, for "." alone, a target.
    const bySubpath = typeof exportsMap === 'object' && !Array.isArray(exportsMap) && Object.keys(exportsMap).some((key) => key.startsWith('.'));
    target = exportTarget(bySubpath ? exportsMap[subpath] : subpath === '.' ? exportsMap : undefined);
    if (target === undefined) throw new ConfigError(`${where}: package "${spec}" does not export ${subpath} for import (see its package.json "exports")`);
  } else {
    target = subpath !== '.' ? subpath : typeof pkg.main === 'string' ? pkg.main : 'index.js';
  }
  const file = path.resolve(root, target);
  if (!existsSync(file) || statSync(file).isDirectory()) throw new ConfigError(`${where}: package "${spec}" names ${target}, which does not exist`);
  return file;
}

function exportTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = exportTarget(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [condition, inner] of Object.entries(value)) {
      if (!IMPORT_CONDITIONS.has(condition)) continue;
      const found = exportTarget(inner);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
