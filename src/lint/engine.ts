/**
 * The engine: parse with positions -> validate -> run rules -> resolve positions.
 * It works on text, so the CLI, the library API and the tests share one path.
 */
import { MAX_DOCUMENTS, parseManifests, parseManifestsFully, type ParsedDocument, type ParsedFile } from '../parse/parse.js';
import { isDocumentMarker } from '../parse/fast-parse.js';
import { toSourceRange } from '../positions/positions.js';
import { formatMessage, mergeOptions, messageTemplate, type CollectContext, type Report, type Rule, type RuleContext } from '../engine/rule.js';
import { resolveFix } from '../fix/fixer.js';
import type { RuleRegistry } from '../engine/registry.js';
import { INVALID_MANIFEST, YAML_SYNTAX } from '../engine/core-rules.js';
import type { CollectedFact, EditInfo, KubeVersion, LintMessage, LintResult, ObjectPath, PendingSuppression, RunFacts, Severity, SeverityName, SourceRange, Target } from '../types.js';
import { StaticPodMatcher } from '../discover/static-pods.js';
import { NEWEST_BUNDLED } from '../kube-version.js';
import { podTemplatePath, walkPodSpec, type PodSpecVisitor } from '../engine/pod-spec.js';
import { looksLikeKubernetesObject } from '../discover/manifest-files.js';
import { notSchemaValidated } from '../schema/validators.js';
import { ownData } from '../parse/own-string.js';
import {
  ANNOTATION_PREFIX,
  findAnnotationSuppressions,
  findDirectives,
  startsWith,
  type AnnotationSuppression,
  type Directive,
} from '../engine/suppressions.js';

export interface EngineOptions {
  kubeVersion: KubeVersion;
  staticPods: StaticPodMatcher;
  /** The rules to run (built-in ones, plugins'); the engine's own core rules are always in it. */
  registry: RuleRegistry;
  /** Severity overrides by rule id (configuration and --rule). */
  rules: Readonly<Record<string, SeverityName>>;
  ruleOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Skip the fast path and parse every document fully (for tests and debugging). */
  fullParse?: boolean;
  /**
   * Files are looked at as a repository holds them: one none of whose documents looks like
   * a Kubernetes object is not a manifest (package.json, a compose file) and comes back
   * marked `skipped`, without findings. Static pod files are always linted (the kubelet
   * reads every file there).
   */
  skipNonManifests?: boolean;
  /**
   * Rules whose fixes --fix must never apply (configuration `fix.exclude`): their fix is
   * offered as a suggestion instead, so an editor can still apply it one at a time.
   */
  fixExclude?: readonly string[];
  /** Files a kustomization names as patches: partial objects by design (absolute paths). */
  patchFiles?: ReadonlySet<string>;
  /**
   * No result of a file on disk keeps its text (`sourceOnDisk` instead): the CLI reads a
   * file again as it prints it, so that memory does not grow with the files that have findings.
   */
  sourcesOnDisk?: boolean;
}

export function defaultEngineOptions(overrides: Partial<EngineOptions> & Pick<EngineOptions, 'registry'>): EngineOptions {
  return {
    kubeVersion: NEWEST_BUNDLED,
    staticPods: new StaticPodMatcher([]),
    rules: {},
    ruleOptions: {},
    ...overrides,
  };
}

/** A finding before its position is resolved: a path in a document, or offsets. */
interface PendingFinding {
  ruleId: string;
  messageId?: string;
  message: string;
  /** The document the path is in (its syntax tree is parsed only if needed). */
  doc?: ParsedDocument;
  path?: ObjectPath;
  target?: Target;
  offsets?: [number, number];
  related?: Array<{ path: ObjectPath; target?: Target; message: string }>;
  atMostWarning?: boolean;
  fix?: EditInfo;
  suggestions?: Array<{ desc: string; fix: EditInfo }>;
}

export function severityOf(ruleId: string, options: EngineOptions): Severity | 0 {
  const configured = options.rules[ruleId];
  const name = configured ?? options.registry.byId.get(ruleId)?.meta.severity ?? 'error';
  return name === 'off' ? 0 : name === 'warn' ? 1 : 2;
}

const mergedOptions = new WeakMap<EngineOptions, Map<Rule, Readonly<Record<string, unknown>>>>();

