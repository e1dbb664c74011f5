import { test } from 'node:test';
import assert from 'node:assert/strict';
test('typescript loads under the test runner', () => {
  const x: number = 1 + 1;
  assert.equal(x, 2);
});
