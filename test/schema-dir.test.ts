/**
 * --schema-dir safety and diagnostics (issue 15, items 7, 10 and 14): the manifest's kind
 * cannot reach outside the directory, a file there cannot leak through a message, and a
 * broken schema file is named with its problem instead of "internal error ... report this bug".
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { lintCase } from './helpers/rule-tester.js';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { CustomSchemas, MAX_SCHEMA_BYTES } from '../src/schema/custom.js';
import { tempDir } from './helpers/temp.js';

const SECRET = 'SECRET-TOKEN-d41d8cd9';
const root = tempDir('kubelint-schema-dir-');
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

/** A fresh schema directory (inside root/N/schemas) holding `files`. */
function schemaDir(files: Record<string, string | object>): string {
  const dir = path.join(root, String(++dirs), 'schemas');
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const WIDGET = (kind = 'Widget', extra = '') => `apiVersion: example.io/v1\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  size: ${extra || '1'}\n`;

function schemaFindings(code: string, dir: string) {
  return lintCase({ name: '', code, engine: { ruleOptions: { schema: { schemaDirs: [dir] } } } })
    .filter((message) => message.ruleId === 'schema')
    .map((message) => ({ line: message.line, column: message.column, message: message.message }));
}

function problemFinding(dir: string, problem: string) {
  return [{ line: 2, column: 7, message: `cannot check Widget against the schema ${path.join(dir, 'widget-example-v1.json')}: ${problem}.` }];
}

describe('--schema-dir lookup stays inside the directory (item 10)', () => {
  it('builds no file name from a kind that could not be a real kind', () => {
    assert.deepEqual(CustomSchemas.candidates('example.io/v1', '../../private/creds'), []);
    assert.deepEqual(CustomSchemas.candidates('../x/v1', 'Widget'), []);
    assert.deepEqual(CustomSchemas.candidates('example.io/../v1', 'Widget'), []);
    assert.deepEqual(CustomSchemas.candidates('example.io/v1', 'Widget'), ['widget-example-v1.json', 'widget-example.io-v1.json']);
    assert.deepEqual(CustomSchemas.candidates('v1beta1', 'My-Kind'), ['my-kind-v1beta1.json']);
  });

  it('does not open ../../private/creds-example-v1.json for kind: ../../private/creds', () => {
    const dir = schemaDir({});
    mkdirSync(path.join(dir, '..', '..', 'private'));
    // What the old lookup opened: {schema dir}/../../private/creds-example-v1.json.
    writeFileSync(path.join(dir, '..', '..', 'private', 'creds-example-v1.json'), `{"token": "${SECRET}"`);
    assert.deepEqual(schemaFindings(WIDGET('../../private/creds'), dir), []);
    const run = runCli(['-f', 'json', '--schema-dir', dir, '-'], { input: WIDGET('../../private/creds') });
    assert.ok(!run.stdout.includes(SECRET) && !run.stderr.includes(SECRET));
  });

  it('refuses a schema file that is a symbolic link to outside the directory, without reading it', () => {
    const dir = schemaDir({});
    const outside = path.join(dir, '..', 'outside.json');
    writeFileSync(outside, `{"not": {}, "description": "${SECRET}"}`);
    symlinkSync(outside, path.join(dir, 'widget-example-v1.json'));
    assert.deepEqual(
      schemaFindings(WIDGET(), dir),
      problemFinding(dir, 'it resolves to a file outside the schema directory (a symbolic link?), and kubelint reads schemas only from inside it'),
    );
  });

  it('follows a symbolic link that stays inside the directory', () => {
    const dir = schemaDir({ 'real.json': { properties: { spec: { properties: { size: { type: 'string' } } } } } });
    symlinkSync('real.json', path.join(dir, 'widget-example-v1.json'));
    assert.deepEqual(schemaFindings(WIDGET(), dir), [{ line: 5, column: 9, message: 'size must be a string, but unquoted 1 is the number 1. Quote it: size: "1".' }]);
  });

  it('reads only regular files under the size cap', () => {
    const directory = schemaDir({});
    mkdirSync(path.join(directory, 'widget-example-v1.json'));
    assert.deepEqual(schemaFindings(WIDGET(), directory), problemFinding(directory, 'it is not a regular file'));
    const large = schemaDir({ 'widget-example-v1.json': `{"description": "${'x'.repeat(MAX_SCHEMA_BYTES)}"}` });
    assert.deepEqual(schemaFindings(WIDGET(), large), problemFinding(large, 'it is larger than 5 MB, too large for a schema'));
  });
});

describe('schema-directory problems name the file and the problem (item 14)', () => {
  it('invalid JSON: the position, never the content', () => {
    const dir = schemaDir({ 'widget-example-v1.json': `{"type": "object",\n  ${SECRET}}` });
    const findings = schemaFindings(WIDGET(), dir);
    assert.deepEqual(findings, problemFinding(dir, 'it is not valid JSON (line 2, column 3)'));
    const run = runCli(['--schema-dir', dir, '-'], { input: WIDGET() });
    assert.equal(run.status, 1);
    assert.ok(!run.stdout.includes(SECRET));
    assert.ok(!run.stdout.includes('internal error'));
  });

  it('a remote $ref is refused, and nothing is fetched', async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests++;
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/widget.json`;
      const dir = schemaDir({ 'widget-example-v1.json': { properties: { spec: { $ref: url } } } });
      const run = runCli(['-f', 'compact', '--schema-dir', dir, '-'], { input: WIDGET() });
      assert.equal(run.status, 1);
      assert.equal(
        run.stdout.split('\n')[0],
        `${path.join(PROJECT_ROOT, '<stdin>')}: line 2, col 7, Error - cannot check Widget against the schema ${path.join(dir, 'widget-example-v1.json')}: it refers to "${url}", and kubelint never fetches schemas over the network: put that schema into this file (under definitions) and refer to it as "#/definitions/...". (schema)`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200)); // a connection attempt would have arrived by now
      assert.equal(requests, 0);
      const https = schemaDir({ 'widget-example-v1.json': { definitions: { a: { $ref: 'https://example.com/a.json' } } } });
      assert.match(schemaFindings(WIDGET(), https)[0]!.message, /it refers to "https:\/\/example\.com\/a\.json", and kubelint never fetches/);
    } finally {
      server.close();
    }
  });

  it('a $ref that cannot be resolved, and a $ref cycle', () => {
    const missing = schemaDir({ 'widget-example-v1.json': { properties: { spec: { $ref: '#/definitions/nope' } } } });
    assert.deepEqual(
      schemaFindings(WIDGET(), missing),
      problemFinding(missing, 'its $ref "#/definitions/nope" cannot be resolved: kubelint resolves only references inside the same file ("#/definitions/...")'),
    );
    const cycle = schemaDir({ 'widget-example-v1.json': { definitions: { a: { $ref: '#/definitions/b' }, b: { $ref: '#/definitions/a' } }, $ref: '#/definitions/a' } });
    assert.deepEqual(
      schemaFindings(WIDGET(), cycle),
      problemFinding(cycle, 'its $ref references form a cycle (a $ref that leads back to itself without a schema in between)'),
    );
  });

  it('a schema that is not a schema, and a pattern RE2 does not support', () => {
    const array = schemaDir({ 'widget-example-v1.json': '[1, 2]' });
    assert.deepEqual(schemaFindings(WIDGET(), array), problemFinding(array, 'it is not a JSON schema: the file must hold one JSON object'));
    const invalid = schemaDir({ 'widget-example-v1.json': { type: 'nonsense' } });
    assert.match(schemaFindings(WIDGET(), invalid)[0]!.message, /: it is not a valid JSON schema: data\/type must be/);
    const lookahead = schemaDir({ 'widget-example-v1.json': { properties: { spec: { properties: { size: { pattern: '^(?=a)' } } } } } });
    assert.match(schemaFindings(WIDGET(), lookahead)[0]!.message, /: one of its patterns is not supported: .*\(\?=.*RE2 syntax \(no lookaround, no backreferences\)\.$/);
  });
});

describe('custom schema patterns run in linear time (item 7)', () => {
  const schema = { properties: { spec: { properties: { size: { type: 'string', pattern: '^(a+)+$' } } } } };

  it('^(a+)+$ against 30 characters gives its finding (it took 46 s)', () => {
    const dir = schemaDir({ 'widget-example-v1.json': schema });
    assert.deepEqual(schemaFindings(WIDGET('Widget', `"${'a'.repeat(30)}b"`), dir), [
      { line: 5, column: 9, message: 'size must match pattern "^(a+)+$".' },
    ]);
    assert.deepEqual(schemaFindings(WIDGET('Widget', `"${'a'.repeat(30)}"`), dir), []);
  });

  it('takes time linear in the value', () => {
    const dir = schemaDir({ 'widget-example-v1.json': schema });
    const found = new CustomSchemas([dir]).find('example.io/v1', 'Widget');
    assert.ok(found && 'validate' in found);
    const timeFor = (length: number) => {
      const value = { spec: { size: `${'a'.repeat(length)}b` } };
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const start = process.hrtime.bigint();
        assert.equal(found.validate(value), false);
        best = Math.min(best, Number(process.hrtime.bigint() - start));
      }
      return best;
    };
    timeFor(10_000); // warm up
    const small = timeFor(10_000);
    const large = timeFor(40_000);
    // Four times the input: about four times the time when linear; a backtracking engine never finishes.
    assert.ok(large < small * 10 + 5_000_000, `10,000 characters: ${small} ns, 40,000: ${large} ns`);
  });
});
