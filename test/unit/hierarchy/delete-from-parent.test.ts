import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DELETION_BLOCKED } from '../../../support/hierarchy/delete-from-parent.js';

test('the blocked-deletion message is Lattice\'s (deletion.rs:241-265) and names the children', () => {
  const m = DELETION_BLOCKED.exec('Deletion blocked: 2 child cluster(s) exist: e2e-a, e2e-b. Delete children first or remove finalizer for break-glass.');
  assert.ok(m);
  assert.equal(m[1], '2');
  assert.equal(m[2], 'e2e-a, e2e-b');
  assert.equal(DELETION_BLOCKED.test('Deletion pending: waiting for CAPI to stabilize'), false);
  assert.equal(DELETION_BLOCKED.test('Deletion blocked: 1 child cluster(s) exist: x'), false, 'the hint is part of the message');
});
