/** One table of CLI options feeds the parser and --help: every option the parser takes is in --help. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OPTIONS, helpText, parseCli } from '../src/cli/cli.js';

describe('CLI option table', () => {
  const help = helpText();

  it('shows every option the parser accepts, with its short name and aliases', () => {
    assert.ok(OPTIONS.length >= 20);
    for (const spec of OPTIONS) {
      assert.match(help, new RegExp(`--${spec.name}\\b`), `--help lacks --${spec.name}`);
      if (spec.short) assert.match(help, new RegExp(`-${spec.short}, --${spec.name}\\b`));
      for (const alias of spec.aliases ?? []) assert.match(help, new RegExp(`--${alias}\\b`));
      const argv = spec.type === 'string' ? [`--${spec.name}`, 'x'] : [`--${spec.name}`];
      assert.doesNotThrow(() => parseCli(argv), `the parser refuses --${spec.name}`);
    }
  });

  it('documents nothing the parser refuses', () => {
    const documented = [...help.matchAll(/^ {2}(?:-\w, | {4})(--[\w-]+)(?:, (--[\w-]+))?/gm)].flatMap((m) => [m[1]!, m[2]].filter(Boolean)) as string[];
    assert.ok(documented.length >= 20, documented.join(' '));
    for (const option of documented) {
      const spec = OPTIONS.find((candidate) => `--${candidate.name}` === option);
      assert.ok(spec, `--help shows ${option}, which the table lacks`);
      assert.doesNotThrow(() => parseCli(spec.type === 'string' ? [option, 'x'] : [option]));
    }
  });

  it('derives --help from the table: a new option appears in its section, wrapped within 80 columns', () => {
    const text = helpText([
      ...OPTIONS,
      { name: 'new-thing', type: 'string', value: 'WHAT', section: 'Output', help: 'A new option whose description is long enough to need wrapping onto a second line' },
    ]);
    const output = text.slice(text.indexOf('Output:'), text.indexOf('What to check:'));
    assert.match(output, /\n {6}--new-thing WHAT {6}A new option whose description is long enough to\n {28}need wrapping onto a second line\n/);
    for (const line of text.split('\n')) assert.ok(line.length <= 80, line);
  });
});
