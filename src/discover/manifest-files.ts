/**
 * What is a manifest. kubelint decides from content, not only from names: a YAML or JSON
 * file none of whose documents looks like a Kubernetes object (package.json, compose
 * files, CI workflows, Helm values, tool configs) is not a manifest and is skipped, not
 * reported. Some tool files carry `apiVersion`/`kind` of their own (kustomize, Helm) and
 * are known by name. Files inside a Helm chart's templates/ are Go templates, not YAML.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Why a file is not linted as a manifest, for --debug and the summary. */
export type NotAManifestReason =
  | 'kustomization'
  | 'helm-chart-file'
  | 'helm-values'
  | 'helm-template'
  | 'kubelint-config'
  | 'pre-commit-config'
  | 'json-schema'
  | 'no-kubernetes-object';

export const REASON_TEXT: Record<NotAManifestReason, string> = {
  kustomization: "a kustomization (kustomize's own file, not a Kubernetes object)",
  'helm-chart-file': "a Helm chart's metadata (Chart.yaml / Chart.lock)",
  'helm-values': "a Helm chart's values file",
  'helm-template': 'a Helm template (Go template text; rendered with helm, not read as YAML)',
  'kubelint-config': "kubelint's own configuration",
  'pre-commit-config': "pre-commit's configuration",
  'json-schema': 'a JSON schema from a configured schema directory',
  'no-kubernetes-object': 'no document in it looks like a Kubernetes object (no apiVersion or kind)',
};

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
const KUBELINT_CONFIG_NAMES = new Set(['.kubelint.yaml', '.kubelint.yml', '.kubelint.json']);
const PRE_COMMIT_NAMES = new Set(['.pre-commit-config.yaml', '.pre-commit-config.yml', '.pre-commit-hooks.yaml']);
const VALUES_FILE = /^values[^/]*\.ya?ml$/;

/**
 * The chart a file belongs to: the nearest directory at or above `dir` holding Chart.yaml, up
 * to `stop`. `known` keeps each directory's answer for this `stop`, so that files beside each
 * other look for Chart.yaml once.
 */
export function chartRootOf(
  file: string,
  stop: string,
  exists: (file: string) => boolean = existsSync,
  known?: Map<string, string | undefined>,
): string | undefined {
  const first = path.dirname(file);
  // Most files share their directory with one asked about before (discovery asks of each).
  if (known?.has(first)) return known.get(first);
  const boundary = path.resolve(stop);
  const visited: string[] = [];
  let found: string | undefined;
  for (let dir = first; ; dir = path.dirname(dir)) {
    if (known?.has(dir)) {
      found = known.get(dir);
      break;
    }
    visited.push(dir);
    if (exists(path.join(dir, 'Chart.yaml'))) {
      found = dir;
      break;
    }
    if (dir === boundary || path.dirname(dir) === dir) break;
  }
  if (known) for (const dir of visited) known.set(dir, found);
  return found;
}

export interface NameContext {
  /** Where the search for an enclosing chart stops (the scanned root or the working directory). */
  root: string;
  /** Configured schema directories (absolute). */
  schemaDirs: readonly string[];
  exists?: (file: string) => boolean;
  /** Each directory's chart root, for this `root`, filled as files are asked about (files share directories). */
  chartRoots?: Map<string, string | undefined>;
}

/** A known tool file, decided by its name and place alone (before it is read). */
export function toolFileReason(file: string, context: NameContext): NotAManifestReason | undefined {
  const base = path.basename(file);
  if (KUSTOMIZATION_NAMES.has(base)) return 'kustomization';
  if (KUBELINT_CONFIG_NAMES.has(base)) return 'kubelint-config';
  if (PRE_COMMIT_NAMES.has(base)) return 'pre-commit-config';
  if (context.schemaDirs.some((dir) => isInside(file, dir))) return 'json-schema';
  if (base === 'Chart.yaml' || base === 'Chart.lock') return 'helm-chart-file';
  const chart = chartRootOf(file, context.root, context.exists, context.chartRoots);
  if (chart !== undefined) {
    const relative = path.relative(chart, file).split(path.sep);
    if (relative.length === 1 && VALUES_FILE.test(base)) return 'helm-values';
    if (relative[0] === 'templates') return 'helm-template';
  }
  return undefined;
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * A document that looks like a Kubernetes object, complete or not: a mapping with a
 * top-level apiVersion or kind, or with both metadata and spec, or a list of such. Anything else (a compose
 * file, a workflow, package.json) is some other tool's file.
 */
export function looksLikeKubernetesObject(value: unknown): boolean {
  // A list of objects is a manifest written wrongly (kubectl wants `kind: List`): worth a finding.
  if (Array.isArray(value)) return value.some((item) => !Array.isArray(item) && looksLikeKubernetesObject(item));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  return 'apiVersion' in object || 'kind' in object || ('metadata' in object && 'spec' in object);
}
