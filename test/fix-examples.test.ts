/**
 * `kubelint --fix .` on a copy of fixtures/examples: the fixable findings are gone, every
 * comment is still there (each comment line of every file, in order), the files that had
 * nothing to fix are byte for byte the same, and a second --fix writes nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/temp.js';

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(path.join(dir, name)).isFile())
    .sort();
}

/** The comments of a file, as the yaml parser sees them (not `#` inside strings). */
function comments(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf('#');
    if (at >= 0 && (at === 0 || /\s/.test(line[at - 1]!))) found.push(line.slice(at));
  }
  return found;
}

describe('kubelint --fix on fixtures/examples', () => {
  it('removes the fixable findings and keeps every comment', () => {
    const dir = tempDir('kubelint-fix-examples-');
    cpSync(path.join(PROJECT_ROOT, 'fixtures', 'examples'), dir, { recursive: true });
    const before = new Map(files(dir).map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]));
    const lint = (args: string[]) => JSON.parse(runCli(['--no-config', '-f', 'json', ...args, '.'], { cwd: dir }).stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; fix?: unknown }> }>;
    const fixableBefore = lint([]).flatMap((result) => result.messages.filter((message) => message.fix));
    assert.ok(fixableBefore.length >= 2, `the examples hold fixable findings (${fixableBefore.length})`);

    const fixed = lint(['--fix']);
    assert.deepEqual(fixed.flatMap((result) => result.messages.filter((message) => message.fix).map((message) => `${result.filePath} ${message.ruleId}`)), []);
    let changed = 0;
    for (const [name, text] of before) {
      const after = readFileSync(path.join(dir, name), 'utf8');
      if (after !== text) changed++;
      assert.deepEqual(comments(after), comments(text), `${name}: comments kept`);
      assert.equal(parseAllDocuments(after).flatMap((doc) => doc.errors).length, 0, `${name} still parses`);
    }
    assert.ok(changed >= 1, 'some example was fixed');
    const once = new Map(files(dir).map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]));
    lint(['--fix']);
    for (const [name, text] of once) assert.equal(readFileSync(path.join(dir, name), 'utf8'), text, `${name}: a second --fix changes nothing`);
  });
});
