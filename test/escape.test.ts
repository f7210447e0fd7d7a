/**
 * Terminal and CI injection (issue 15, item 5): keys, values, file names and source lines
 * reach the human formats; none of them may print a control sequence or start a line
 * (a forged `::error` workflow command).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { escapeControl, escapeSourceLine } from '../src/report/escape.js';
import { tempDir } from './helpers/temp.js';

/** VS Code's built-in $eslint-compact problem matcher, verbatim. */
const ESLINT_COMPACT = /^(.+):\sline\s(\d+),\scol\s(\d+),\s(Error|Warning|Info)\s-\s(.+)\s\((.+)\)$/;
/** Anything a terminal or log viewer acts on, other than the line feeds the formatter writes itself. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The formatter's own colours (SGR sequences), allowed when colour is on. */
const SGR = /\u001b\[[0-9;]*m/g;

/** A DaemonSet whose selector key and template label value and name comment are hostile. */
const HOSTILE_DAEMONSET = [
  'apiVersion: apps/v1',
  'kind: DaemonSet',
  'metadata:',
  // A comment in a code frame: clear screen, window title, an OSC 8 hyperlink.
  '  name: a # \u001b[2J\u001b]0;pwned\u0007 \u001b]8;;http://evil.example\u001b\\link\u001b]8;;\u001b\\',
  '  labels: {"x\u202ey": "v\u2028w"}',
  'spec:',
  '  selector:',
  '    matchLabels:',
  '      "k8s-app\\n::error::x": a',
  '  template:',
  '    metadata:',
  '      labels:',
  '        app: "b\\u001b]0;title\\u0007\\r\\u0085"',
  '    spec:',
  '      containers: [{name: a, image: a}]',
  '',
].join('\n');

const HOSTILE_NAMES = [
  'new\nline.yaml',
  'carriage\rreturn.yaml',
  'esc\u001b[2Jape.yaml',
  'osc8-\u001b]8;;https:evil.example\u001b\\link\u001b]8;;\u001b\\.yaml',
  'title\u001b]0;title\u0007.yaml',
  'bidi\u202eylm.yaml',
];

function hostileDir(): string {
  const dir = tempDir('kubelint-escape-');
  writeFileSync(path.join(dir, 'ds.yaml'), HOSTILE_DAEMONSET);
  for (const name of HOSTILE_NAMES) writeFileSync(path.join(dir, name), HOSTILE_DAEMONSET);
  assert.equal(readdirSync(dir).length, HOSTILE_NAMES.length + 1); // the file system took every name
  return dir;
}

function problemCount(dir: string): number {
  const results = JSON.parse(runCli(['.', '-f', 'json'], { cwd: dir }).stdout) as Array<{ messages: unknown[] }>;
  assert.equal(results.length, HOSTILE_NAMES.length + 1);
  return results.reduce((sum, result) => sum + result.messages.length, 0);
}

function assertNoControl(output: string, colour: boolean): void {
  const text = colour ? output.replace(SGR, '') : output;
  if (!colour) assert.doesNotMatch(output, /\u001b/);
  const found = RAW_CONTROL.exec(text);
  assert.equal(found, null, found ? `raw U+${found[0].charCodeAt(0).toString(16)} at ${found.index}: ${JSON.stringify(text.slice(found.index - 40, found.index + 40))}` : '');
}

describe('human formats escape control characters from input', () => {
  const dir = hostileDir();
  const problems = problemCount(dir);
  const run = (format: string, colour: boolean) => {
    const result = runCli(['.', '-f', format], { cwd: dir, env: { FORCE_COLOR: colour ? '1' : '0' } });
    assert.equal(result.status, 1, result.stderr);
    assert.equal(result.stderr, '');
    return result.stdout;
  };

  for (const colour of [false, true]) {
    it(`friendly (colour ${colour ? 'on' : 'off'}): messages, file names and code frames`, () => {
      const output = run('friendly', colour);
      assertNoControl(output, colour);
      assert.doesNotMatch(output, /^\s*::/m);
      const plain = output.replace(SGR, '');
      assert.ok(plain.includes('selector requires label k8s-app\\n::error::x="a"'));
      assert.ok(plain.includes('\\u001b]0;title\\u0007\\r\\u0085')); // the quoted value, as written in the frame
      assert.ok(plain.includes('# \\x1b[2J\\x1b]0;pwned\\x07 \\x1b]8;;http://evil.example\\x1b\\link'), 'the comment line of the code frame');
      assert.ok(plain.includes('{"x\\u202ey": "v\\u2028w"}'));
      for (const name of ['new\\nline.yaml', 'carriage\\rreturn.yaml', 'esc\\x1b[2Jape.yaml', 'title\\x1b]0;title\\x07.yaml', 'bidi\\u202eylm.yaml']) {
        assert.ok(plain.includes(`\n${name}\n  `) || plain.startsWith(`${name}\n  `), name); // each file's heading line
      }
    });

    it(`compact (colour ${colour ? 'on' : 'off'}): one $eslint-compact line per problem`, () => {
      const output = run('compact', colour);
      assertNoControl(output, false);
      const [body, summary] = output.split('\n\n');
      const lines = body!.split('\n');
      assert.equal(lines.length, problems);
      for (const line of lines) assert.match(line, ESLINT_COMPACT);
      assert.equal(summary, `${problems} problems\n`);
      assert.ok(lines.some((line) => line.includes(`${path.join(dir, 'new\\nline.yaml')}: line 9, col 7, Error - selector requires label k8s-app\\n::error::x="a"`)));
    });

    it(`github (colour ${colour ? 'on' : 'off'}): only kubelint's own workflow commands`, () => {
      const output = run('github', colour);
      assertNoControl(output, false);
      const lines = output.trimEnd().split('\n');
      assert.equal(lines.length, problems + 1);
      for (const line of lines.slice(0, -1)) {
        assert.match(line, /^::(error|warning) file=[^,:]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z-]+::/);
      }
      assert.match(lines.at(-1)!, /^kubelint: \d+ problems/);
      assert.ok(lines.some((line) => line.startsWith('::error file=new\\nline.yaml,line=9,col=7,') && line.includes('::selector requires label k8s-app\\n::error::x=')));
      assert.ok(lines.some((line) => line.startsWith('::error file=title\\x1b]0;title\\x07.yaml,')));
    });
  }

  it('keeps the code frame marker under the reported column when a line holds escapes', () => {
    const output = run('friendly', false);
    // The invalid label value of ds.yaml, line 5 column 19: the key before it grows by 5 characters when escaped.
    const [, ofDs] = `\n${output}`.split('\nds.yaml\n');
    assert.ok(ofDs, 'the heading of ds.yaml');
    const finding = ofDs.split('\n\n').find((block) => /^  5:19 /.test(block));
    assert.ok(finding, 'the finding keeps the reported column');
    const lines = finding.split('\n');
    const at = lines.findIndex((line) => line.includes('> 5 |'));
    const marker = lines[at + 1]!.indexOf('^');
    assert.equal(lines[at]!.slice(marker, marker + 10), '"v\\u2028w"', finding);
    assert.equal(lines[at + 1]!.slice(marker), '^'.repeat(10), 'the whole value is underlined, in escaped characters');
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});

describe('escapeControl', () => {
  it('shows each unsafe character as a visible escape', () => {
    assert.equal(escapeControl('a\nb\rc\td\u001b[0m\u007f\u0085\u2028\u2029\u202e\u2066\ufeff'), 'a\\nb\\rc\\td\\x1b[0m\\x7f\\x85\\u2028\\u2029\\u202e\\u2066\\ufeff');
    assert.equal(escapeControl('plain text: ünïcödé, 日本'), 'plain text: ünïcödé, 日本');
    assert.equal(escapeSourceLine('\tkey: \u001b'), '\tkey: \\x1b');
  });
});
