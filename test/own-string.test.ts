/** Strings and facts kept past their file: equal copies, no shared objects. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ownData, ownString } from '../src/parse/own-string.js';

describe('ownString and ownData', () => {
  it('copy a string of any length to an equal one', () => {
    const text = `prefix ${'x'.repeat(40)} suffix`;
    for (const slice of [text.slice(0, 5), text.slice(7, 47), text.slice(3)]) assert.equal(ownString(slice), slice);
  });

  it('let the text a string was cut from go', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // A 20 MB text and 100 short cuts of it, kept: as plain slices they keep the text alive.
    const cut = (keep: (text: string) => string) => {
      const text = `${'abcdefghij'.repeat(2_000_000)}x`;
      return Array.from({ length: 100 }, (_, i) => keep(text.slice(i * 1000, i * 1000 + 30)));
    };
    gc();
    const before = process.memoryUsage().heapUsed;
    const slices = cut((text) => text);
    gc();
    const withSlices = process.memoryUsage().heapUsed - before;
    const copies = cut(ownString);
    slices.length = 0;
    gc();
    const withCopies = process.memoryUsage().heapUsed - before;
    assert.ok(withSlices > 15e6, `slices kept ${withSlices} bytes`);
    assert.ok(withCopies < 5e6, `copies kept ${withCopies} bytes`);
    assert.equal(copies[1], 'abcdefghij'.repeat(3));
  });

  it('copy plain data deeply, keeping its shape, nulls and undefined fields', () => {
    const fact = { role: 'refers', kind: 'ServiceAccount', name: 'a-service-account-name', namespace: null, note: undefined, at: ['spec', 0, 'x'], nested: { labels: { app: 'x' } } };
    const copy = ownData(fact);
    assert.deepStrictEqual(copy, fact);
    assert.notEqual(copy, fact);
    assert.notEqual(copy.at, fact.at);
    assert.notEqual(copy.nested.labels, fact.nested.labels);
    assert.ok(Object.hasOwn(copy, 'note'));
    for (const primitive of [undefined, null, 3, true, 'short']) assert.equal(ownData(primitive), primitive);
  });
});
