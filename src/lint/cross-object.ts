/**
 * Run-level rules: a rule that is about several objects (a DaemonSet and the ServiceAccount
 * it names) records facts per object with `collect` while each file is linted (on any
 * thread); once every file of the run is linted, this module hands each rule all of its
 * facts (`checkRun`) and adds what it reports to the results of the files it points at.
 *
 * Everything a finding needs was settled in the file's pass: the facts' ranges (or, in a file
 * without line directives, their paths: such a file is read and parsed again only if a
 * finding lands there), and which suppression would hide a finding at each. A suppression that covers
 * facts and nothing else is pending there; it is reported unused here unless a finding
 * lands on one of its facts.
 */
import { formatMessage, messageTemplate, type RunFact, type RunReport } from '../engine/rule.js';
import type { CollectedFact, LintMessage, LintResult, RelatedLocation, SourceRange } from '../types.js';
import { byPosition, locateDeferred, parseForLint, ruleOptionsFor, severityOf, summarize, type EngineOptions } from './engine.js';
import type { ParsedFile } from '../parse/parse.js';

interface Origin {
  result: number;
  fact: CollectedFact;
}

/**
 * Adds the findings of run-level rules to `results` (in the same order) and drops the facts,
 * which are never shown. Results without facts are returned as they are.
 */
export function resolveRunFacts(
  results: readonly LintResult[],
  engine: EngineOptions,
  readSource: (filePath: string, length: number) => string | undefined = () => undefined,
): LintResult[] {
  if (!results.some((result) => result.runFacts)) return [...results];
  const added = results.map(() => ({ messages: [] as LintMessage[], suppressed: [] as LintMessage[] }));
  /** Pending suppressions (by result and index) a finding landed under. */
  const usedPending = new Map<number, Map<number, Set<string>>>();
  /** The texts of files a finding needs (for the formatters, or to place a deferred fact), each read once. */
  const texts = new Map<number, string | undefined>();
  const textOf = (resultIndex: number): string | undefined => {
    if (!texts.has(resultIndex)) {
      const result = results[resultIndex]!;
      texts.set(resultIndex, result.source ?? (result.sourceOnDisk !== undefined ? readSource(result.filePath, result.sourceOnDisk) : undefined));
    }
    return texts.get(resultIndex);
  };
  /** Those files parsed again, each once, to place their deferred facts. */
  const parsedFiles = new Map<number, ParsedFile | undefined>();
  const parsedOf = (resultIndex: number): ParsedFile | undefined => {
    if (!parsedFiles.has(resultIndex)) {
      const text = textOf(resultIndex);
      parsedFiles.set(resultIndex, text === undefined ? undefined : parseForLint(text, engine));
    }
    return parsedFiles.get(resultIndex);
  };
  /** Where a fact is: its range from the file's pass, or placed now if that pass deferred it. */
  const locationOf = ({ fact, result }: Origin): SourceRange | undefined => {
    if (fact.location || !fact.deferred) return fact.location;
    const parsed = parsedOf(result);
    // A file gone since its pass still gets its finding, at its start.
    return (parsed && locateDeferred(parsed, fact.deferred)) ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
  };

  for (const rule of engine.registry.rules) {
    if (!rule.checkRun) continue;
    const ruleId = rule.meta.id;
    const severity = severityOf(ruleId, engine);
    if (severity === 0) continue;
    const origins = new Map<RunFact, Origin>();
    const facts: RunFact[] = [];
    results.forEach((result, resultIndex) => {
      for (const fact of result.runFacts?.facts ?? []) {
        if (fact.ruleId !== ruleId) continue;
        const runFact: RunFact = { fact: fact.fact, filePath: result.filePath, ...(fact.location ? { location: fact.location } : {}) };
        origins.set(runFact, { result: resultIndex, fact });
        facts.push(runFact);
      }
    });
    if (facts.length === 0) continue;
    const report = (finding: RunReport) => {
      const origin = origins.get(finding.at);
      const location = origin && locationOf(origin);
      if (!origin || !location) throw new Error('checkRun reported at a fact it was not given, or one recorded without a place');
      const filePath = results[origin.result]!.filePath;
      const message: LintMessage = {
        ruleId,
        severity,
        message: formatMessage(messageTemplate(rule.meta, finding.messageId), finding.data),
        messageId: finding.messageId,
        ...location,
      };
      const related = (finding.related ?? []).flatMap(({ at, message: text }): RelatedLocation[] => {
        const relatedOrigin = origins.get(at);
        const place = relatedOrigin ? locationOf(relatedOrigin) : at.location;
        if (!place) return [];
        return [{ message: text, ...place, ...(at.filePath !== filePath ? { filePath: at.filePath } : {}) }];
      });
      if (related.length) message.relatedLocations = related;
      const suppression = origin.fact.suppression;
      if (!suppression) {
        added[origin.result]!.messages.push(message);
        return;
      }
      added[origin.result]!.suppressed.push({ ...message, suppressions: [{ kind: suppression.kind, justification: suppression.justification }] });
      if (suppression.pending !== undefined) {
        const byIndex = usedPending.get(origin.result) ?? new Map<number, Set<string>>();
        usedPending.set(origin.result, byIndex);
        (byIndex.get(suppression.pending) ?? byIndex.set(suppression.pending, new Set()).get(suppression.pending)!).add(ruleId);
      }
    };
    try {
      rule.checkRun({ facts, options: ruleOptionsFor(rule, engine), kubeVersion: engine.kubeVersion, report });
    } catch (error) {
      // A bug in one rule must not lose the run: one finding, in the first file it had facts in.
      const first = origins.get(facts[0]!)!;
      added[first.result]!.messages.push({
        ruleId,
        severity: 2,
        message: `internal error in rule ${ruleId}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}. Please report this bug.`,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
      });
    }
  }

  const unusedSeverity = severityOf('unused-suppression', engine);
  return results.map((result, index) => {
    const { runFacts, ...rest } = result;
    if (!runFacts) return result;
    const messages = [...rest.messages, ...added[index]!.messages];
    if (unusedSeverity !== 0) messages.push(...unusedPending(runFacts.suppressions, usedPending.get(index), unusedSeverity, engine));
    const suppressedMessages = [...rest.suppressedMessages, ...added[index]!.suppressed];
    // Sorted again only when something was added (the file's own order stays as it was).
    if (messages.length > rest.messages.length) messages.sort(byPosition);
    if (suppressedMessages.length > rest.suppressedMessages.length) suppressedMessages.sort(byPosition);
    const keepSource = messages.length > 0 || suppressedMessages.length > 0;
    const { source: keptSource, sourceOnDisk, ...kept } = rest;
    const summary = summarize({ filePath: result.filePath, messages, suppressedMessages });
    if (!keepSource) return { ...kept, ...summary };
    // The CLI reads the text again as it prints the file; elsewhere a result with findings holds it.
    if (sourceOnDisk !== undefined && engine.sourcesOnDisk) return { ...kept, ...summary, sourceOnDisk };
    const source = keptSource ?? textOf(index);
    return { ...kept, ...summary, ...(source !== undefined ? { source } : {}) };
  });
}

