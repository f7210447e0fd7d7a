/**
 * kubelint/rule-tester checks the table as well as the rule: an unknown expected messageId,
 * a `{{placeholder}}` left in a message and a duplicate case each fail their test. The rule
 * here is a plugin's (not built in): the tester builds its registry from the rule alone.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RuleTester, daemonSet, readMarkers, run, type RuleTests } from '../src/rule-tester/index.js';
import type { Rule } from '../src/engine/rule.js';

/** A platform team's policy: DaemonSets in kube-system set a priority class. */
const priorityClass: Rule = {
  meta: {
    id: 'require-priority-class',
    severity: 'warn',
    description: 'DaemonSets in kube-system set a priority class.',
    rationale: 'Node agents must not be evicted before the workloads they serve.',
    kinds: ['DaemonSet'],
    messages: {
      missing: 'DaemonSet {{name}} sets no priorityClassName: set one so the agent is not evicted first.',
      broken: 'DaemonSet {{name}} sets {{missingKey}}.',
    },
  },
  check(context) {
    const metadata = context.object.metadata as { name?: string; namespace?: string } | undefined;
    if (metadata?.namespace !== 'kube-system') return;
    const spec = (context.object.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec;
    if (spec && spec.priorityClassName === undefined) {
      const broken = context.options.broken === true;
      context.report({
        messageId: broken ? 'broken' : 'missing',
        data: { name: metadata.name ?? '' },
        path: ['spec', 'template', 'spec'],
        target: 'key',
      });
    }
  },
};

/** Runs a table with describe/it that record each case's test, so a failing one can be asserted. */
function collect(rule: Rule, tests: RuleTests): Map<string, () => void> {
  const cases = new Map<string, () => void>();
  const prefix: string[] = [];
  new RuleTester({
    describe: (name, body) => {
      prefix.push(name);
      body();
      prefix.pop();
    },
    it: (name, body) => {
      cases.set([...prefix, name].join(' > '), body as () => void);
    },
  }).run(rule, tests);
  return cases;
}

const inKubeSystem = daemonSet({ namespace: 'kube-system' });

describe('RuleTester with a plugin rule (run, node:test)', () => {
  run(priorityClass, {
    valid: [
      { name: 'outside kube-system', code: daemonSet() },
      { name: 'with a priority class', code: daemonSet({ namespace: 'kube-system', podSpec: ['priorityClassName: system-node-critical'] }) },
    ],
    invalid: [
      {
        name: 'line and column counted by hand, severity the rule default',
        code: inKubeSystem,
        errors: [{ messageId: 'missing', severity: 1, line: 10, column: 5, message: 'DaemonSet agent sets no priorityClassName' }],
      },
      {
        name: 'the line marked with # <- and no severity given',
        code: inKubeSystem.replace('    spec:\n', '    spec: # <- the pod spec\n'),
        errors: [{ messageId: 'missing', column: 5 }],
      },
      {
        name: 'line and column marked with a ^ line',
        code: inKubeSystem.replace('    spec:\n', '    spec:\n    ^\n'),
        errors: [{ messageId: 'missing' }],
      },
    ],
  });
});

describe('RuleTester markers', () => {
  it('removes markers before linting and numbers lines without them', () => {
    const { code, markers } = readMarkers('a: 1\nb: 2 # <- here\nc: 3\n ^\nd: 4');
    assert.equal(code, 'a: 1\nb: 2\nc: 3\nd: 4');
    assert.deepEqual(markers, [{ line: 2 }, { line: 3, column: 2 }]);
  });
});

describe('RuleTester checks the table', () => {
  it('passes a correct table (the collecting harness runs cases for real)', () => {
    const cases = collect(priorityClass, {
      valid: [{ name: 'clean', code: daemonSet() }],
      invalid: [{ name: 'missing', code: inKubeSystem, errors: [{ messageId: 'missing', line: 10, column: 5 }] }],
    });
    assert.deepEqual([...cases.keys()], ['require-priority-class > valid > clean', 'require-priority-class > invalid > missing']);
    for (const body of cases.values()) body();
  });

  it('fails a wrong line', () => {
    const cases = collect(priorityClass, {
      valid: [],
      invalid: [{ name: 'wrong line', code: inKubeSystem, errors: [{ messageId: 'missing', line: 9, column: 5 }] }],
    });
    assert.throws(() => cases.get('require-priority-class > invalid > wrong line')!(), /finding 1/);
  });

  it('fails an expected messageId the rule does not declare', () => {
    const cases = collect(priorityClass, {
      valid: [],
      invalid: [{ name: 'typo', code: inKubeSystem, errors: [{ messageId: 'mising', line: 10, column: 5 }] }],
    });
    assert.throws(() => cases.get('require-priority-class > invalid > typo')!(), /unknown messageId "mising": meta.messages has missing, broken/);
  });

  it('fails a message that keeps a {{placeholder}}', () => {
    const cases = collect(priorityClass, {
      valid: [],
      invalid: [{ name: 'leftover', code: inKubeSystem, options: { broken: true }, errors: [{ messageId: 'broken', line: 10, column: 5 }] }],
    });
    assert.throws(() => cases.get('require-priority-class > invalid > leftover')!(), /keeps a placeholder.*\{\{missingKey\}\}/);
  });

  it('fails a duplicate case (same code, options and filename), and only the second one', () => {
    const cases = collect(priorityClass, {
      valid: [
        { name: 'first', code: daemonSet() },
        { name: 'other options', code: daemonSet(), options: { broken: true } },
        { name: 'other filename', code: daemonSet(), filename: 'other.yaml' },
        { name: 'again', code: daemonSet() },
      ],
      invalid: [],
    });
    cases.get('require-priority-class > valid > first')!();
    cases.get('require-priority-class > valid > other options')!();
    cases.get('require-priority-class > valid > other filename')!();
    assert.throws(() => cases.get('require-priority-class > valid > again')!(), /duplicate case: the same code, options and filename as "first"/);
  });

  it('fails a valid case that has a finding, and an invalid case with the wrong count', () => {
    const cases = collect(priorityClass, {
      valid: [{ name: 'not valid', code: inKubeSystem }],
      invalid: [{ name: 'two expected', code: inKubeSystem, filename: 'b.yaml', errors: [{ line: 10, column: 5 }, { line: 10, column: 5 }] }],
    });
    assert.throws(() => cases.get('require-priority-class > valid > not valid')!(), /expected no finding of require-priority-class/);
    assert.throws(() => cases.get('require-priority-class > invalid > two expected')!(), /expected 2 finding\(s\)/);
  });

  it('fails when markers and findings without a line do not pair up', () => {
    const cases = collect(priorityClass, {
      valid: [],
      invalid: [{ name: 'no marker', code: inKubeSystem, errors: [{ messageId: 'missing', column: 5 }] }],
    });
    assert.throws(() => cases.get('require-priority-class > invalid > no marker')!(), /give no line, but the code has 0 marker/);
  });
});

describe('kubelint/rule-tester', () => {
  it('is exported as a package subpath for plugin authors', async () => {
    const specifier = 'kubelint/rule-tester';
    const exported = (await import(specifier)) as Record<string, unknown>;
    assert.equal(typeof exported.RuleTester, 'function');
    assert.equal(typeof exported.run, 'function');
    assert.equal(typeof exported.daemonSet, 'function');
  });
});
