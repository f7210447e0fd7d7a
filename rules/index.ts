/**
 * The built-in rules: every module in this folder is one, found at load time, so adding a
 * rule is its module, its test and its doc (nothing to register here).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Rule } from '../src/engine/rule.js';
import { createRegistry, type RuleRegistry } from '../src/engine/registry.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const modules = readdirSync(HERE)
  .filter((file) => file.endsWith('.js') && file !== 'index.js')
  .sort();

/** Built-in rules, by id. */
export const rules: readonly Rule[] = (
  await Promise.all(modules.map(async (file) => ((await import(pathToFileURL(path.join(HERE, file)).href)) as { default: Rule }).default))
).sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1)); // ids are unique; no localeCompare (ICU's collator costs the cold start 10 ms)

/** The built-in registry: what a run uses unless plugins add to it. */
export const BUILT_IN: RuleRegistry = createRegistry(rules, [{ module: import.meta.url, builtIn: true }]);
