/**
 * The rule contract, modelled on ESLint's rule modules: a self-describing `meta`
 * (id, default severity, description, docs, kinds) with message templates, and a
 * `check` that reports against paths inside the object, never against lines.
 */
import type { Node } from 'yaml';
import type { ObjectPath, KubeVersion, Target } from '../types.js';

export const DOCS_BASE_URL = 'https://github.com/kubelint/kubelint/blob/main/docs/rules/';

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

/** A rule's documentation: its own `meta.docs.url` (plugins), else kubelint's page for a built-in rule. */
export function docsUrlOf(meta: Pick<RuleMeta, 'id' | 'docs'>): string | undefined {
  return meta.docs?.url ?? (meta.id.includes('/') ? undefined : ruleDocsUrl(meta.id));
}

export interface RuleMeta {
  id: string;
  /** The severity a rule has when configuration does not change it. */
  severity: 'error' | 'warn';
  /** One line, shown by --list-rules and in SARIF's shortDescription. */
  description: string;
  /** A paragraph on why it matters on a real cluster (SARIF fullDescription). */
  rationale: string;
  /** Kinds the rule looks at; '*' for every object. */
  kinds: readonly string[] | '*';
  /** Where the rule is documented (plugins); built-in rules link to docs/rules/ID.md. */
  docs?: { url?: string };
  /** Message templates, with {{name}} placeholders filled from report data. */
  messages: Readonly<Record<string, string>>;
}

export interface RelatedReport {
  path: ObjectPath;
  target?: Target;
  message: string;
}

export interface Report {
  messageId: string;
  data?: Readonly<Record<string, string | number>>;
  /** Path inside the object (relative to the object, not the document). */
  path: ObjectPath;
  target?: Target;
  related?: RelatedReport[];
  /** The path starts at the document root rather than at the object (for List items). */
  fromDocumentRoot?: boolean;
  /** A safe edit, applied by --fix (ESLint's `fix`): computed on the file's original text. */
  fix?: FixFunction;
  /** Edits offered in an editor, never applied by --fix (ESLint's `suggest`). */
  suggest?: ReadonlyArray<{ desc: string; fix: FixFunction }>;
}

/** One replacement in the file's text (offsets after any byte order mark), ESLint's Fix shape. */
export interface TextEdit {
  range: [number, number];
  text: string;
}

/** Returns the edits of a fix, or nothing when the fix cannot be made safely here. */
export type FixFunction = (fixer: Fixer) => TextEdit | readonly TextEdit[] | null | undefined;

/**
 * What a fix sees: the whole original text and the yaml syntax tree of its document, so
 * that an edit touches only the bytes it means to (comments, quoting, CRLF stay).
 */
export interface Fixer {
  readonly text: string;
  /** The line break the file uses ("\r\n" when its first line ends so). */
  readonly eol: string;
  /** The yaml node at `path` (relative to the object), if written there; its ranges plus `offset` are file offsets. */
  node(path: ObjectPath): Node | undefined;
  readonly offset: number;
  replace(range: readonly [number, number], text: string): TextEdit;
  insertAt(offset: number, text: string): TextEdit;
}

/** What a rule knows about the file and document it is looking at. */
export interface RuleContext {
  /** The object, exactly as decoded (YAML 1.1 semantics). */
  readonly object: Readonly<Record<string, unknown>>;
  readonly filePath: string;
  readonly kubeVersion: KubeVersion;
  /** The file is in a kubelet static pod directory (see --static-pod-path). */
  readonly isStaticPodFile: boolean;
  /**
   * The object is partial by design: its file is a patch a kustomization names. Rules do
   * not report what it leaves out.
   */
  readonly isPatch: boolean;
  /** Index of the document in its file, counting every `---` document. */
  readonly documentIndex: number;
  /** The object is an item of a `kind: List`, not a document of its own. */
  readonly inList: boolean;
  /** Index of the item in its List (0 when not in a List). */
  readonly listIndex: number;
  /** Index of the first document in the file that holds anything. */
  readonly firstNonEmptyDocumentIndex: number;
  readonly options: Readonly<Record<string, unknown>>;
  /** The source text of a scalar at `path` (relative to the object), as written in the file. */
  sourceText(path: ObjectPath): string | undefined;
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

export function formatMessage(template: string, data: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    name in data ? String(data[name]) : whole,
  );
}
