/** The committed schemas/ are exactly what the generator makes from the upstream specs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './helpers/cli.js';
import { BUNDLED_MINORS, parseKubeVersion } from '../src/kube-version.js';
import { bundledIndex, definitionFor } from '../src/schema/registry.js';
import { withoutNulls } from '../src/schema/explain.js';
import { tempDir } from './helpers/temp.js';

const SPECS = path.resolve(PROJECT_ROOT, '..', 'shared', 'kubernetes-openapi');

describe('bundled versions', () => {
  it('the version list in kube-version.ts is the one in schemas/index.json', () => {
    assert.deepEqual(BUNDLED_MINORS.map((minor) => `1.${minor}`), Object.keys(bundledIndex().versions));
  });

  it('definitionFor answers from each version\'s index, whichever version was asked before', () => {
    const versions = Object.entries(bundledIndex().versions);
    // Alternating versions, so that every answer comes after a switch.
    for (const [name, { kinds }] of [...versions, ...versions.reverse()]) {
      const version = parseKubeVersion(name)!;
      for (const [key, definition] of Object.entries(kinds)) {
        const slash = key.lastIndexOf('/');
        assert.equal(definitionFor(version, key.slice(0, slash), key.slice(slash + 1)), definition, `${name} ${key}`);
      }
      assert.equal(definitionFor(version, 'apps/v1', 'Daemonset'), undefined);
      assert.equal(definitionFor(version, 'apps', 'v1/DaemonSet'), undefined);
      assert.equal(definitionFor(version, 'v1', 'constructor'), undefined);
    }
    assert.equal(definitionFor({ major: 1, minor: 9 }, 'v1', 'Pod'), undefined);
  });
});

describe('null fields before validation', () => {
  it('are dropped at any depth, keeping the order of the rest and sharing what holds none', () => {
    const untouched = { image: 'x', ports: [{ containerPort: 80 }] };
    const value = { a: 1, b: null, c: { d: null, e: [null, { f: null, g: 2 }] }, h: untouched, i: [untouched] };
    const kept = withoutNulls(value) as Record<string, unknown>;
    assert.equal(JSON.stringify(kept), JSON.stringify({ a: 1, c: { e: [null, { g: 2 }] }, h: untouched, i: [untouched] }));
    assert.equal(kept.h, untouched);
    assert.equal((kept.i as unknown[])[0], untouched);
    // The input is not changed, and a value without null fields is itself.
    assert.deepEqual(Object.keys(value), ['a', 'b', 'c', 'h', 'i']);
    assert.equal(withoutNulls(untouched), untouched);
    assert.equal(withoutNulls(null), null);
    assert.deepEqual(withoutNulls([null, 1]), [null, 1]);
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
