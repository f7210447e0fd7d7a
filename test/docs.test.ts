/** Every rule is documented, listed in the README, and its docs say how to find it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './helpers/cli.js';
import { RULES } from '../src/index.js';

describe('documentation', () => {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  for (const rule of RULES) {
    it(`documents ${rule.meta.id}`, () => {
      const file = path.join(PROJECT_ROOT, 'docs', 'rules', `${rule.meta.id}.md`);
      assert.ok(existsSync(file), `missing docs/rules/${rule.meta.id}.md`);
      const doc = readFileSync(file, 'utf8');
      assert.match(doc, new RegExp(`^# ${rule.meta.id}\\n`));
      assert.match(doc, new RegExp(`Default severity:\\*\\* ${{ warn: 'warning', error: 'error', off: 'off' }[rule.meta.severity]}`));
      assert.ok(readme.includes(`[${rule.meta.id}](docs/rules/${rule.meta.id}.md)`), 'not in the README rule table');
    });
  }

  it('keeps the README\'s first lines the two fresh-machine commands', () => {
    const firstBlock = readme.split('```')[1]!;
    // npm ci does not build (the build runs on prepack, so installing the tarball runs no script).
    assert.match(firstBlock, /npm ci && npm run build && npx kubelint fixtures\/examples/);
    assert.match(firstBlock, /npm test/);
  });
});
