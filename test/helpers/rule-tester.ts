/**
 * The rule tables' helpers: kubelint/rule-tester (src/rule-tester) run with the built-in
 * registry, so a built-in rule's cases run among the other built-in rules as a real run does.
 */
import { RuleTester, type InvalidCase, type RuleTests, type ValidCase } from '../../src/rule-tester/index.js';
import type { Rule } from '../../src/engine/rule.js';
import type { LintMessage } from '../../src/types.js';
import { BUILT_IN } from '../../rules/index.js';

export { yaml, daemonSet, staticPod, type ExpectedFinding } from '../../src/rule-tester/index.js';
export type CaseOptions = ValidCase;
export type { InvalidCase };

const tester = new RuleTester({ registry: BUILT_IN });

function builtIn(ruleId: string): Rule {
  const rule = BUILT_IN.byId.get(ruleId);
  if (!rule) throw new Error(`no built-in rule ${ruleId}`);
  return rule;
}

/** Every finding (of any rule) for one case, as the built-in rules give them. */
export function lintCase(testCase: ValidCase): LintMessage[] {
  return tester.lint(builtIn('yaml-syntax'), testCase);
}

/** Runs a table for a built-in rule, by id or module. */
export function ruleTester(rule: string | Rule, cases: RuleTests): void {
  tester.run(typeof rule === 'string' ? builtIn(rule) : rule, cases);
}
