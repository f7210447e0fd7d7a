/**
 * Fixture builders for rule tests: a clean DaemonSet or static pod with lines added where a
 * case needs them. Mark the line a finding is expected on (`# <-`, or a `^` line under it)
 * rather than counting the builder's fixed lines.
 */

/** Strips the common indentation of a template literal, so cases can be indented in tables. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((text, part, i) => text + part + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length));
  return lines.map((line) => line.slice(indent)).join('\n').replace(/\s+$/, '\n');
}

const indented = (lines: readonly string[], by: number) => lines.map((line) => `${' '.repeat(by)}${line}`);

export interface DaemonSetParts {
  name?: string;
  namespace?: string;
  /** Lines under `spec:` before the selector (updateStrategy, minReadySeconds). */
  spec?: readonly string[];
  /** The selector's and the template's labels, as a flow mapping body (default "app: agent"). */
  labels?: string;
  /** Lines under the pod spec before the containers. */
  podSpec?: readonly string[];
  /** The pod spec's tolerations line; null for none (default: tolerate every taint). */
  tolerations?: string | null;
  /** Lines of the container list (default: one container agent:1). */
  containers?: readonly string[];
}

/**
 * A DaemonSet that every built-in rule accepts, with `parts` added:
 *
 *   apiVersion: apps/v1 / kind: DaemonSet / metadata: {name} / spec: [spec lines]
 *   selector, template: metadata labels, spec: [podSpec lines], tolerations, containers
 */
export function daemonSet(parts: DaemonSetParts = {}): string {
  const labels = parts.labels ?? 'app: agent';
  const tolerations = parts.tolerations === undefined ? 'tolerations: [{operator: Exists}]' : parts.tolerations;
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    `  name: ${parts.name ?? 'agent'}`,
    ...(parts.namespace ? [`  namespace: ${parts.namespace}`] : []),
    'spec:',
    ...indented(parts.spec ?? [], 2),
    `  selector: {matchLabels: {${labels}}}`,
    '  template:',
    `    metadata: {labels: {${labels}}}`,
    '    spec:',
    ...indented(parts.podSpec ?? [], 6),
    ...(tolerations === null ? [] : [`      ${tolerations}`]),
    '      containers:',
    ...indented(parts.containers ?? ['- {name: agent, image: agent:1}'], 8),
    '',
  ].join('\n');
}

export interface StaticPodParts {
  name?: string;
  /** Lines under `spec:` before the containers. */
  spec?: readonly string[];
  /** Lines of the first container after its name and image. */
  container?: readonly string[];
}

/** A static pod (lint it as etc/kubernetes/manifests/NAME.yaml) with `parts` added. */
export function staticPod(parts: StaticPodParts = {}): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${parts.name ?? 'p'}`,
    '  namespace: kube-system',
    'spec:',
    ...indented(parts.spec ?? [], 2),
    '  containers:',
    '  - name: a',
    '    image: a:1',
    ...indented(parts.container ?? [], 4),
    '',
  ].join('\n');
}