/** The unused-suppression findings of pending suppressions, now that the run has decided. */
function unusedPending(
  pending: NonNullable<LintResult['runFacts']>['suppressions'],
  used: ReadonlyMap<number, ReadonlySet<string>> | undefined,
  severity: 1 | 2,
  engine: EngineOptions,
): LintMessage[] {
  const messages = engine.registry.byId.get('unused-suppression')!.meta.messages;
  return pending.flatMap((suppression, index): LintMessage[] => {
    const landed = used?.get(index) ?? new Set<string>();
    const base = { ruleId: 'unused-suppression', severity, ...suppression.location };
    if (suppression.annotation) {
      if (landed.size > 0) return [];
      const { key, ruleId } = suppression.annotation;
      return [{ ...base, messageId: 'unusedAnnotation', message: formatMessage(messages.unusedAnnotation!, { key, rule: ruleId }) }];
    }
    const directive = suppression.directive!;
    const usedRules = new Set([...directive.used, ...landed]);
    // The same reckoning as the file's pass (engine.ts unusedSuppressions).
    const stale = directive.rules
      ? directive.rules.filter((rule) => engine.registry.byId.has(rule) && !usedRules.has(rule))
      : usedRules.size
        ? []
        : ['(any rule)'];
    if (stale.length === 0) return [];
    return [
      {
        ...base,
        messageId: 'unusedDirective',
        message: formatMessage(messages.unusedDirective!, { directive: directive.name, rules: directive.rules ? `${stale.join(', ')} ` : '' }),
      },
    ];
  });
}
