/**
 * The pod-spec visitor: where the pod spec lives in every kind, what the walk visits with
 * which paths and in which order, that it reads each part once for all rules, and that
 * rules subscribing with create(context) get their findings through the real engine.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  combineVisitors,
  containersOf,
  isPartialWorkload,
  podSpecOf,
  podSpecPath,
  podTemplatePath,
  walkPodSpec,
  POD_SPEC_KINDS,
  type PodSpecVisitor,
} from '../src/engine/pod-spec.js';
import { defaultEngineOptions, lintText, type EngineOptions } from '../src/lint/engine.js';
import { checkRule, createRegistry, RuleDefinitionError } from '../src/engine/registry.js';
import type { Rule } from '../src/engine/rule.js';
import type { ObjectPath } from '../src/types.js';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './helpers/cli.js';
import { tempDir } from './helpers/temp.js';

/** Where each kind's pod spec is, written out by hand (not computed), so the test can fail. */
const SPEC_PATHS: Record<string, string> = {
  Pod: 'spec',
  DaemonSet: 'spec.template.spec',
  Deployment: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  ReplicationController: 'spec.template.spec',
  PodTemplate: 'template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

const dotted = (path: ObjectPath) => path.join('.');

/** A pod spec with one of each part, and entries that are not mappings (skipped, indexes kept). */
function podSpec(): Record<string, unknown> {
  return {
    volumes: [
      { name: 'data', emptyDir: {} },
      'not a volume',
      { name: 'proj', projected: { sources: [{ secret: { name: 's' } }, 7, { configMap: { name: 'c' } }] } },
    ],
    containers: [
      { name: 'app', env: [{ name: 'A' }, null, { name: 'B' }], envFrom: [{ secretRef: { name: 's' } }] },
      { name: 'side' },
    ],
    initContainers: [{ name: 'init', env: [{ name: 'C' }] }],
    ephemeralContainers: [{ name: 'debug' }],
    tolerations: [{ operator: 'Exists' }, 'x', { key: 'k', operator: 'Exists' }],
  };
}

/** Puts a pod spec where `kind` holds it, building the path from the hand-written table. */
function objectOf(kind: string, spec: Record<string, unknown>): Record<string, unknown> {
  const segments = SPEC_PATHS[kind]!.split('.');
  const object: Record<string, unknown> = { apiVersion: 'v1', kind };
  let at = object;
  for (const segment of segments.slice(0, -1)) at = (at[segment] ??= {}) as Record<string, unknown>;
  at[segments[segments.length - 1]!] = spec;
  return object;
}

/** Every event of the walk as "event path [parent info]". */
function recordWalk(object: Record<string, unknown>): string[] {
  const events: string[] = [];
  walkPodSpec(object, [
    {
      podSpec: (node) => events.push(`podSpec ${dotted(node.path)} template=${dotted(node.templatePath)}`),
      'podSpec:exit': (node) => events.push(`podSpec:exit ${dotted(node.path)}`),
      volume: (node) => events.push(`volume ${dotted(node.path)} ${String(node.value.name)}`),
      projectedSource: (node) => events.push(`projectedSource ${dotted(node.path)} of ${String(node.volume.value.name)}`),
      container: (node) => events.push(`container ${dotted(node.path)} ${node.list}[${node.index}] ${String(node.value.name)}`),
      env: (node) => events.push(`env ${dotted(node.path)} ${String(node.value.name)} in ${String(node.container.value.name)}`),
      envFrom: (node) => events.push(`envFrom ${dotted(node.path)} in ${node.container.list}`),
      toleration: (node) => events.push(`toleration ${dotted(node.path)} #${node.index}`),
    },
  ]);
  return events;
}

describe('pod-spec: where the pod spec lives', () => {
  it('knows the spec and template path of every workload kind, and none for others', () => {
    assert.deepEqual([...POD_SPEC_KINDS].sort(), Object.keys(SPEC_PATHS).sort());
    for (const [kind, path] of Object.entries(SPEC_PATHS)) {
      assert.equal(dotted(podSpecPath(kind)!), path, kind);
      assert.equal(dotted(podTemplatePath(kind)!), path.replace(/\.?spec$/, ''), kind);
    }
    for (const kind of ['ConfigMap', 'Service', 'toString', '__proto__', undefined, 3]) {
      assert.equal(podSpecPath(kind), undefined, String(kind));
    }
  });

  it('podSpecOf gives the spec only when it is a mapping', () => {
    assert.equal(podSpecOf({ kind: 'DaemonSet', spec: { template: { spec: 'x' } } }), undefined);
    assert.equal(podSpecOf({ kind: 'DaemonSet', spec: { template: null } }), undefined);
    const node = podSpecOf(objectOf('CronJob', { containers: [] }));
    assert.deepEqual(node?.path, ['spec', 'jobTemplate', 'spec', 'template', 'spec']);
    assert.deepEqual(node?.templatePath, ['spec', 'jobTemplate', 'spec', 'template']);
  });

  it('a workload whose pod spec has no containers list is partial (a patch)', () => {
    assert.equal(isPartialWorkload(objectOf('Deployment', { tolerations: [] })), true);
    assert.equal(isPartialWorkload(objectOf('Deployment', { containers: [] })), false);
    assert.equal(isPartialWorkload({ kind: 'ConfigMap' }), false);
  });
});

describe('pod-spec: the walk', () => {
  for (const kind of Object.keys(SPEC_PATHS)) {
    it(`visits every part of a ${kind}'s pod spec with its exact path, in order`, () => {
      const s = SPEC_PATHS[kind]!;
      const template = s.replace(/\.?spec$/, '');
      assert.deepEqual(recordWalk(objectOf(kind, podSpec())), [
        `podSpec ${s} template=${template}`,
        `volume ${s}.volumes.0 data`,
        `volume ${s}.volumes.2 proj`,
        `projectedSource ${s}.volumes.2.projected.sources.0 of proj`,
        `projectedSource ${s}.volumes.2.projected.sources.2 of proj`,
        `container ${s}.containers.0 containers[0] app`,
        `env ${s}.containers.0.env.0 A in app`,
        `env ${s}.containers.0.env.2 B in app`,
        `envFrom ${s}.containers.0.envFrom.0 in containers`,
        `container ${s}.containers.1 containers[1] side`,
        `container ${s}.initContainers.0 initContainers[0] init`,
        `env ${s}.initContainers.0.env.0 C in init`,
        `container ${s}.ephemeralContainers.0 ephemeralContainers[0] debug`,
        `toleration ${s}.tolerations.0 #0`,
        `toleration ${s}.tolerations.2 #2`,
        `podSpec:exit ${s}`,
      ]);
    });
  }

  it('visits nothing for kinds without a pod spec, or a spec of the wrong type', () => {
    assert.deepEqual(recordWalk({ kind: 'ConfigMap', spec: podSpec() }), []);
    assert.deepEqual(recordWalk({ kind: 'Pod', spec: [podSpec()] }), []);
    assert.deepEqual(recordWalk({ kind: 'Pod', spec: { containers: 'x', volumes: { a: 1 }, tolerations: null } }), ['podSpec spec template=', 'podSpec:exit spec']);
  });

  it('reads each part once for all visitors, and not at all when no visitor wants it', () => {
    const reads: Record<string, number> = { tolerations: 0, volumes: 0, containers: 0 };
    const spec = podSpec();
    const counted: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(spec)) {
      Object.defineProperty(counted, key, {
        enumerable: true,
        get: () => {
          if (key in reads) reads[key]!++;
          return value;
        },
      });
    }
    const seen: string[] = [];
    const visitor = (name: string): PodSpecVisitor => ({ toleration: (node) => seen.push(`${name} ${node.index}`) });
    walkPodSpec({ kind: 'Pod', spec: counted }, [visitor('a'), visitor('b'), visitor('c')]);
    assert.deepEqual(seen, ['a 0', 'b 0', 'c 0', 'a 2', 'b 2', 'c 2']);
    assert.deepEqual(reads, { tolerations: 1, volumes: 0, containers: 0 });
  });

  it('containersOf lists every container with its list and path', () => {
    assert.deepEqual(
      containersOf(objectOf('Job', podSpec())).map((node) => `${node.list} ${dotted(node.path)}`),
      [
        'containers spec.template.spec.containers.0',
        'containers spec.template.spec.containers.1',
        'initContainers spec.template.spec.initContainers.0',
        'ephemeralContainers spec.template.spec.ephemeralContainers.0',
      ],
    );
  });

  it('combineVisitors calls each part in turn, for every event any part handles', () => {
    const calls: string[] = [];
    const combined = combineVisitors(
      { podSpec: () => calls.push('a podSpec'), container: (node) => calls.push(`a ${node.index}`) },
      { container: (node) => calls.push(`b ${node.index}`), 'podSpec:exit': () => calls.push('b exit') },
    );
    walkPodSpec({ kind: 'Pod', spec: { containers: [{ name: 'x' }, { name: 'y' }] } }, [combined]);
    assert.deepEqual(calls, ['a podSpec', 'a 0', 'b 0', 'a 1', 'b 1', 'b exit']);
  });
});

