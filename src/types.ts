/** Shared types: what flows from loading to reporting. */

/** A path inside a Kubernetes object, as keys and array indexes. */
export type ObjectPath = ReadonlyArray<string | number>;

/** Which part of a YAML node a finding points at. */
export type Target = 'key' | 'value';

export type SeverityName = 'off' | 'warn' | 'error';
/** ESLint's numeric severities: 1 warning, 2 error. */
export type Severity = 1 | 2;

/** A second place that explains a finding (SARIF relatedLocations). */
export interface RelatedLocation {
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One finding, in ESLint's LintMessage shape (1-based, absolute in the file). */
export interface LintMessage {
  ruleId: string | null;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fatal?: boolean;
  messageId?: string;
  relatedLocations?: RelatedLocation[];
  /** Present on suppressed messages (ESLint's SuppressedLintMessage). */
  suppressions?: Array<{ kind: 'directive' | 'annotation'; justification: string }>;
}

/** ESLint's LintResult shape, so ESLint tooling reads kubelint's JSON as it is. */
export interface LintResult {
  filePath: string;
  messages: LintMessage[];
  suppressedMessages: LintMessage[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  source?: string;
  /** kubelint's own: objects no schema validated, as "apiVersion kind" -> count (absent when none). */
  notSchemaValidated?: Record<string, number>;
}

/** A Kubernetes minor version such as 1.34. */
export interface KubeVersion {
  major: number;
  minor: number;
}