/** A rule's options in a run: its meta.defaultOptions with the configured ones deep-merged over them (computed once per run). */
export function ruleOptionsFor(rule: Rule, options: EngineOptions): Readonly<Record<string, unknown>> {
  let byRule = mergedOptions.get(options);
  if (!byRule) mergedOptions.set(options, (byRule = new Map()));
  let merged = byRule.get(rule);
  if (!merged) {
    merged = (mergeOptions(rule.meta.defaultOptions ?? {}, options.ruleOptions[rule.meta.id] ?? {}) ?? {}) as Readonly<Record<string, unknown>>;
    byRule.set(rule, merged);
  }
  return merged;
}

function appliesTo(rule: Rule, kind: unknown): boolean {
  return rule.meta.kinds === '*' || (typeof kind === 'string' && rule.meta.kinds.includes(kind));
}

/** A rule that runs on an object, with its options in this run. */
interface ActiveRule {
  rule: Rule;
  options: Readonly<Record<string, unknown>>;
}

const activeRules = new WeakMap<EngineOptions, Map<string | undefined, readonly ActiveRule[]>>();
/** Kinds whose rule lists a run keeps: a stream of made-up kinds must not grow it without end. */
const MAX_KINDS_KEPT = 1000;

/**
 * The rules that run on objects of `kind`, in the registry's order: those switched on whose
 * meta.kinds takes it (only `'*'` ones for a kind that is no string). Decided once per run
 * and kind, not for every rule of every object.
 */
function rulesFor(kind: unknown, options: EngineOptions): readonly ActiveRule[] {
  let byKind = activeRules.get(options);
  if (!byKind) activeRules.set(options, (byKind = new Map()));
  const key = typeof kind === 'string' ? kind : undefined;
  let active = byKind.get(key);
  if (!active) {
    active = options.registry.rules
      .filter((rule) => appliesTo(rule, key) && severityOf(rule.meta.id, options) !== 0)
      .map((rule) => ({ rule, options: ruleOptionsFor(rule, options) }));
    if (byKind.size < MAX_KINDS_KEPT) byKind.set(key, active);
  }
  return active;
}

/** A file's text as kubelint lints it: ESLint reports positions without the byte order mark; so do we. */
export function withoutByteOrderMark(rawText: string): string {
  return rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
}

/** Parses a file's text (without its byte order mark) as lintText does. */
export function parseForLint(text: string, options: Pick<EngineOptions, 'fullParse'>): ParsedFile {
  return options.fullParse ? parseManifestsFully(text) : parseManifests(text);
}

/**
 * Lints one file's text. Never throws for any input. `onDisk`: the text can be read again
 * from `filePath`, so a clean file's text is not held for the run-level rules (lintFile).
 */
export function lintText(rawText: string, filePath: string, options: EngineOptions, onDisk = false): LintResult {
  const text = withoutByteOrderMark(rawText);
  const parsed = parseForLint(text, options);
  const isStaticPodFile = options.staticPods.matches(filePath);
  if (options.skipNonManifests && !isStaticPodFile && !holdsKubernetesObjects(parsed)) {
    return { ...summarize({ filePath, messages: [], suppressedMessages: [] }), skipped: 'no-kubernetes-object' };
  }
  const findings: PendingFinding[] = [];
  collectSyntaxFindings(parsed, findings);

  const scan: FileScan = {
    filePath,
    parsed,
    options,
    findings,
    isStaticPodFile,
    isPatchFile: options.patchFiles?.has(filePath) ?? false,
    firstNonEmpty: parsed.documents.findIndex((doc) => !doc.empty),
    annotations: [],
    unvalidated: {},
    objects: 0,
    facts: [],
    onDisk,
  };
  for (const doc of parsed.documents) {
    if (doc.empty || doc.fatal.length > 0) continue;
    if (doc.objects.length === 0) {
      reportNotAnObject(doc, findings);
      continue;
    }
    for (const object of doc.objects) runRules(scan, doc, object.value, object.path);
  }
  return toResult(scan);
}

/**
 * Whether a file is a manifest at all: some document has a syntax error (it may be a
 * broken one), or looks like a Kubernetes object. A file whose documents are all empty
 * is an (empty) manifest too: kubectl accepts it.
 */
