import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { roleFromName, namePatterns } from '../../../support/providers/docker/cluster-containers.js';

describe('CAPD container names', () => {
  it('gives each CAPD and kind name its role', () => {
    assert.equal(roleFromName('e2e-workload', 'e2e-workload-lb'), 'external-load-balancer');
    assert.equal(roleFromName('e2e-workload', '/e2e-workload-control-plane-x7k2p'), 'control-plane');
    assert.equal(roleFromName('e2e-workload', 'e2e-workload-md-0-5d8f9-abcde'), 'worker');
    assert.equal(roleFromName('lattice-bootstrap', 'lattice-bootstrap-control-plane'), 'control-plane');
  });

  it('never takes e2e-workload2 containers for e2e-workload ones (the unanchored filter\'s trap)', () => {
    for (const n of ['e2e-workload2-lb', 'e2e-workload2-control-plane-abc12', 'e2e-workload2-md-0-5d8f9-abcde']) {
      assert.equal(roleFromName('e2e-workload', n), undefined, n);
      assert.notEqual(roleFromName('e2e-workload2', n), undefined, n);
    }
    assert.equal(roleFromName('e2e-workload', 'e2e-workload-lb-old'), undefined);
    assert.equal(roleFromName('e2e-workload', 'x-e2e-workload-lb'), undefined);
  });

  it('escapes regex characters in cluster names', () => {
    assert.equal(namePatterns('a.b').worker.test('/aXb-md-0-x-y'), false);
    assert.equal(namePatterns('a.b').worker.test('/a.b-md-0-x-y'), true);
  });

  const clusterName = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(?:-[a-z0-9]{1,5}){0,2}$/);
  const suffix = fc.stringMatching(/^[a-z0-9]{5}$/);

  it('property: a cluster\'s own names always match with the right role; another cluster\'s never do unless its name extends ours with "-"', () => {
    fc.assert(fc.property(clusterName, clusterName, suffix, (a, b, s) => {
      const own = { [`${a}-lb`]: 'external-load-balancer', [`${a}-control-plane-${s}`]: 'control-plane', [`${a}-md-0-${s}-${s}`]: 'worker' } as const;
      for (const [n, role] of Object.entries(own)) assert.equal(roleFromName(a, n), role);
      if (a === b || b.startsWith(`${a}-`)) return;
      for (const n of [`${b}-lb`, `${b}-control-plane-${s}`, `${b}-md-0-${s}-${s}`]) assert.equal(roleFromName(a, n), undefined, `${n} is not ${a}'s`);
    }), { numRuns: 500 });
  });
});
