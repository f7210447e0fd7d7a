/**
 * kubelint/rule-tester checks the table as well as the rule: an unknown expected messageId,
 * a `{{placeholder}}` left in a message and a duplicate case each fail their test. The rule
 * here is a plugin's (not built in): the tester builds its registry from the rule alone.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RuleTester, daemonSet, readMarkers, run, type ExpectedFinding, type RuleTests } from '../src/rule-tester/index.js';
import type { Fixer, Rule } from '../src/engine/rule.js';

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

/** A rule with a fix and two suggestions: `image: busybox` without a tag. */
const pinTag: Rule = {
  meta: {
    id: 'pin-tag',
    severity: 'warn',
    description: 'Images carry a tag.',
    rationale: 'An untagged image is :latest.',
    kinds: ['DaemonSet'],
    messages: { untagged: 'Image {{image}} has no tag.' },
  },
  check(context) {
    const containers = ((context.object.spec as { template?: { spec?: { containers?: Array<{ image?: string }> } } })?.template?.spec?.containers ?? []);
    containers.forEach((container, index) => {
      if (typeof container.image !== 'string' || container.image.includes(':')) return;
      const path = ['spec', 'template', 'spec', 'containers', index, 'image'];
      const edit = (tag: string) => (fixer: Fixer) => {
        const node = fixer.node(path) as { range?: [number, number, number] } | undefined;
        return node?.range ? fixer.insertAt(node.range[1] + fixer.offset, `:${tag}`) : undefined;
      };
      context.report({
        messageId: 'untagged',
        data: { image: container.image },
        path,
        target: 'value',
        ...(context.options.noFix ? {} : { fix: edit('1.36') }),
        suggest: [
          { desc: 'Pin tag 1.36', fix: edit('1.36') },
          { desc: 'Pin tag stable', fix: edit('stable') },
        ],
      });
    });
  },
};

const untagged = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: busybox # keep\n';

describe('RuleTester checks fixes and suggestions', () => {
  const finding = { messageId: 'untagged', line: 9, column: 16 };
  const fixed = untagged.replace('busybox #', 'busybox:1.36 #');
  const suggestions = [
    { desc: 'Pin tag 1.36', output: fixed },
    { desc: /stable/, output: untagged.replace('busybox #', 'busybox:stable #') },
  ];
  it('passes a correct output and suggestions', () => {
    const cases = collect(pinTag, { valid: [], invalid: [{ code: untagged, output: fixed, errors: [{ ...finding, suggestions }] }] });
    for (const body of cases.values()) body();
  });
  it('fails a wrong output, an output of a rule that does not fix, and output: null of one that does', () => {
    const cases = [
      ...collect(pinTag, { valid: [], invalid: [{ name: 'wrong', code: untagged, output: untagged, errors: [finding] }] }).values(),
      ...collect(pinTag, { valid: [], invalid: [{ name: 'no fix', code: untagged, options: { noFix: true }, output: fixed, errors: [finding] }] }).values(),
      ...collect(pinTag, { valid: [], invalid: [{ name: 'null', code: untagged, output: null, errors: [finding] }] }).values(),
    ];
    assert.throws(cases[0]!, /output after one pass of fixes/);
    assert.throws(cases[1]!, /expected a fix \(output\), but the rule offers none/);
    assert.throws(cases[2]!, /expected no fix, but the rule fixes/);
  });
  it('fails a wrong suggestion count, desc or output', () => {
    const run = (expected: NonNullable<ExpectedFinding['suggestions']>) =>
      [...collect(pinTag, { valid: [], invalid: [{ code: untagged, errors: [{ ...finding, suggestions: expected }] }] }).values()][0]!;
    assert.throws(run([suggestions[0]!]), /expected 1 suggestion\(s\), got: \["Pin tag 1.36","Pin tag stable"\]/);
    assert.throws(run([{ ...suggestions[0]!, desc: 'Pin it' }, suggestions[1]!]), /suggestion 1: desc/);
    assert.throws(run([suggestions[0]!, { ...suggestions[1]!, output: fixed }]), /suggestion 2 \(Pin tag stable\): output/);
  });
  it('fails a fix that is not idempotent', () => {
    // Appends a tag whatever is there: the second pass appends again.
    const greedy: Rule = {
      ...pinTag,
      meta: { ...pinTag.meta, id: 'greedy' },
      check(context) {
        context.report({ messageId: 'untagged', data: { image: 'x' }, path: ['metadata'], target: 'key', fix: (fixer) => fixer.insertAt(fixer.text.length, '# again\n') });
      },
    };
    const [body] = collect(greedy, { valid: [], invalid: [{ code: untagged, output: `${untagged}# again\n`, errors: [{ messageId: 'untagged', line: 3, column: 1 }] }] }).values();
    assert.throws(body!, /not idempotent/);
  });
});
