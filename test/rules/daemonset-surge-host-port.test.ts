import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintCase, ruleTester } from '../helpers/rule-tester.js';
import { surges } from '../../rules/daemonset-surge-host-port.js';

/**
 * A DaemonSet with `strategy` lines under spec.updateStrategy (line 6 on), then the pod
 * spec with `spec` lines before the container, whose `ports` line is given.
 */
function daemonSet(strategy: string[], ports: string, spec: string[] = []): string {
  return [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata: {name: agent}',
    'spec:',
    ...(strategy.length ? ['  updateStrategy:', ...strategy.map((line) => `    ${line}`)] : []),
    '  selector: {matchLabels: {app: agent}}',
    '  template:',
    '    metadata: {labels: {app: agent}}',
    '    spec:',
    '      tolerations: [{operator: Exists}]',
    ...spec.map((line) => `      ${line}`),
    '      containers:',
    '        - name: agent',
    '          image: agent:1',
    `          ports: ${ports}`,
    '',
  ].join('\n');
}

const SURGE = ['type: RollingUpdate', 'rollingUpdate: {maxSurge: 1, maxUnavailable: 0}'];
const HOST_PORT = '[{containerPort: 9100, hostPort: 9100}]';

ruleTester('daemonset-surge-host-port', {
  valid: [
    { name: 'maxUnavailable with a host port (the default strategy)', code: daemonSet(['type: RollingUpdate', 'rollingUpdate: {maxUnavailable: 1}'], HOST_PORT) },
    { name: 'no updateStrategy at all', code: daemonSet([], HOST_PORT) },
    { name: 'maxSurge 0', code: daemonSet(['rollingUpdate: {maxSurge: 0, maxUnavailable: 1}'], HOST_PORT) },
    { name: 'maxSurge "0%"', code: daemonSet(['rollingUpdate: {maxSurge: "0%", maxUnavailable: 1}'], HOST_PORT) },
    { name: 'surge without host ports', code: daemonSet(SURGE, '[{containerPort: 9100}]') },
    { name: 'OnDelete ignores rollingUpdate', code: daemonSet(['type: OnDelete', 'rollingUpdate: {maxSurge: 1, maxUnavailable: 0}'], HOST_PORT) },
    { name: 'before 1.22 maxSurge is dropped (gate off)', code: daemonSet(SURGE, HOST_PORT), kubeVersion: '1.21' },
    { name: 'hostNetwork without declared ports: nothing to see statically', code: daemonSet(SURGE, '[]', ['hostNetwork: true']) },
  ],
  invalid: [
    {
      name: 'maxSurge 1 with a hostPort: at the maxSurge value',
      code: daemonSet(SURGE, HOST_PORT),
      errors: [{ messageId: 'stalls', severity: 1, line: 7, column: 31, endColumn: 32, message: 'both need host port 9100 on the same node' }],
    },
    {
      name: 'a percentage surges too (rounded up to at least one node)',
      code: daemonSet(['rollingUpdate:', '  maxSurge: 10%', '  maxUnavailable: 0'], '[{containerPort: 53, hostPort: 53, protocol: UDP}]'),
      errors: [{ messageId: 'stalls', line: 7, column: 17, message: 'host port 53' }],
    },
    {
      name: 'hostNetwork turns the containerPort into a host port',
      code: daemonSet(SURGE, '[{containerPort: 10250}]', ['hostNetwork: true']),
      errors: [{ messageId: 'stalls', line: 7, column: 31, message: 'host port 10250' }],
    },
  ],
});

test('the finding points at the port that blocks the surge pod', () => {
  const findings = lintCase({ code: daemonSet(SURGE, HOST_PORT) }).filter((m) => m.ruleId === 'daemonset-surge-host-port');
  assert.equal(findings.length, 1);
  const related = findings[0]!.relatedLocations ?? [];
  assert.deepEqual(
    related.map(({ line, column, message }) => ({ line, column, message })),
    [{ line: 16, column: 51, message: 'host port 9100 is claimed here' }],
  );
});

test('surges reads maxSurge as the controller does', () => {
  for (const yes of [1, 3, '1%', '25%', '0.5%']) assert.equal(surges(yes), true, String(yes));
  for (const no of [0, -1, '0%', '0', '', undefined, null, '1']) assert.equal(surges(no), false, String(no));
});
