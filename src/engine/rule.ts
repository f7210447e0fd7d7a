/**
 * The rule contract, modelled on ESLint's rule modules: a self-describing `meta`
 * (id, default severity, description, docs, kinds) with message templates, and a
 * `check` that reports against paths inside the object, never against lines.
 */
import type { Node } from 'yaml';
import type { ObjectPath, KubeVersion, SourceRange, Target } from '../types.js';
import type { PodSpecVisitor } from './pod-spec.js';

export const DOCS_BASE_URL = 'https://github.com/kubelint/kubelint/blob/main/docs/rules/';

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

/** A rule's documentation: its own `meta.docs.url` (plugins), else kubelint's page for a built-in rule. */
export function docsUrlOf(meta: Pick<RuleMeta, 'id' | 'docs'>): string | undefined {
  return meta.docs?.url ?? (meta.id.includes('/') ? undefined : ruleDocsUrl(meta.id));
}

/** A JSON schema (draft-07), as a rule's `meta.schema` declares its options object. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** The options schema of a rule that takes none: an empty object is all it accepts. */
export const NO_OPTIONS: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };

export const RULE_TYPES = ['problem', 'suggestion', 'layout'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export interface RuleMeta<MessageIds extends string = string, Options = Readonly<Record<string, unknown>>> {
  id: string;
  /**
   * The severity a rule has when configuration does not change it; 'off' for a rule that
   * runs only when asked for (schema-missing).
   */
  severity: 'error' | 'warn' | 'off';
  /**
   * ESLint's rule types, which --fix-type selects fixes by: `problem` (the object is
   * rejected, or does not do what it says on a cluster), `suggestion` (it works, but could
   * be done better), `layout` (how the file is written, not what it means). A rule without
   * a type has its fixes applied only when no --fix-type is given, as in ESLint.
   */
  type?: RuleType;
  /** One line, shown by --list-rules and in SARIF's shortDescription. */
  description: string;
  /** A paragraph on why it matters on a real cluster (SARIF fullDescription). */
  rationale: string;
  /** Kinds the rule looks at; '*' for every object. */
  kinds: readonly string[] | '*';
  /** Where the rule is documented (plugins); built-in rules link to docs/rules/ID.md. */
  docs?: { url?: string };
  /** Message templates, with {{name}} placeholders filled from report data. */
  messages: Readonly<Record<MessageIds, string>>;
  /**
   * The options object's JSON schema (draft-07; `additionalProperties: false` so that a
   * misspelt option is an error). Configured options are validated against it; without
   * one, a rule's options are not checked.
   */
  schema?: JsonSchema;
  /** Options the rule gets when configuration does not set them; configured ones are deep-merged over them. */
  defaultOptions?: Options;
}

export interface RelatedReport {
  path: ObjectPath;
  target?: Target;
  message: string;
}

export interface Report<MessageIds extends string = string> {
  messageId: MessageIds;
  data?: Readonly<Record<string, string | number>>;
  /** Path inside the object (relative to the object, not the document). */
  path: ObjectPath;
  target?: Target;
  related?: RelatedReport[];
  /** The path starts at the document root rather than at the object (for List items). */
  fromDocumentRoot?: boolean;
  /**
   * A lesser case of the rule: shown as a warning even when the rule is configured as an
   * error (never raised; `off` still turns it off).
   */
  atMostWarning?: boolean;
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
  /**
   * The yaml node at `path` (relative to the object), if written there; its ranges plus
   * `offset` are file offsets. Its class, value, scalar type, source, format, collection
   * style and ranges are the yaml package's; comments may not be attached to it (`comment`,
   * `commentBefore`): kubelint builds most documents' trees from its own parse (see
   * src/parse/fast-tree.ts), and a fix reads comments from `text` where it needs them.
   */
  node(path: ObjectPath): Node | undefined;
  readonly offset: number;
  replace(range: readonly [number, number], text: string): TextEdit;
  insertAt(offset: number, text: string): TextEdit;
}

/** What a rule knows about the file and document it is looking at. */
export interface RuleContext<MessageIds extends string = string, Options = Readonly<Record<string, unknown>>> {
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
  /** The rule's options: `meta.defaultOptions` with the configured options deep-merged over them. */
  readonly options: Options;
  /** The source text of a scalar at `path` (relative to the object), as written in the file. */
  sourceText(path: ObjectPath): string | undefined;
  /**
   * Reports a finding. An id that is not in `meta.messages`, or a template placeholder
   * that `data` does not fill, throws: the run shows it as an internal error of the rule.
   */
  report(report: Report<MessageIds>): void;
}

/**
 * What a cross-object rule's `collect` sees: the object, as for `check`, and `record` in
 * place of `report`. A fact is plain JSON data (it crosses worker threads and caches).
 */
export interface CollectContext<Fact = unknown, Options = Readonly<Record<string, unknown>>>
  extends Omit<RuleContext<never, Options>, 'report'> {
  /** Records a fact about this object, optionally at a place in it (where a finding or related location may go). */
  record(fact: Fact, at?: { path: ObjectPath; target?: Target }): void;
}

/** A recorded fact as the run-level check sees it: with its file and (when recorded with a place) its range. */
export interface RunFact<Fact = unknown> {
  readonly fact: Fact;
  readonly filePath: string;
  /**
   * The fact's range when the file's pass resolved it (files with line directives); others
   * are located only when a report lands on them or points to them, so report at any fact
   * recorded with a place.
   */
  readonly location?: SourceRange;
}

/** A run-level finding: at a fact recorded with a place, with related locations at others. */
export interface RunReport<MessageIds extends string = string, Fact = unknown> {
  messageId: MessageIds;
  data?: Readonly<Record<string, string | number>>;
  at: RunFact<Fact>;
  related?: ReadonlyArray<{ at: RunFact<Fact>; message: string }>;
}

/** What `checkRun` sees once every file of the run is linted: every fact the rule recorded, in file order. */
export interface RunContext<MessageIds extends string = string, Options = Readonly<Record<string, unknown>>, Fact = unknown> {
  readonly facts: ReadonlyArray<RunFact<Fact>>;
  readonly options: Options;
  readonly kubeVersion: KubeVersion;
  report(report: RunReport<MessageIds, Fact>): void;
}

/**
 * The plain rule object, the contract third-party rules are written against (built-in
 * rules are made with createRule, which types the same object). A rule has `check`,
 * `create`, `collect` or several. `check(context)` looks at the whole object; `create(context)`
 * returns handlers for the parts of the pod spec the rule needs (ESLint's visitor: `podSpec`,
 * `container`, `volume`, `toleration`, `env`...), which the engine calls as it walks each
 * object once for every rule (see pod-spec.ts).
 *
 * A rule about several objects (a reference and what it names) records facts per object with
 * `collect` (which may return pod-spec handlers too) and reports from all of them in
 * `checkRun`, once the run's files are linted (src/lint/cross-object.ts). Linting one text
 * alone (lintText, the editor, RuleTester) is no run: checkRun is not called.
 */
export interface Rule<MessageIds extends string = string, Options = Readonly<Record<string, unknown>>, Fact = unknown> {
  meta: RuleMeta<MessageIds, Options>;
  check?(context: RuleContext<MessageIds, Options>): void;
  create?(context: RuleContext<MessageIds, Options>): PodSpecVisitor;
  collect?(context: CollectContext<Fact, Options>): PodSpecVisitor | void;
  checkRun?(context: RunContext<MessageIds, Options, Fact>): void;
}

/**
 * A rule with typed message ids and options (typescript-eslint's createRule): the ids are
 * the keys of `meta.messages`, so `report({ messageId: 'typo' })` does not compile, and
 * `context.options` has the type of `meta.defaultOptions`. A rule without `meta.schema`
 * takes no options.
 */
export function createRule<Options extends object = Record<string, never>, MessageIds extends string = string, Fact = unknown>(
  rule: Rule<MessageIds, Readonly<Options>, Fact>,
): Rule<MessageIds, Readonly<Options>, Fact> {
  return { ...rule, meta: { ...rule.meta, schema: rule.meta.schema ?? NO_OPTIONS } };
}

/**
 * Fills a message template. A placeholder that `data` does not fill throws (a rule's bug):
 * left in place it would be shown to the user as `{{name}}`. Values are not looked at, so
 * data that holds braces (a Helm template) is shown as written.
 */
export function formatMessage(template: string, data: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    if (!Object.hasOwn(data, name)) throw new Error(`message placeholder ${whole} has no value in the report's data`);
    return String(data[name]);
  });
}

/** A rule's template for `messageId`; an id its meta.messages lacks throws. */
export function messageTemplate(meta: Pick<RuleMeta, 'messages'>, messageId: string): string {
  const template = Object.hasOwn(meta.messages, messageId) ? meta.messages[messageId] : undefined;
  if (typeof template !== 'string') {
    throw new Error(`unknown messageId ${JSON.stringify(messageId)} (meta.messages has ${Object.keys(meta.messages).join(', ') || 'none'})`);
  }
  return template;
}

/**
 * ESLint's deep merge of default options: mappings merge key by key, anything else (a
 * list, a scalar) in `configured` replaces the default.
 */
export function mergeOptions(defaults: unknown, configured: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(configured)) return configured === undefined ? defaults : configured;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(configured)) merged[key] = mergeOptions(defaults[key], value);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
