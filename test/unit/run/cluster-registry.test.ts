import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterRegistry } from '../../../support/run/cluster-registry.js';

const ctx = (role: 'management' | 'workload' | 'workload2', name: string) => ({ role, name, fixturePath: `/f/${name}.yaml`, version: '1.32.0', timeline: [], state: 'live' as const });

test('live clusters come children first; gone and destroyed ones are not live', () => {
  const r = new ClusterRegistry();
  r.add(ctx('management', 'm'));
  r.add(ctx('workload', 'w'));
  r.add(ctx('workload2', 'w2'));
  assert.deepEqual(r.liveLeafFirst().map((c) => c.name), ['w2', 'w', 'm']);
  r.mark('workload2', 'gone');
  r.mark('management', 'destroyed');
  assert.deepEqual(r.liveLeafFirst().map((c) => c.name), ['w']);
  assert.equal(r.get('management'), undefined);
  assert.equal(r.record('management')?.state, 'destroyed');
  assert.throws(() => r.require('workload2'), /no live workload2 cluster/);
  assert.equal(r.all().length, 3);
});
