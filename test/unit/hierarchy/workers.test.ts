import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { describeWorkerNodes, workersAre } from '../../../support/hierarchy/workers.js';

const node = (name: string, ready: boolean, controlPlane = false): V1Node => ({
  metadata: { name, labels: controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('workers are as asked only with exactly that many worker nodes, all Ready', () => {
  const cp = node('cp', true, true);
  assert.equal(workersAre([cp, node('a', true)], 1), true);
  // Scaled down to 1: a second worker still present is not done yet, Ready or not (an "at least" check passed here).
  assert.equal(workersAre([cp, node('a', true), node('b', true)], 1), false);
  assert.equal(workersAre([cp, node('a', true), node('b', false)], 1), false);
  // Scaled up to 2: the second worker must be Ready too.
  assert.equal(workersAre([cp, node('a', true), node('b', false)], 2), false);
  assert.equal(workersAre([cp, node('a', true), node('b', true)], 2), true);
  assert.equal(workersAre([cp], 0), true);
  assert.equal(describeWorkerNodes([cp, node('a', true), node('b', false)]), '2 worker node(s): a(Ready), b(NotReady)');
  assert.equal(describeWorkerNodes(undefined), 'not listed yet');
});