function holdsKubernetesObjects(parsed: ParsedFile): boolean {
  const meaningful = parsed.documents.filter((doc) => !doc.empty);
  if (meaningful.length === 0 || parsed.skippedFrom !== undefined) return true;
  return meaningful.some((doc) => doc.fatal.length > 0 || looksLikeKubernetesObject(doc.value));
}

/** What linting one file carries from document to document. */
interface FileScan {
  filePath: string;
  parsed: ParsedFile;
  options: EngineOptions;
  findings: PendingFinding[];
  isStaticPodFile: boolean;
  isPatchFile: boolean;
  firstNonEmpty: number;
  annotations: AnnotationSuppression[];
  /** "apiVersion kind" -> how many objects of the file no schema validated. */
  unvalidated: Record<string, number>;
  /** Objects linted, for the run's summary. */
  objects: number;
  /** What cross-object rules' `collect` recorded, for the run (see cross-object.ts). */
  facts: PendingFact[];
  /** The text can be read again from filePath (see lintText). */
  onDisk: boolean;
}

/** A recorded fact before its position is resolved. */
interface PendingFact {
  ruleId: string;
  fact: unknown;
  doc: ParsedDocument;
  path?: ObjectPath;
  target?: Target;
}

/** A mapping key as written: quoted, or plain up to the `: ` that ends it. */
const KEY_TOKEN = /^(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|(?:[^\s:,[\]{}#]|:(?=[^\s,[\]{}]))+)/;

function collectSyntaxFindings(parsed: ParsedFile, findings: PendingFinding[]): void {
  const syntax = YAML_SYNTAX.meta.messages;
  for (const doc of parsed.documents) {
    for (const problem of doc.fatal) {
      const detail = problem.message.replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
      findings.push({
        ruleId: 'yaml-syntax',
        messageId: 'syntax',
        message: formatMessage(syntax.syntax!, { detail }),
        offsets: [problem.start, problem.end],
      });
    }
    for (const problem of doc.nonFatal) {
      const key = KEY_TOKEN.exec(parsed.text.slice(problem.start, problem.start + 1024))?.[0] ?? '';
      findings.push({
        ruleId: 'yaml-syntax',
        messageId: 'duplicateKey',
        message: formatMessage(syntax.duplicateKey!, { key: JSON.stringify(key.replace(/^["']|["']$/g, '')) }),
        offsets: [problem.start, problem.start + Math.max(key.length, 1)],
      });
    }
  }
}

function reportNotAnObject(doc: ParsedDocument, findings: PendingFinding[]): void {
  const value = doc.value;
  const what = Array.isArray(value)
    ? 'a list'
    : value === null
      ? 'null'
      : `a plain ${typeof value === 'string' ? 'string' : typeof value} value`;
  findings.push({
    ruleId: 'invalid-manifest',
    messageId: 'notAnObject',
    message: formatMessage(INVALID_MANIFEST.meta.messages.notAnObject!, { what }),
    doc,
    path: [],
    target: 'value',
  });
}

function runRules(scan: FileScan, doc: ParsedDocument, object: Record<string, unknown>, objectPath: ObjectPath): void {
  const { options, findings } = scan;
  const inList = objectPath.length > 0;
  const templatePath = podTemplatePath(object.kind);
  scan.annotations.push(
    ...findAnnotationSuppressions(object, objectPath, templatePath && templatePath.length > 0 ? templatePath : undefined, doc.index),
  );
  const scope: ObjectScope = {
    object,
    filePath: scan.filePath,
    kubeVersion: options.kubeVersion,
    isStaticPodFile: scan.isStaticPodFile,
    isPatch: scan.isPatchFile,
    documentIndex: doc.index,
    inList,
    listIndex: inList ? Number(objectPath[objectPath.length - 1]) : 0,
    firstNonEmptyDocumentIndex: scan.firstNonEmpty,
    sourceText: (path: ObjectPath) => doc.scalarSource([...objectPath, ...path]),
  };
  const fixPath = (report: Report) => (report.fromDocumentRoot ? [] : objectPath);
  const push = (ruleId: string, report: Report, message: string) => {
    let fix = report.fix && resolveFix(report.fix, scan.parsed.text, doc, fixPath(report));
    const suggestions = (report.suggest ?? []).flatMap((suggestion) => {
      const edit = resolveFix(suggestion.fix, scan.parsed.text, doc, fixPath(report));
      return edit ? [{ desc: suggestion.desc, fix: edit }] : [];
    });
    if (fix && options.fixExclude?.includes(ruleId)) {
      // Opted out of --fix, the edit is still offered (first), unless a suggestion already makes it.
      const same = (edit: EditInfo) => edit.range[0] === fix!.range[0] && edit.range[1] === fix!.range[1] && edit.text === fix!.text;
      if (!suggestions.some((suggestion) => same(suggestion.fix))) {
        suggestions.unshift({ desc: `Apply the fix of ${ruleId} (the configuration excludes it from --fix)`, fix });
      }
      fix = undefined;
    }
    findings.push({
      ruleId,
      messageId: report.messageId,
      message,
      doc,
      path: report.fromDocumentRoot ? report.path : [...objectPath, ...report.path],
      target: report.target,
      related: report.related?.map((related) => ({ ...related, path: [...objectPath, ...related.path] })),
      ...(report.atMostWarning ? { atMostWarning: true } : {}),
      ...(fix ? { fix } : {}),
      ...(suggestions.length ? { suggestions } : {}),
    });
  };

  // Rules with a `create` subscribe to parts of the pod spec, walked once below for all of them.
  const visitors: PodSpecVisitor[] = [];
  const visitorRules: string[] = [];
  for (const { rule, options: configured } of rulesFor(object.kind, options)) {
    const context = new ObjectRuleContext(scope, configured, (report) => {
      // An unknown id or a missing placeholder value throws: guarded() makes it an internal error naming the rule.
      push(rule.meta.id, report, formatMessage(messageTemplate(rule.meta, report.messageId), report.data));
    });
    if (rule.check && !guarded(rule.meta.id, findings, () => rule.check!(context))) continue;
    if (rule.collect) {
      const collector = new ObjectCollectContext(scope, configured, (fact, at) => {
        scan.facts.push({ ruleId: rule.meta.id, fact, doc, ...(at ? { path: [...objectPath, ...at.path], target: at.target ?? 'value' } : {}) });
      });
      guarded(rule.meta.id, findings, () => {
        const visitor = rule.collect!(collector);
        if (visitor) {
          visitors.push(visitor);
          visitorRules.push(rule.meta.id);
        }
      });
    }
    if (rule.create) {
      guarded(rule.meta.id, findings, () => {
        const visitor = rule.create!(context);
        if (visitor) {
          visitors.push(visitor);
          visitorRules.push(rule.meta.id);
        }
      });
    }
  }
  // A rule whose handler throws gets one internal-error finding and no more calls for this object.
  const failed = new Set<number>();
  walkPodSpec(object, visitors, (index, run) => {
    if (!failed.has(index) && !guarded(visitorRules[index]!, findings, run)) failed.add(index);
  });
  scan.objects++;
  const unvalidated = notSchemaValidated(object, options.kubeVersion, options.ruleOptions.schema ?? {});
  if (unvalidated) scan.unvalidated[unvalidated] = (scan.unvalidated[unvalidated] ?? 0) + 1;
}

/** What the contexts of every rule on one object share. */
type ObjectScope = Omit<RuleContext, 'options' | 'report'>;

/**
 * A rule's context on one object: the object's scope read through getters, so that each of
 * the ~20 rules on each object costs three fields, not a copy of the scope (object spread
 * was a tenth of what a run allocated). `report` and `sourceText` are functions of their
 * own, so a rule may destructure them.
 */
class ObjectScopeView {
  constructor(
    private readonly scope: ObjectScope,
    readonly options: Readonly<Record<string, unknown>>,
  ) {}

  get object() {
    return this.scope.object;
  }
  get filePath() {
    return this.scope.filePath;
  }
  get kubeVersion() {
    return this.scope.kubeVersion;
  }
  get isStaticPodFile() {
    return this.scope.isStaticPodFile;
  }
  get isPatch() {
    return this.scope.isPatch;
  }
  get documentIndex() {
    return this.scope.documentIndex;
  }
  get inList() {
    return this.scope.inList;
  }
  get listIndex() {
    return this.scope.listIndex;
  }
  get firstNonEmptyDocumentIndex() {
    return this.scope.firstNonEmptyDocumentIndex;
  }
  get sourceText() {
    return this.scope.sourceText;
  }
}

class ObjectRuleContext extends ObjectScopeView implements RuleContext {
  constructor(
    scope: ObjectScope,
    options: Readonly<Record<string, unknown>>,
    readonly report: RuleContext['report'],
  ) {
    super(scope, options);
  }
}

class ObjectCollectContext extends ObjectScopeView implements CollectContext {
  constructor(
    scope: ObjectScope,
    options: Readonly<Record<string, unknown>>,
    readonly record: CollectContext['record'],
  ) {
    super(scope, options);
  }
}

/** A bug in one rule must not stop the others, nor lose the file's other findings. */
function guarded(ruleId: string, findings: PendingFinding[], run: () => void): boolean {
  try {
    run();
    return true;
  } catch (error) {
    findings.push({
      ruleId,
      // A plugin's bug is its authors' to fix, and the finding says whose it is.
      message: `internal error in rule ${ruleId}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}. ${
        ruleId.includes('/') ? `Please report this bug to the authors of plugin ${ruleId.split('/')[0]}.` : 'Please report this bug.'
      }`,
      offsets: [0, 0],
    });
    return false;
  }
}

/**
 * Findings shown per file. A file can hold thousands of broken objects; past this many,
 * one more finding says how many were not shown, so that output (and memory) stay bounded.
 */
export const MAX_FINDINGS = 1000;

function toResult(scan: FileScan): LintResult {
  const { parsed, options } = scan;
  const directives = findDirectives(parsed.text, () => parsed.comments(), (offset) => parsed.lineCounter.linePos(offset).line);
  const index = indexDirectives(parsed.text, directives);
  let messages: LintMessage[] = [];
  let suppressedMessages: LintMessage[] = [];
  for (const finding of scan.findings) {
    // ESLint's policy: a fatal finding (the file or document could not be read at all) is
    // an error whatever the configuration says, since nothing in it was checked.
    const configured = isFatal(finding) ? 2 : severityOf(finding.ruleId, options);
    if (configured === 0) continue;
    const severity = finding.atMostWarning ? 1 : configured;
    const message = resolveFinding(finding, severity, parsed);
    const suppression = message.fatal ? undefined : suppressionOf(finding, message.line, scan, index);
    if (suppression) suppressedMessages.push({ ...message, suppressions: [suppression] });
    else messages.push(message);
  }
  const runFacts = collectedFacts(scan, index);
  const unusedSeverity = severityOf('unused-suppression', options);
  if (unusedSeverity !== 0) {
    for (const finding of unusedSuppressions(scan, directives, runFacts?.suppressions)) messages.push(resolveFinding(finding, unusedSeverity, parsed));
  }
  messages.sort(byPosition);
  suppressedMessages.sort(byPosition);
  if (messages.length > MAX_FINDINGS) messages = [...messages.slice(0, MAX_FINDINGS), notShownMessage(messages.slice(MAX_FINDINGS))];
  // Last in the file, and never among those not shown.
  if (parsed.skippedFrom !== undefined) messages.push(skippedDocumentsMessage(parsed));
  // Suppressed findings are not problems: past the limit they are dropped without a word.
  if (suppressedMessages.length > MAX_FINDINGS) suppressedMessages = suppressedMessages.slice(0, MAX_FINDINGS);
  // The source is needed only where a formatter will show it: a clean file's text would only fill
  // memory. A file with facts may get findings from the run, so its source is needed until the
  // run is resolved. Where the file can be read again then, it is not kept: most files with
  // facts are clean ConfigMaps and ServiceAccounts, and the CLI reads every file again to print it.
  const hasFindings = messages.length > 0 || suppressedMessages.length > 0;
  const needed = hasFindings || runFacts !== undefined;
  const onDisk = needed && scan.onDisk && (!hasFindings || options.sourcesOnDisk === true);
  const result = summarize({ filePath: scan.filePath, messages, suppressedMessages, ...(needed && !onDisk ? { source: parsed.text } : {}) });
  if (onDisk) result.sourceOnDisk = parsed.text.length;
  if (Object.keys(scan.unvalidated).length > 0) result.notSchemaValidated = scan.unvalidated;
  if (scan.objects > 0) result.objects = scan.objects;
  if (runFacts) result.runFacts = runFacts;
  return result;
}

/**
 * The file's facts with their ranges, and whether a finding at each would be suppressed:
 * decided here, where the directives and annotations are known. A suppression that covers
 * a fact is not marked used (the run decides whether a finding lands there) but pending.
 */
function collectedFacts(scan: FileScan, index: DirectiveIndex): RunFacts | undefined {
  if (scan.facts.length === 0) return undefined;
  const { parsed } = scan;
  const linesMatter = index.nextLine.size > 0 || index.restOfDocument.length > 0;
  const facts = scan.facts.map((pending): CollectedFact => {
    // Facts live until the run is resolved, and their strings are slices of the file's text:
    // copied out (ownData), a clean file's text can be let go. (A worker's results are copied
    // by postMessage anyway.) A structured clone did the same at three times the cost.
    const collected: CollectedFact = { ruleId: pending.ruleId, fact: ownData(pending.fact) };
    if (pending.path === undefined) return collected;
    const target = pending.target ?? 'value';
    // Without line directives only an annotation can suppress, whatever the line: the range waits.
    let line = 0;
    if (linesMatter) {
      const [start, end] = pending.doc.locate(pending.path, target);
      collected.location = toSourceRange(parsed.text, parsed.lineCounter, start, end);
      line = collected.location.line;
    } else collected.deferred = { document: pending.doc.index, path: ownData(pending.path), target };
    const finding: PendingFinding = { ruleId: pending.ruleId, message: '', doc: pending.doc, path: pending.path };
    const suppression = suppressionOf(finding, line, scan, index, collected);
    if (suppression) collected.suppression = suppression;
    return collected;
  });
  return { facts, suppressions: [] };
}

/**
 * The range of a deferred fact (CollectedFact.deferred) in its file parsed again with
 * parseForLint: for the few facts that a run-level finding lands on or points to.
 */
export function locateDeferred(parsed: ParsedFile, deferred: NonNullable<CollectedFact['deferred']>): SourceRange | undefined {
  const doc = parsed.documents[deferred.document];
  if (!doc) return undefined;
  const [start, end] = doc.locate(deferred.path, deferred.target);
  return toSourceRange(parsed.text, parsed.lineCounter, start, end);
}

/**
 * The order of a file's messages: by position, then rule id, compared by code unit (the
 * first localeCompare loads ICU's collator: 10 ms of a 120 ms cold start).
 */
export function byPosition(a: LintMessage, b: LintMessage): number {
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  const x = a.ruleId ?? '';
  const y = b.ruleId ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The file held more than MAX_DOCUMENTS documents: the rest was not linted, and that is an error. */
function skippedDocumentsMessage(parsed: ParsedFile): LintMessage {
  const at = parsed.skippedFrom!;
  const { line } = parsed.lineCounter.linePos(Math.min(at, parsed.text.length));
  return {
    ruleId: 'yaml-syntax',
    severity: 2,
    fatal: true,
    messageId: 'tooManyDocuments',
    message:
      `this file holds more than ${MAX_DOCUMENTS} YAML documents, so kubelint stopped here and did not lint the rest. ` +
      'Split the file into smaller ones.',
    line,
    column: 1,
    endLine: line,
    endColumn: 1 + Math.min(3, Math.max(0, parsed.text.length - at)),
  };
}

/** One finding in place of those past MAX_FINDINGS, at the first of them, as severe as the worst. */
function notShownMessage(hidden: readonly LintMessage[]): LintMessage {
  const errors = hidden.filter((message) => message.severity === 2).length;
  const warnings = hidden.length - errors;
  const counts = [errors ? `${errors} ${errors === 1 ? 'error' : 'errors'}` : '', warnings ? `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}` : '']
    .filter(Boolean)
    .join(', ');
  const first = hidden[0]!;
  return {
    ruleId: null,
    severity: errors ? 2 : 1,
    messageId: 'tooManyProblems',
    message:
      `${hidden.length} more ${hidden.length === 1 ? 'problem' : 'problems'} in this file were not shown (${counts}): ` +
      `kubelint shows at most ${MAX_FINDINGS} per file. Fix the ones shown and run again.`,
    line: first.line,
    column: first.column,
    endLine: first.line,
    endColumn: first.column,
  };
}

function isFatal(finding: PendingFinding): boolean {
  return finding.ruleId === 'yaml-syntax' && finding.messageId === 'syntax';
}

function resolveFinding(finding: PendingFinding, severity: Severity, parsed: ParsedFile): LintMessage {
  const [start, end] = finding.offsets ?? finding.doc!.locate(finding.path ?? [], finding.target ?? 'value');
  const range = toSourceRange(parsed.text, parsed.lineCounter, start, end);
  const message: LintMessage = { ruleId: finding.ruleId, severity, message: finding.message, ...range };
  if (isFatal(finding)) message.fatal = true;
  if (finding.messageId) message.messageId = finding.messageId;
  if (finding.fix) message.fix = finding.fix;
  if (finding.suggestions) message.suggestions = finding.suggestions;
  if (finding.related?.length && finding.doc) {
    message.relatedLocations = finding.related.map((related) => {
      const [from, to] = finding.doc!.locate(related.path, related.target ?? 'value');
      return { message: related.message, ...toSourceRange(parsed.text, parsed.lineCounter, from, to) };
    });
  }
  return message;
}

/** Directives ready to look up: next-line ones by the line they cover, the others with the last line of their document. */
interface DirectiveIndex {
  nextLine: Map<number, Directive[]>;
  restOfDocument: Array<{ directive: Directive; end: number }>;
}

/** The suppression that hides a finding, if any; marks it used. */
function suppressionOf(
  finding: PendingFinding,
  line: number,
  scan: FileScan,
  index: DirectiveIndex,
  /** A fact, not a finding: the suppression becomes pending for it instead of used. */
  fact?: CollectedFact,
): NonNullable<CollectedFact['suppression']> | undefined {
  if (finding.ruleId === 'unused-suppression') return undefined;
  const annotation = scan.annotations.find(
    (candidate) =>
      candidate.ruleId === finding.ruleId &&
      candidate.documentIndex === finding.doc?.index &&
      finding.path !== undefined &&
      startsWith(finding.path, candidate.scope),
  );
  if (annotation) {
    if (!fact) annotation.used = true;
    else (annotation.pendingFacts ??= []).push(fact);
    return { kind: 'annotation', justification: annotation.reason };
  }
  // The first directive in the file that covers this line and rule.
  const covers = (directive: Directive) => !directive.rules || directive.rules.includes(finding.ruleId);
  let chosen = index.nextLine.get(line - 1)?.find(covers);
  for (const { directive, end } of index.restOfDocument) {
    if (chosen && directive.start > chosen.start) break;
    if (line > directive.line && line <= end && covers(directive)) {
      chosen = directive;
      break;
    }
  }
  if (!chosen) return undefined;
  if (!fact) chosen.used.add(finding.ruleId);
  else (chosen.pendingFacts ??= []).push(fact);
  return { kind: 'directive', justification: chosen.reason };
}

/**
 * Indexes the directives in one pass over the text: a rest-of-document directive reaches
 * the last line before the next `---` line after it (or the file's last line).
 */
function indexDirectives(text: string, directives: readonly Directive[]): DirectiveIndex {
  const index: DirectiveIndex = { nextLine: new Map(), restOfDocument: [] };
  if (directives.length === 0) return index;
  for (const directive of directives) {
    if (directive.kind !== 'next-line') continue;
    const list = index.nextLine.get(directive.line);
    if (list) list.push(directive);
    else index.nextLine.set(directive.line, [directive]);
  }
  const rest = directives.filter((directive) => directive.kind === 'rest-of-document');
  if (rest.length === 0) return index;
  // Directives come in text order, so their lines only grow: walk the lines once.
  let lineNumber = 1;
  let lineStart = 0;
  let next = 0;
  const open: Directive[] = [];
  for (;;) {
    while (next < rest.length && rest[next]!.line === lineNumber) open.push(rest[next++]!);
    const lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) break;
    lineStart = lineEnd + 1;
    lineNumber++;
    if (open.length && isDocumentMarker(text.slice(lineStart, lineStart + 4))) {
      // The `---` on this line ends the document of every open directive.
      for (const directive of open) index.restOfDocument.push({ directive, end: lineNumber - 1 });
      open.length = 0;
    }
  }
  for (const directive of open) index.restOfDocument.push({ directive, end: lineNumber });
  for (; next < rest.length; next++) index.restOfDocument.push({ directive: rest[next]!, end: lineNumber });
  index.restOfDocument.sort((a, b) => a.directive.start - b.directive.start);
  return index;
}

/**
 * Suppressions that suppress nothing. One that covers a fact of a run-level rule and is not
 * otherwise fully used goes to `pending` instead: the run reports it if nothing lands there.
 */
function unusedSuppressions(scan: FileScan, directives: Directive[], pending: PendingSuppression[] = []): PendingFinding[] {
  const rangeOf = (start: number, end: number) => toSourceRange(scan.parsed.text, scan.parsed.lineCounter, start, end);
  const defer = (suppression: PendingSuppression, facts: readonly CollectedFact[]) => {
    for (const fact of facts) fact.suppression!.pending = pending.length;
    pending.push(suppression);
  };
  const messages = scan.options.registry.byId.get('unused-suppression')!.meta.messages;
  const unused: PendingFinding[] = [];
  for (const directive of directives) {
    const name = scan.parsed.text.slice(directive.start, directive.end).replace(/\s+--\s.*$/, '').replace(/^#\s*/, '').trim();
    const unknown = (directive.rules ?? []).filter((rule) => !scan.options.registry.byId.has(rule));
    for (const rule of unknown) {
      unused.push({ ruleId: 'unused-suppression', messageId: 'unknownRule', message: formatMessage(messages.unknownRule!, { directive: name, rule: JSON.stringify(rule) }), offsets: [directive.start, directive.end] });
    }
    const stale = directive.rules ? directive.rules.filter((rule) => scan.options.registry.byId.has(rule) && !directive.used.has(rule)) : directive.used.size ? [] : ['(any rule)'];
    if (stale.length && directive.pendingFacts) {
      defer({ location: rangeOf(directive.start, directive.end), directive: { name, ...(directive.rules ? { rules: directive.rules } : {}), used: [...directive.used] } }, directive.pendingFacts);
    } else if (stale.length) {
      unused.push({
        ruleId: 'unused-suppression',
        messageId: 'unusedDirective',
        message: formatMessage(messages.unusedDirective!, { directive: name, rules: directive.rules ? `${stale.join(', ')} ` : '' }),
        offsets: [directive.start, directive.end],
      });
    }
  }
  for (const annotation of scan.annotations) {
    if (annotation.used) continue;
    const doc = scan.parsed.documents[annotation.documentIndex]!;
    const known = scan.options.registry.byId.has(annotation.ruleId);
    if (known && annotation.pendingFacts) {
      const [start, end] = doc.locate(annotation.keyPath, 'key');
      defer({ location: rangeOf(start, end), annotation: { key: ANNOTATION_PREFIX + annotation.ruleId, ruleId: annotation.ruleId } }, annotation.pendingFacts);
      continue;
    }
    unused.push({
      ruleId: 'unused-suppression',
      messageId: known ? 'unusedAnnotation' : 'unknownRule',
      message: known
        ? formatMessage(messages.unusedAnnotation!, { key: ANNOTATION_PREFIX + annotation.ruleId, rule: annotation.ruleId })
        : formatMessage(messages.unknownRule!, { directive: `annotation ${ANNOTATION_PREFIX}${annotation.ruleId}`, rule: JSON.stringify(annotation.ruleId) }),
      doc,
      path: annotation.keyPath,
      target: 'key',
    });
  }
  return unused;
}

/** Fills in ESLint's counters from the messages. */
export function summarize(result: Pick<LintResult, 'filePath' | 'messages' | 'suppressedMessages' | 'source'>): LintResult {
  const errors = result.messages.filter((message) => message.severity === 2);
  return {
    filePath: result.filePath,
    messages: result.messages,
    suppressedMessages: result.suppressedMessages,
    errorCount: errors.length,
    fatalErrorCount: errors.filter((message) => message.fatal).length,
    warningCount: result.messages.length - errors.length,
    fixableErrorCount: errors.filter((message) => message.fix).length,
    fixableWarningCount: result.messages.filter((message) => message.severity !== 2 && message.fix).length,
    ...(result.source !== undefined ? { source: result.source } : {}),
  };
}
