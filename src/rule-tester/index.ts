/**
 * kubelint/rule-tester: ESLint's RuleTester for kubelint rules, built-in or a plugin's.
 * A table of valid cases (no finding of the rule) and invalid cases (exactly the findings
 * listed, at their line and column) runs through the real engine, so positions are tested
 * end to end. The tester also checks the table itself: every expected messageId exists in
 * `meta.messages`, no produced message keeps a `{{placeholder}}`, no case is given twice.
 *
 *   import { RuleTester, yaml } from 'kubelint/rule-tester';
 *   new RuleTester().run(rule, { valid: [...], invalid: [...] });
 *
 * Fixes as ESLint's tester checks them: an invalid case's `output` is the code after one
 * pass of the rule's fixes (`null`: the rule offers no fix), and a finding's `suggestions`
 * lists each suggestion's `desc` and the code with it applied. kubelint adds idempotence:
 * fixing the output again changes nothing.
 *
 * An invalid case may mark the line it expects in the code instead of counting lines:
 * a comment `# <-` at the end of a line marks that line; a line holding only `^` marks
 * the line above it and the column of the caret. Markers are removed before linting.
 */
import { describe as nodeDescribe, it as nodeIt } from 'node:test';
import assert from 'node:assert/strict';
import { defaultEngineOptions, lintText, type EngineOptions } from '../lint/engine.js';
import { createRegistry, type RuleRegistry } from '../engine/registry.js';
import type { Rule } from '../engine/rule.js';
import { parseKubeVersion } from '../kube-version.js';
import { DEFAULT_STATIC_POD_GLOBS, StaticPodMatcher } from '../discover/static-pods.js';
import type { EditInfo, LintMessage } from '../types.js';
import { applyFixes } from '../lint/apply-fixes.js';

export { yaml, daemonSet, staticPod, type DaemonSetParts, type StaticPodParts } from './builders.js';

export interface ValidCase {
  /** The test's name (default: the code's first lines). */
  name?: string;
  code: string;
  /** Defaults to manifest.yaml; use etc/kubernetes/manifests/x.yaml for a static pod. */
  filename?: string;
  /** The Kubernetes version to check against, "1.30" (default: the newest bundled). */
  kubeVersion?: string;
  /** The rule's options, as `rules: { ID: [severity, options] }` would give them. */
  options?: Readonly<Record<string, unknown>>;
  /** Anything else the engine takes (other rules' severities and options, static pod globs). */
  engine?: Partial<EngineOptions>;
}

export interface ExpectedFinding {
  messageId?: string;
  /** 1 (warn) or 2 (error); not compared when left out. */
  severity?: 1 | 2;
  /** Left out: taken from the case's markers (`# <-` or a `^` line), in order. */
  line?: number;
  /** Left out only when a `^` marker gives it. */
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** A substring or pattern the message must contain. */
  message?: string | RegExp;
  /**
   * The finding's suggestions, in order: each one's `desc` (exactly, or a pattern) and the
   * code with it alone applied. `[]`: the finding offers none. Not compared when left out.
   */
  suggestions?: ReadonlyArray<{ desc?: string | RegExp; output: string }>;
}

export interface InvalidCase extends ValidCase {
  errors: readonly ExpectedFinding[];
  /**
   * The code after one pass of the rule's fixes (ESLint's `output`), markers removed;
   * `null` when the rule must offer no fix. Not compared when left out.
   */
  output?: string | null;
}

export interface RuleTests {
  valid: readonly ValidCase[];
  invalid: readonly InvalidCase[];
}

type Suite = (name: string, body: () => void) => unknown;

export interface RuleTesterConfig {
  /**
   * The rules the case runs among (default: a registry of the tested rule alone, with the
   * engine's core rules). Give the built-in registry when a rule's findings depend on others.
   */
  registry?: RuleRegistry;
  /** The test functions (default: node:test's describe and it). */
  describe?: Suite;
  it?: Suite;
}

const PLACEHOLDER = /\{\{\s*\w+\s*\}\}/;
const LINE_MARKER = /\s*# <-.*$/;
const CARET_LINE = /^(\s*)\^\s*$/;

interface Marker {
  line: number;
  column?: number;
}

/** The code without its markers, and the markers in order. */
export function readMarkers(code: string): { code: string; markers: Marker[] } {
  const kept: string[] = [];
  const markers: Marker[] = [];
  for (const line of code.split('\n')) {
    const caret = CARET_LINE.exec(line);
    if (caret) {
      if (kept.length === 0) throw new Error('a ^ marker line must follow the line it points at');
      markers.push({ line: kept.length, column: caret[1]!.length + 1 });
      continue;
    }
    if (LINE_MARKER.test(line)) {
      kept.push(line.replace(LINE_MARKER, ''));
      markers.push({ line: kept.length });
      continue;
    }
    kept.push(line);
  }
  return { code: kept.join('\n'), markers };
}

