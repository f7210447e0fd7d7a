/**
 * The DaemonSet the fix, language-server and editor tests share: one container with an
 * env var `DEBUG` whose value a case sets (`no` is the YAML 1.1 boolean the schema rule
 * flags and fixes), tolerating the control-plane taint. Each test states only what differs.
 *
 *   HEADER / apiVersion / kind: DaemonSet / metadata: {name: agent}
 *   spec: [spec lines] template: metadata: [template lines]
 *     spec: containers: - agent, env DEBUG = VALUE; tolerations: control-plane
 */
export interface AgentParts {
  /** The first line (default "# agent"). */
  header?: string;
  /** The apiVersion's value, with a comment if any (default apps/v1). */
  apiVersion?: string;
  /** Lines under `spec:` before the template (default: the selector {app: agent}). */
  spec?: readonly string[];
  /** Lines under the template's metadata (default: labels {app: agent}). */
  templateMetadata?: readonly string[];
  /** DEBUG's value as written, with a comment if any. */
  value: string;
}

const indented = (lines: readonly string[], by: number) => lines.map((line) => `${' '.repeat(by)}${line}`);

export function agentDaemonSet(parts: AgentParts): string {
  return [
    parts.header ?? '# agent',
    `apiVersion: ${parts.apiVersion ?? 'apps/v1'}`,
    'kind: DaemonSet',
    'metadata:',
    '  name: agent',
    'spec:',
    ...indented(parts.spec ?? ['selector:', '  matchLabels: {app: agent}'], 2),
    '  template:',
    '    metadata:',
    ...indented(parts.templateMetadata ?? ['labels: {app: agent}'], 6),
    '    spec:',
    '      containers:',
    '        - name: agent',
    '          image: agent:1.0',
    '          env:',
    '            - name: DEBUG',
    `              value: ${parts.value}`,
    '      tolerations:',
    '        - key: node-role.kubernetes.io/control-plane',
    '          operator: Exists',
    '          effect: NoSchedule',
    '',
  ].join('\n');
}
