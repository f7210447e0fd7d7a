/** The committed schemas/ are exactly what the generator makes from the upstream specs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './helpers/cli.js';
import { BUNDLED_MINORS } from '../src/kube-version.js';
import { bundledIndex } from '../src/schema/registry.js';
import { tempDir } from './helpers/temp.js';

const SPECS = path.resolve(PROJECT_ROOT, '..', 'shared', 'kubernetes-openapi');

describe('bundled versions', () => {
  it('the version list in kube-version.ts is the one in schemas/index.json', () => {
    assert.deepEqual(BUNDLED_MINORS.map((minor) => `1.${minor}`), Object.keys(bundledIndex().versions));
  });
});

describe('schemas/', { skip: existsSync(SPECS) ? false : `no specs at ${SPECS}` }, () => {
  it('is reproduced byte for byte by npm run schemas', () => {
    const out = tempDir('kubelint-schemas-');
    execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'dist/scripts/generate-schemas.js'), SPECS, out]);
    for (const file of ['definitions.json', 'index.json']) {
      assert.ok(
        readFileSync(path.join(out, file)).equals(readFileSync(path.join(PROJECT_ROOT, 'schemas', file))),
        `schemas/${file} differs from the generator's output: run npm run schemas`,
      );
    }
  });
});