function caseName(testCase: ValidCase): string {
  if (testCase.name) return testCase.name;
  const text = testCase.code.trim().split('\n').slice(0, 3).join(' | ');
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}

/** What makes two cases the same case: everything the engine is given. */
function caseKey(testCase: ValidCase): string {
  return JSON.stringify([testCase.code, testCase.filename ?? '', testCase.options ?? null, testCase.kubeVersion ?? '', testCase.engine ?? null]);
}

/** The expected findings with their lines (and columns) taken from the markers. */
export function expectedWithMarkers(errors: readonly ExpectedFinding[], markers: readonly Marker[]): ExpectedFinding[] {
  const unplaced = errors.filter((error) => error.line === undefined).length;
  if (unplaced === 0) return [...errors];
  if (markers.length !== unplaced && markers.length !== 1) {
    throw new Error(`${unplaced} expected finding(s) give no line, but the code has ${markers.length} marker(s) (# <- or a ^ line): give one marker per finding, or one for all`);
  }
  let next = 0;
  return errors.map((error) => {
    if (error.line !== undefined) return error;
    const marker = markers.length === 1 ? markers[0]! : markers[next++]!;
    const column = error.column ?? marker.column;
    if (column === undefined) throw new Error(`an expected finding on line ${marker.line} gives no column: add column, or mark it with a ^ line`);
    return { ...error, line: marker.line, column };
  });
}

/** The fields of `message` that `expected` names, for one exact comparison. */
function pick(message: LintMessage, expected: ExpectedFinding): Record<string, unknown> {
  const actual: Record<string, unknown> = { ruleId: message.ruleId, line: message.line, column: message.column };
  if (expected.severity !== undefined) actual.severity = message.severity;
  if (expected.messageId !== undefined) actual.messageId = message.messageId;
  if (expected.endLine !== undefined) actual.endLine = message.endLine;
  if (expected.endColumn !== undefined) actual.endColumn = message.endColumn;
  return actual;
}

/** The text with one edit applied. */
function applied(text: string, edit: EditInfo): string {
  return text.slice(0, edit.range[0]) + edit.text + text.slice(edit.range[1]);
}

const listed = (found: readonly LintMessage[]) => found.map((m) => `  ${m.line}:${m.column} ${m.messageId ?? '-'}: ${m.message}`).join('\n');

export class RuleTester {
  readonly #config: RuleTesterConfig;

  constructor(config: RuleTesterConfig = {}) {
    this.#config = config;
  }

  /** Lints one case with `rule` (or the configured registry) and returns every finding, of any rule. */
  lint(rule: Rule, testCase: ValidCase): LintMessage[] {
    const registry = this.#config.registry ?? createRegistry([rule], []);
    if (registry.byId.get(rule.meta.id) === undefined) {
      throw new Error(`the configured registry has no rule ${rule.meta.id}`);
    }
    const kubeVersion = testCase.kubeVersion ? parseKubeVersion(testCase.kubeVersion) : undefined;
    const engine = testCase.engine ?? {};
    const options: EngineOptions = defaultEngineOptions({
      registry,
      staticPods: new StaticPodMatcher(DEFAULT_STATIC_POD_GLOBS, '/project'),
      ...(kubeVersion ? { kubeVersion } : {}),
      ...engine,
      ...(testCase.options ? { ruleOptions: { ...engine.ruleOptions, [rule.meta.id]: testCase.options } } : {}),
    });
    return lintText(readMarkers(testCase.code).code, testCase.filename ?? 'manifest.yaml', options).messages;
  }

  /** Runs the table as one describe block per rule, one test per case. */
  run(rule: Rule, tests: RuleTests): void {
    const describe = this.#config.describe ?? nodeDescribe;
    const it = this.#config.it ?? nodeIt;
    const ruleId = rule.meta?.id;
    const seen = new Map<string, string>();
    // Reported in the duplicate's own test, so the table's other cases still run.
    const duplicateOf = (testCase: ValidCase): string | undefined => {
      const key = caseKey(testCase);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, caseName(testCase));
      return first;
    };
    const ownFindings = (testCase: ValidCase) => {
      const found = this.lint(rule, testCase).filter((message) => message.ruleId === ruleId);
      for (const message of found) {
        assert.ok(!PLACEHOLDER.test(message.message), `message keeps a placeholder (is data missing a key?): ${message.message}`);
        for (const related of message.relatedLocations ?? []) {
          assert.ok(!PLACEHOLDER.test(related.message), `related message keeps a placeholder: ${related.message}`);
        }
        if (message.messageId !== undefined) {
          assert.ok(Object.hasOwn(rule.meta.messages, message.messageId), `the rule reported messageId "${message.messageId}", which meta.messages lacks`);
        }
      }
      return found;
    };
    const checkDuplicate = (testCase: ValidCase, first: string | undefined) => {
      if (first !== undefined) assert.fail(`duplicate case: the same code, options and filename as "${first}"`);
    };

