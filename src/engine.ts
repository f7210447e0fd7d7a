/**
 * The engine: parse with positions -> validate -> run rules -> resolve positions.
 * It works on text, so the CLI, the library API and the tests share one path.
 */
import { isScalar, type Document } from 'yaml';
import { hasSequenceRoot, parseManifests, type ParsedDocument, type ParsedFile } from './parse.js';
import { locateNode, locateOffsets, toSourceRange } from './positions.js';
import { formatMessage, type Report, type Rule, type RuleContext } from './rule.js';
import { RULES, RULES_BY_ID } from '../rules/index.js';
import type { KubeVersion, LintMessage, LintResult, ObjectPath, Severity, SeverityName, Target } from './types.js';
import { StaticPodMatcher } from './static-pods.js';
import { NEWEST_BUNDLED } from './kube-version.js';

export interface EngineOptions {
  kubeVersion: KubeVersion;
  staticPods: StaticPodMatcher;
  /** Severity overrides by rule id (configuration and --rule). */
  rules: Readonly<Record<string, SeverityName>>;
  ruleOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export function defaultEngineOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
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
  document?: Document;
  path?: ObjectPath;
  target?: Target;
  offsets?: [number, number];
  related?: Array<{ path: ObjectPath; target?: Target; message: string }>;
}

export function severityOf(ruleId: string, options: EngineOptions): Severity | 0 {
  const configured = options.rules[ruleId];
  const name = configured ?? RULES_BY_ID.get(ruleId)?.meta.severity ?? 'error';
  return name === 'off' ? 0 : name === 'warn' ? 1 : 2;
}

function appliesTo(rule: Rule, kind: unknown): boolean {
  return rule.meta.kinds === '*' || (typeof kind === 'string' && rule.meta.kinds.includes(kind));
}

/** Lints one file's text. Never throws for any input. */
export function lintText(rawText: string, filePath: string, options: EngineOptions): LintResult {
  // ESLint reports positions without the byte order mark; so do we.
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const parsed = parseManifests(text);
  const findings: PendingFinding[] = [];
  collectSyntaxFindings(parsed, findings);

  const isStaticPodFile = options.staticPods.matches(filePath);
  const firstNonEmpty = parsed.documents.findIndex((doc) => !doc.empty);
  for (const doc of parsed.documents) {
    if (doc.empty || doc.fatal.length > 0) continue;
    if (doc.objects.length === 0) {
      reportNotAnObject(doc, findings);
      continue;
    }
    for (const object of doc.objects) {
      runRules(parsed.text, doc, object.value, object.path, filePath, isStaticPodFile, firstNonEmpty, options, findings);
    }
  }
  return toResult(filePath, text, parsed, findings, options);
}

/** A mapping key as written: quoted, or plain up to the `: ` that ends it. */
const KEY_TOKEN = /^(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|(?:[^\s:,[\]{}#]|:(?=[^\s,[\]{}]))+)/;

function collectSyntaxFindings(parsed: ParsedFile, findings: PendingFinding[]): void {
  const syntax = RULES_BY_ID.get('yaml-syntax')!.meta.messages;
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
  const what = hasSequenceRoot(doc)
    ? 'a list'
    : value === null
      ? 'null'
      : `a plain ${typeof value === 'string' ? 'string' : typeof value} value`;
  findings.push({
    ruleId: 'invalid-manifest',
    messageId: 'notAnObject',
    message: formatMessage(RULES_BY_ID.get('invalid-manifest')!.meta.messages.notAnObject!, { what }),
    document: doc.document,
    path: [],
    target: 'value',
  });
}

function runRules(
  text: string,
  doc: ParsedDocument,
  object: Record<string, unknown>,
  objectPath: ObjectPath,
  filePath: string,
  isStaticPodFile: boolean,
  firstNonEmpty: number,
  options: EngineOptions,
  findings: PendingFinding[],
): void {
  const inList = objectPath.length > 0;
  const base = {
    object,
    filePath,
    kubeVersion: options.kubeVersion,
    isStaticPodFile,
    documentIndex: doc.index,
    inList,
    listIndex: inList ? Number(objectPath[objectPath.length - 1]) : 0,
    firstNonEmptyDocumentIndex: firstNonEmpty,
    sourceText(path: ObjectPath): string | undefined {
      const { node, exact } = locateNode(doc.document, [...objectPath, ...path]);
      return exact && isScalar(node) && node.range ? text.slice(node.range[0], node.range[1]) : undefined;
    },
  };
  const push = (ruleId: string, report: Report, message: string) =>
    findings.push({
      ruleId,
      messageId: report.messageId,
      message,
      document: doc.document,
      path: report.fromDocumentRoot ? report.path : [...objectPath, ...report.path],
      target: report.target,
      related: report.related?.map((related) => ({ ...related, path: [...objectPath, ...related.path] })),
    });

  for (const rule of RULES) {
    if (!appliesTo(rule, object.kind) || severityOf(rule.meta.id, options) === 0) continue;
    const context: RuleContext = {
      ...base,
      options: options.ruleOptions[rule.meta.id] ?? {},
      report(report) {
        push(rule.meta.id, report, formatMessage(rule.meta.messages[report.messageId] ?? report.messageId, report.data));
      },
    };
    guarded(rule.meta.id, findings, () => rule.check(context));
  }
}

/** A bug in one rule must not stop the others, nor lose the file's other findings. */
function guarded(ruleId: string, findings: PendingFinding[], run: () => void): void {
  try {
    run();
  } catch (error) {
    findings.push({
      ruleId,
      message: `internal error in rule ${ruleId}: ${error instanceof Error ? error.message : String(error)}. Please report this bug.`,
      offsets: [0, 0],
    });
  }
}

function toResult(
  filePath: string,
  source: string,
  parsed: ParsedFile,
  findings: PendingFinding[],
  options: EngineOptions,
): LintResult {
  const messages: LintMessage[] = [];
  for (const finding of findings) {
    const severity = severityOf(finding.ruleId, options);
    if (severity === 0) continue;
    const [start, end] =
      finding.offsets ?? locateOffsets(finding.document!, finding.path ?? [], finding.target ?? 'value');
    const range = toSourceRange(parsed.text, parsed.lineCounter, start, end);
    const message: LintMessage = { ruleId: finding.ruleId, severity, message: finding.message, ...range };
    if (finding.ruleId === 'yaml-syntax' && finding.messageId === 'syntax') message.fatal = true;
    if (finding.messageId) message.messageId = finding.messageId;
    if (finding.related?.length && finding.document) {
      message.relatedLocations = finding.related.map((related) => {
        const [from, to] = locateOffsets(finding.document!, related.path, related.target ?? 'value');
        return { message: related.message, ...toSourceRange(parsed.text, parsed.lineCounter, from, to) };
      });
    }
    messages.push(message);
  }
  messages.sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId ?? '').localeCompare(b.ruleId ?? ''));
  return summarize({ filePath, messages, suppressedMessages: [], source });
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
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    ...(result.source !== undefined ? { source: result.source } : {}),
  };
}
