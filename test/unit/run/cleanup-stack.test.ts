import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CleanupStack } from '../../../support/cleanup/cleanup-stack.js';

test('disposers run newest first, all of them, even when some fail', async () => {
  const s = new CleanupStack();
  const order: string[] = [];
  s.push('cluster', () => { order.push('cluster'); });
  s.push('namespace', () => { order.push('namespace'); throw new Error('namespace refused\nstack noise'); });
  s.push('pods', async () => { order.push('pods'); });
  const lines: string[] = [];
  const failures = await s.runAll((l) => lines.push(l));
  assert.deepEqual(order, ['pods', 'namespace', 'cluster']);
  assert.deepEqual(failures, ['cleanup: namespace: namespace refused']);
  assert.equal(s.size, 0);
  assert.equal(lines.length, 3);
});

test('an unregistered disposer does not run', async () => {
  const s = new CleanupStack();
  let ran = false;
  const forget = s.push('gone already', () => { ran = true; });
  forget();
  assert.deepEqual(await s.runAll(), []);
  assert.equal(ran, false);
});
