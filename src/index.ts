/**
 * kubelint's library API: the same engine and configuration resolution as the CLI.
 *
 *   import { lint } from 'kubelint';
 *   const results = await lint({ paths: ['manifests/'] });
 *   const [result] = await lint({ text: yamlText, filePath: 'etc/kubernetes/manifests/vip.yaml' });
 */
import path from 'node:path';
import { lintText as lintWithEngine } from './lint/engine.js';
import { lintPaths } from './lint/run.js';
import { resolveRunFacts } from './lint/cross-object.js';
import { resolveRun, type RunSettings } from './config/options.js';
import { FORMATTERS } from './report/index.js';
import { VERSION } from './version.js';
import type { LintResult } from './types.js';
import { BUILT_IN } from '../rules/index.js';
import { rulesMetaOf, type RuleRegistry } from './engine/registry.js';

/** Every built-in rule (the engine's core rules included), as the CLI's --list-rules shows them. */
export const RULES = BUILT_IN.rules;
export { BUILT_IN };
export type { RuleRegistry, RuleSource } from './engine/registry.js';

export type { LintMessage, LintResult, RelatedLocation, Severity, SeverityName, KubeVersion } from './types.js';
export type { Rule, RuleMeta, RuleContext, Report, JsonSchema } from './engine/rule.js';
export type { RunStats } from './types.js';
export { createRule, ruleDocsUrl } from './engine/rule.js';
export type {
  PodSpecVisitor,
  PodSpecNode,
  ContainerNode,
  ContainerList,
  VolumeNode,
  ProjectedSourceNode,
  TolerationNode,
  EnvNode,
  EnvFromNode,
} from './engine/pod-spec.js';
export { podSpecPath, podTemplatePath, podSpecOf, containersOf, walkPodSpec, combineVisitors, isPartialWorkload } from './engine/pod-spec.js';
export { ConfigError, UsageError } from './errors.js';
export { VERSION };

export interface LintOptions extends RunSettings {
  /** Files, directories or globs to lint (like the CLI's arguments). */
  paths?: readonly string[];
  /** Text to lint instead of paths. */
  text?: string;
  /** The name reported for `text`, also matched against the static pod globs. */
  filePath?: string;
  /** Working directory for relative paths and configuration lookup; default process.cwd(). */
  cwd?: string;
}

/**
 * Lints paths or text and returns ESLint-shaped results. Rejects with UsageError for a path
 * that does not exist or unusable options, and with ConfigError for a bad configuration.
 */
export async function lint(options: LintOptions): Promise<LintResult[]> {
  const cwd = options.cwd ?? process.cwd();
  const run = await resolveRun({ ...options, cwd, registry: BUILT_IN });
  if (options.text !== undefined) {
    const name = options.filePath ?? '<text>';
    // The text is a run of its own (as standard input is): its cross-object rules see its objects.
    const [linted] = resolveRunFacts([{ ...lintWithEngine(options.text, name, run.engine), filePath: path.resolve(cwd, name) }], run.engine);
    const { skipped: _skipped, objects: _objects, runFacts: _runFacts, ...result } = linted!;
    return [result];
  }
  return lintPaths(options.paths ?? ['.'], run.engine, { cwd, ignore: run.ignore });
}

/** Formats results as the CLI does: friendly, json, compact, github or sarif (no colours, no wrapping). */
export function format(results: readonly LintResult[], formatName: string, cwd = process.cwd(), registry: RuleRegistry = BUILT_IN): string {
  const formatter = FORMATTERS[formatName];
  if (!formatter) throw new Error(`unknown format "${formatName}"; use one of ${Object.keys(FORMATTERS).join(', ')}`);
  return formatter(results, { cwd, version: VERSION, rulesMeta: rulesMetaOf(registry) });
}
