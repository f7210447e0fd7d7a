/** Strings and facts kept past their file: equal copies, no shared objects. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ownData, ownString } from '../src/parse/own-string.js';

describe('ownString and ownData', () => {
  it('copy a string of any length to an equal one', () => {
    const text = `prefix ${'x'.repeat(40)} suffix`;
    for (const slice of [text.slice(0, 5), text.slice(7, 47), text.slice(3)]) assert.equal(ownString(slice), slice);
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
