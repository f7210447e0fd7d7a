/**
 * Kustomize. A kustomization is not linted itself (it is kustomize's file), but it says
 * which files are patches: a strategic-merge patch is a partial object by design, so
 * kubelint does not report what it leaves out. Rendering is kustomize's job:
 * `kubectl kustomize DIR | kubelint -`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The files a kustomization names as patches (`patches[].path`, `patchesStrategicMerge`,
 * `patchesJson6902[].path`), as absolute paths. Inline patches and remote ones name no file.
 * A kustomization that cannot be read or parsed names none: it is not kubelint's to judge.
 */
export function patchFilesOf(kustomizationFile: string): string[] {
  let config: Record<string, unknown> | undefined;
  try {
    config = asRecord(parse(readFileSync(kustomizationFile, 'utf8'), { maxAliasCount: 100 }));
  } catch {
    return [];
  }
  if (!config) return [];
  const dir = path.dirname(kustomizationFile);
  const named: string[] = [];
  for (const key of ['patches', 'patchesJson6902']) {
    const entries = config[key];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      const file = asRecord(entry)?.path;
      if (typeof file === 'string') named.push(file);
    }
  }
  const strategic = config.patchesStrategicMerge;
  if (Array.isArray(strategic)) {
    // Each entry is a file path, or an inline patch written as a YAML string (it has a newline or a "key: value").
    for (const entry of strategic) if (typeof entry === 'string' && !/\n|: /.test(entry)) named.push(entry);
  }
  return named.filter((file) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(file)).map((file) => path.resolve(dir, file));
}