    const checkSuggestions = (code: string, message: LintMessage, expected: NonNullable<ExpectedFinding['suggestions']>, index: number) => {
      const offered = message.suggestions ?? [];
      assert.equal(
        offered.length,
        expected.length,
        `finding ${index + 1}: expected ${expected.length} suggestion(s), got: ${JSON.stringify(offered.map((suggestion) => suggestion.desc))}`,
      );
      offered.forEach((suggestion, i) => {
        const { desc, output } = expected[i]!;
        if (desc instanceof RegExp) assert.match(suggestion.desc, desc);
        else if (desc !== undefined) assert.equal(suggestion.desc, desc, `finding ${index + 1}, suggestion ${i + 1}: desc`);
        assert.equal(applied(code, suggestion.fix), output, `finding ${index + 1}, suggestion ${i + 1} (${suggestion.desc}): output`);
      });
    };
    const checkOutput = (testCase: InvalidCase, code: string, found: readonly LintMessage[]) => {
      const fixes = found.flatMap((message) => (message.fix ? [message.fix] : []));
      if (testCase.output === null) {
        assert.equal(fixes.length, 0, `expected no fix, but the rule fixes:\n${applyFixes(code, fixes).output}`);
        return;
      }
      assert.ok(fixes.length > 0, 'expected a fix (output), but the rule offers none');
      const output = applyFixes(code, fixes).output;
      assert.equal(output, testCase.output, 'output after one pass of fixes');
      // Fixing twice is fixing once: the fixed code leaves the rule nothing to fix.
      const again = ownFindings({ ...testCase, code: output }).flatMap((message) => (message.fix ? [message.fix] : []));
      assert.equal(applyFixes(output, again).output, output, 'a second pass of fixes changed the output (the fix is not idempotent)');
    };

    describe(ruleId, () => {
      describe('valid', () => {
        for (const testCase of tests.valid) {
          const first = duplicateOf(testCase);
          it(caseName(testCase), () => {
            checkDuplicate(testCase, first);
            const found = ownFindings(testCase);
            assert.equal(found.length, 0, `expected no finding of ${ruleId}, got:\n${listed(found)}`);
          });
        }
      });
      describe('invalid', () => {
        for (const testCase of tests.invalid) {
          const first = duplicateOf(testCase);
          it(caseName(testCase), () => {
            checkDuplicate(testCase, first);
            assert.ok(testCase.errors.length > 0, 'an invalid case must expect at least one finding');
            for (const expected of testCase.errors) {
              if (expected.messageId !== undefined && !Object.hasOwn(rule.meta.messages, expected.messageId)) {
                assert.fail(`unknown messageId "${expected.messageId}": meta.messages has ${Object.keys(rule.meta.messages).join(', ')}`);
              }
            }
            const errors = expectedWithMarkers(testCase.errors, readMarkers(testCase.code).markers);
            const found = ownFindings(testCase);
            const code = readMarkers(testCase.code).code;
            assert.equal(found.length, errors.length, `expected ${errors.length} finding(s) of ${ruleId}, got:\n${listed(found)}`);
            errors.forEach((expected, index) => {
              const message = found[index]!;
              const { message: text, suggestions: _suggestions, ...shape } = expected;
              assert.deepEqual(pick(message, expected), { ruleId, ...shape }, `finding ${index + 1}: ${message.message}`);
              if (typeof text === 'string') assert.ok(message.message.includes(text), `message "${message.message}" lacks "${text}"`);
              if (text instanceof RegExp) assert.match(message.message, text);
              if (expected.suggestions !== undefined) checkSuggestions(code, message, expected.suggestions, index);
            });
            if (testCase.output !== undefined) checkOutput(testCase, code, found);
          });
        }
      });
    });
  }
}

/** `new RuleTester().run(rule, tests)`: the rule alone, with node:test. */
export function run(rule: Rule, tests: RuleTests): void {
  new RuleTester().run(rule, tests);
}
