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
  /** The file it is in, when not the finding's own (a run-level rule's candidate in another file). */
  filePath?: string;
}

/** A range in a file, 1-based as LintMessage's. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * What a rule's per-object `collect` recorded in one file, for its run-level `checkRun`:
 * plain data (it crosses worker threads and may be cached with the file's result).
 */
export interface CollectedFact {
  ruleId: string;
  fact: unknown;
  /** Where the fact is, when the rule recorded a place (a finding or related location may go there). */
  location?: SourceRange;
  /**
   * The place not yet resolved to a range: most facts never become findings, and locating
   * each one would mean recording positions for every ConfigMap and ServiceAccount. Only a
   * file without line directives defers (a directive needs the line to decide suppression).
   */
  deferred?: { document: number; path: ObjectPath; target: Target };
  /** A finding at this fact would be suppressed by this (decided in the file's pass). */
  suppression?: { kind: 'directive' | 'annotation'; justification: string; pending?: number };
}

/**
 * A suppression that suppressed nothing in its file's pass but covers collected facts: it
 * is unused unless the run reports at one of them (index: `CollectedFact.suppression.pending`).
 */
export interface PendingSuppression {
  location: SourceRange;
  /** A directive: its text, the rules it names (undefined: every rule) and those it suppressed in the file. */
  directive?: { name: string; rules?: string[]; used: string[] };
  /** An annotation kubelint.io/ignore.RULE. */
  annotation?: { key: string; ruleId: string };
}

/** A file's facts for the run's cross-object rules. */
export interface RunFacts {
  facts: CollectedFact[];
  suppressions: PendingSuppression[];
}

/** ESLint's Fix: replace the text in [start, end) by `text`. */
export interface EditInfo {
  range: [number, number];
  text: string;
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
  /** A safe edit --fix applies (ESLint's shape: offsets into the text without a byte order mark). */
  fix?: EditInfo;
  /** Edits an editor offers, never applied by --fix. */
  suggestions?: Array<{ desc: string; fix: EditInfo }>;
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
  /** The fixed text, when --fix or --fix-dry-run changed the file (ESLint's convention). */
  output?: string;
  /** kubelint's own: objects no schema validated, as "apiVersion kind" -> count (absent when none). */
  notSchemaValidated?: Record<string, number>;
  /**
   * kubelint's own, never printed: the file was looked at but is not a manifest (why).
   * The run drops such results and counts them as skipped.
   */
  skipped?: string;
  /** kubelint's own, never printed: how many Kubernetes objects the file holds. */
  objects?: number;
  /** kubelint's own, never printed: facts for run-level rules (src/lint/cross-object.ts resolves them). */
  runFacts?: RunFacts;
  /**
   * kubelint's own, never printed: the file's text was not kept, to be read again from
   * `filePath` when it is needed (for the formatters, or a finding the run adds to a clean
   * file); its length then, so that a file changed since is not taken for it.
   */
  sourceOnDisk?: number;
}

/** A Kubernetes minor version such as 1.34. */
export interface KubeVersion {
  major: number;
  minor: number;
}

/** What a run looked at and did not lint, and how much it linted: for the summary and --debug. */
export interface RunStats {
  /** Files read and linted (a rendered Helm template counts as one). */
  filesLinted: number;
  /** Kubernetes objects linted. */
  objects: number;
  /** Files looked at but not linted, by reason text (e.g. "not a manifest": 3). */
  skipped: Record<string, number>;
  /** Objects no schema validated, as "apiVersion kind" -> count. */
  notSchemaValidated: Record<string, number>;
}