const DAEMONSET = [
  'apiVersion: apps/v1', //              1
  'kind: DaemonSet', //                  2
  'metadata: {name: agent}', //          3
  'spec:', //                            4
  '  selector: {matchLabels: {app: a}}', // 5
  '  template:', //                      6
  '    metadata: {labels: {app: a}}', // 7
  '    spec:', //                        8
  '      tolerations:', //               9
  '      - operator: Exists', //         10
  '      containers:', //                11
  '      - name: agent', //              12
  '        image: agent:1', //           13
  '        env:', //                     14
  '        - name: TOKEN', //            15
  '      volumes:', //                   16
  '      - name: data', //               17
  '        emptyDir: {}', //             18
  '',
].join('\n');

function testRule(id: string, rule: Omit<Rule, 'meta'>, kinds: Rule['meta']['kinds'] = ['DaemonSet']): Rule {
  return {
    meta: { id, severity: 'error', description: 'A test rule.', rationale: 'For tests.', kinds, messages: { found: 'found {{what}}.' } },
    ...rule,
  };
}

function lint(rules: Rule[], text = DAEMONSET, overrides: Partial<EngineOptions> = {}) {
  const registry = createRegistry(rules, []);
  return lintText(text, 'ds.yaml', defaultEngineOptions({ registry, ...overrides })).messages.map(
    (m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`,
  );
}

describe('pod-spec: rules subscribing through the engine', () => {
  it('calls each subscribed handler, and the findings land on their lines', () => {
    const rule = testRule('visitor', {
      create(context) {
        const found = (what: string, path: ObjectPath) => context.report({ messageId: 'found', data: { what }, path, target: 'key' });
        return {
          toleration: (node) => found('toleration', [...node.path, 'operator']),
          container: (node) => found(`container in ${node.list}`, [...node.path, 'name']),
          env: (node) => found(`env of ${String(node.container.value.name)}`, [...node.path, 'name']),
          volume: (node) => found('volume', [...node.path, 'emptyDir']),
          'podSpec:exit': (node) => found('pod spec', node.path),
        };
      },
    });
    assert.deepEqual(lint([rule]), [
      'visitor 8:5 found pod spec.',
      'visitor 10:9 found toleration.',
      'visitor 12:9 found container in containers.',
      'visitor 15:11 found env of agent.',
      'visitor 18:9 found volume.',
    ]);
  });

  it('runs check and create of one rule, and walks once for several rules', () => {
    const calls: string[] = [];
    const both = testRule('both', {
      check: () => void calls.push('both check'),
      create: () => ({ toleration: () => void calls.push('both toleration') }),
    });
    const other = testRule('other', { create: () => ({ toleration: () => void calls.push('other toleration'), podSpec: () => void calls.push('other podSpec') }) });
    assert.deepEqual(lint([both, other]), []);
    assert.deepEqual(calls, ['both check', 'other podSpec', 'both toleration', 'other toleration']);
  });

  it('does not create a rule for kinds it does not look at, nor when it is off', () => {
    const calls: string[] = [];
    const podOnly = testRule('pod-only', { create: () => (calls.push('pod-only'), {}) }, ['Pod']);
    const off = testRule('off', { create: () => (calls.push('off'), {}) });
    assert.deepEqual(lint([podOnly, off], DAEMONSET, { rules: { off: 'off' } }), []);
    assert.deepEqual(calls, []);
  });

  it('a handler that throws is one internal-error finding; the rule gets no more calls and other rules keep theirs', () => {
    let calls = 0;
    const broken = testRule('broken', {
      create: () => ({
        container: () => {
          calls++;
          throw new Error('boom');
        },
        // Walked after the containers: never called once the rule has failed.
        toleration: () => void calls++,
      }),
    });
    const good = testRule('good', {
      create: (context) => ({ volume: (node) => context.report({ messageId: 'found', data: { what: 'volume' }, path: node.path }) }),
    });
    const twoContainers = DAEMONSET.replace('        env:\n        - name: TOKEN\n', '      - name: second\n        image: b\n');
    assert.deepEqual(lint([broken, good], twoContainers), [
      'broken 1:1 internal error in rule broken: boom. Please report this bug.',
      'good 17:9 found volume.',
    ]);
    assert.equal(calls, 1);
  });

  it('a check that throws stops that rule for the object before its handlers run', () => {
    let handled = false;
    const broken = testRule('broken', {
      check: () => {
        throw new Error('bad check');
      },
      create: () => ({ podSpec: () => void (handled = true) }),
    });
    assert.deepEqual(lint([broken]), ['broken 1:1 internal error in rule broken: bad check. Please report this bug.']);
    assert.equal(handled, false);
  });

  it('a rule needs check or create (plugins are checked the same way)', () => {
    const meta = testRule('x', {}).meta;
    assert.doesNotThrow(() => checkRule({ meta, create: () => ({}) }, 'rule "x"'));
    assert.doesNotThrow(() => checkRule({ meta, check: () => {} }, 'rule "x"'));
    assert.throws(() => checkRule({ meta }, 'rule "x"'), (error: unknown) => {
      assert.ok(error instanceof RuleDefinitionError);
      assert.equal(error.message, 'rule "x" has no check(context), create(context) or collect(context) function');
      return true;
    });
  });
});

describe('pod-spec: the documentation', () => {
  it('runs the example rule of docs/pod-spec-visitor.md as written', async () => {
    const doc = readFileSync(path.join(PROJECT_ROOT, 'docs', 'pod-spec-visitor.md'), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(doc)![1]!;
    const file = path.join(tempDir('kubelint-visitor-doc-'), 'image-tag.mjs');
    writeFileSync(file, example);
    const rule = ((await import(pathToFileURL(file).href)) as { default: Rule }).default;
    const text = DAEMONSET.replace('image: agent:1', 'image: registry:5000/agent');
    assert.deepEqual(lint([rule], text), ['image-tag 13:16 image registry:5000/agent has no tag. Pin a version or a digest.']);
    assert.deepEqual(lint([rule]), []);
  });
});
