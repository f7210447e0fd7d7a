/**
 * fast-check arbitraries shared by the property tests (the engine's in properties.test.ts,
 * the language server's in lsp-properties.test.ts): any text, Kubernetes-like objects
 * (DaemonSets, pods, lists) with plausible and broken values, YAML output styles, and
 * hostile edits of a manifest's lines.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

/** Any text: unicode, binary, or YAML's punctuation strung together. */
export const anyText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.constantFrom('a:', ' b', '- ', '[', ']', '{', '}', ':', '#', '"', "'", '&x', '*x', '---', '\n', '\t', '|', '>', ' '), { maxLength: 60 }).map((parts) => parts.join('')));

export const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
export const labels = fc.dictionary(fc.oneof(word, fc.constantFrom('app.kubernetes.io/name', 'Bad_Key/x', '')), fc.oneof(word, fc.constantFrom('', 'yes', '-bad-', 1)), { maxKeys: 3 });
export const toleration = fc.record(
  {
    key: fc.constantFrom('node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master', '', 'x'),
    operator: fc.constantFrom('Exists', 'Equal', 'In', ''),
    value: fc.constantFrom('', 'true'),
    effect: fc.constantFrom('NoSchedule', 'NoExecute', '', 'Bogus'),
    tolerationSeconds: fc.integer({ min: -5, max: 100 }),
  },
  { requiredKeys: [] },
);
export const expression = fc.record({ key: word, operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Equals'), values: fc.array(word, { maxLength: 2 }) }, { requiredKeys: ['key'] });
export const volume = fc.oneof(
  fc.record({ name: word, secret: fc.record({ secretName: word }) }),
  fc.record({ name: word, configMap: fc.record({ name: word }) }),
  fc.record({ name: word, hostPath: fc.record({ path: fc.constant('/x') }) }),
  fc.record({ name: word, projected: fc.record({ sources: fc.array(fc.oneof(fc.record({ secret: fc.record({ name: word }) }), fc.record({ serviceAccountToken: fc.record({ path: word }) }))) }) }),
);
export const container = fc.record(
  { name: fc.oneof(word, fc.constantFrom('Bad_Name', 'a')), image: word, imagePullPolice: word, ports: fc.array(fc.record({ containerPort: fc.oneof(fc.integer(), word) })), env: fc.array(fc.record({ name: word, value: fc.oneof(word, fc.constantFrom('yes', 'on', '0644')) })) },
  { requiredKeys: ['name'] },
);
export const podSpec = fc.record(
  {
    containers: fc.array(container, { maxLength: 2 }),
    initContainers: fc.array(container, { maxLength: 1 }),
    tolerations: fc.array(toleration, { maxLength: 3 }),
    volumes: fc.array(volume, { maxLength: 2 }),
    serviceAccountName: word,
    nodeSelector: labels,
    restartPolicy: fc.constantFrom('Always', 'Never', 'Sometimes'),
  },
  { requiredKeys: [] },
);
export const workload = fc.oneof(
  fc.record(
    {
      apiVersion: fc.constantFrom('apps/v1', 'extensions/v1beta1'),
      kind: fc.constant('DaemonSet'),
      metadata: fc.record({ name: word, labels, annotations: fc.dictionary(fc.constantFrom('kubelint.io/ignore.schema', 'x'), word, { maxKeys: 1 }) }, { requiredKeys: [] }),
      spec: fc.record(
        {
          selector: fc.record({ matchLabels: labels, matchExpressions: fc.array(expression, { maxLength: 2 }) }, { requiredKeys: [] }),
          updateStrategy: fc.record({ type: fc.constantFrom('RollingUpdate', 'OnDelete', 'X'), rollingUpdate: fc.record({ maxSurge: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constantFrom('10%', '0%', '150%', 'x')), maxUnavailable: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constantFrom('10%', '0%')) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
          template: fc.record({ metadata: fc.record({ labels }, { requiredKeys: [] }), spec: podSpec }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['kind'] },
  ),
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), metadata: fc.record({ name: word }, { requiredKeys: [] }), spec: podSpec }, { requiredKeys: ['kind'] }),
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('List'), items: fc.array(fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), spec: podSpec }), { maxLength: 2 }) }),
);
export const style = fc.record({
  defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
  collectionStyle: fc.constantFrom('any', 'block', 'flow'),
  indentSeq: fc.boolean(),
  lineWidth: fc.constantFrom(0, 30, 80),
});

/** Characters JavaScript's \s or trim() takes (and NEL) that YAML reads as content, not white space. */
export const notYamlWhite = fc.constantFrom(
  '\u00a0', '\ufeff', '\u2028', '\u2029', '\u3000', '\u1680', '\u202f', '\u205f', '\v', '\f', '\u0085',
  ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
);
/** Text that, put somewhere in a manifest, may take the fast path where it must give up or agree. */
export const snippet = fc.oneof(
  { arbitrary: notYamlWhite, weight: 6 },
  { arbitrary: fc.constantFrom('-', ' -', '- ', ', -', '[-]', '{b: -}', '?', ':', ': ', ' #c', '#', '"', "'", '[', ']', '{', '}', ',', '|', '>', '---', ' '), weight: 3 },
);
/** One edit of a manifest's lines: insert a snippet anywhere, put one after a flow indicator, add a long key or a comment line. */
export const edit = fc.record({
  kind: fc.constantFrom('insert', 'insert', 'lineEnd', 'lineEnd', 'afterFlow', 'longKey', 'comment'),
  line: fc.nat(),
  column: fc.nat(),
  snippet,
  keyLength: fc.integer({ min: 990, max: 1030 }),
  quoted: fc.boolean(),
});

export type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

export function applyEdit(lines: string[], change: Edit): void {
  if (lines.length === 0) return;
  const i = change.line % lines.length;
  const line = lines[i]!;
  const indent = /^ */.exec(line)![0] + (/^ *- /.test(line) ? '  ' : '');
  switch (change.kind) {
    case 'insert': {
      const at = change.column % (line.length + 1);
      lines[i] = line.slice(0, at) + change.snippet + line.slice(at);
      break;
    }
    case 'lineEnd':
      lines[i] = line + change.snippet;
      break;
    case 'afterFlow': {
      // Right after an opening bracket or a comma of a flow collection, if the line has one.
      const at = [...line.matchAll(/[[{,]/g)].map((match) => match.index! + 1);
      if (at.length) {
        const where = at[change.column % at.length]!;
        lines[i] = line.slice(0, where) + (change.column % 2 ? ' -' : '-') + line.slice(where);
      }
      break;
    }
    case 'longKey': {
      const key = change.quoted ? `"${'k'.repeat(change.keyLength - 2)}"` : 'k'.repeat(change.keyLength);
      lines.splice(i + 1, 0, `${indent}${key}: v`);
      break;
    }
    case 'comment':
      lines.splice(i + 1, 0, `${indent}# ${change.snippet}`);
      break;
  }
}

/** One or more generated objects written as YAML documents in a generated style. */
export function manifestText(objects: readonly unknown[], options: Record<string, unknown>): string {
  return objects.map((object) => stringify(object, options as never)).join('---\n');
}
