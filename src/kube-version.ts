import type { KubeVersion } from './types.js';

/** The Kubernetes minor versions whose OpenAPI schemas are bundled in schemas/. */
export const BUNDLED_MINORS = [28, 29, 30, 31, 32, 33, 34, 35, 36] as const;
export const NEWEST_BUNDLED: KubeVersion = { major: 1, minor: BUNDLED_MINORS[BUNDLED_MINORS.length - 1] };

/** Parses "1.34", "v1.34" or "1.34.2"; returns undefined for anything else. */
export function parseKubeVersion(text: string): KubeVersion | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!match) return undefined;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major !== 1 || minor > 99) return undefined;
  return { major, minor };
}

export function formatKubeVersion(version: KubeVersion): string {
  return `${version.major}.${version.minor}`;
}

/** True when `version` is at least 1.`minor`. */
export function atLeast(version: KubeVersion, minor: number): boolean {
  return version.major > 1 || version.minor >= minor;
}

/** The oldest version kubelint accepts: the first without the pre-apps/v1 DaemonSet APIs (1.16). */
export const OLDEST_SUPPORTED_MINOR = 16;

/** The bundled minor nearest to `version` (the version itself when bundled). */
export function nearestBundled(version: KubeVersion): KubeVersion {
  const first = BUNDLED_MINORS[0];
  const last = BUNDLED_MINORS[BUNDLED_MINORS.length - 1]!;
  return { major: 1, minor: Math.min(Math.max(version.minor, first), last) };
}
