/**
 * The 2026-04 admission faults of sim/FAULTS.md next to the same requests without them, against a
 * 2026-04 API server (raw HTTPS): the validate.lattice.dev webhook refuses an even control plane
 * (crd/types.rs:685-689) and a changed or removed parentConfig (webhook/validators/cluster.rs:53-68);
 * each fault lets its one thing through and nothing else.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, registerKinds, startApiServer, type ApiServer } from '../../src/apiserver/index.js';
import { setFaults, type FaultName } from '../../src/faults.js';
import { callApi as call } from '../helpers/api-call.js';

const COLLECTION = '/apis/lattice.dev/v1alpha1/latticeclusters';
const DENIED = 'admission webhook "validate.lattice.dev" denied the request: ';
let server: ApiServer;
let n = 0;

before(async () => {
  const store = createStore();
  registerKinds(store, { apiVersion: '2026-04' });
  server = await startApiServer({ store, clusterName: 'e2e-admission' });
});
after(async () => { await server?.stop(); });
afterEach(() => setFaults(new Set()));

/** A LatticeCluster b5d50e90 accepts (a cell: parentConfig set), with `spec` overrides; a fresh name each time. */
const cluster = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name: `e2e-admit-${++n}` },
  spec: {
    providerRef: 'docker', latticeImage: 'ghcr.io/evan-hines-js/lattice:latest',
    provider: { kubernetes: { version: '1.32.0' }, config: { docker: {} } },
    nodes: { controlPlane: { replicas: 1 }, workerPools: { default: { replicas: 1 } } },
    parentConfig: { service: { type: 'LoadBalancer' } },
    ...spec,
  },
});

async function created(spec: Record<string, unknown> = {}): Promise<string> {
  const body = cluster(spec);
  const r = await call(server, 'POST', COLLECTION, body);
  assert.equal(r.code, 201, JSON.stringify(r.body));
  return body.metadata.name;
}

const patch = (name: string, spec: unknown) => call(server, 'PATCH', `${COLLECTION}/${name}`, { spec }, 'application/merge-patch+json');

for (const fault of [undefined, 'even-control-plane-admitted'] as const satisfies readonly (FaultName | undefined)[]) {
  describe(`even-control-plane-admitted ${fault ? 'on' : 'off'}`, () => {
    it(fault ? 'a cluster with 2 control-plane nodes is stored' : 'a cluster with 2 control-plane nodes is refused and not stored', async () => {
      setFaults(new Set(fault ? [fault] : []));
      const body = cluster({ nodes: { controlPlane: { replicas: 2 }, workerPools: { default: { replicas: 1 } } } });
      const r = await call(server, 'POST', COLLECTION, body);
      const stored = await call(server, 'GET', `${COLLECTION}/${body.metadata.name}`);
      if (fault) {
        assert.equal(r.code, 201, JSON.stringify(r.body));
        assert.equal(stored.code, 200);
      } else {
        assert.equal(r.code, 400, JSON.stringify(r.body));
        assert.equal(r.body.message, `${DENIED}control plane count must be odd for HA (1, 3, 5, ...)`);
        assert.equal(stored.code, 404);
      }
      // The fault drops only the odd check: zero control-plane nodes are still refused (types.rs:680-684).
      const none = await call(server, 'POST', COLLECTION, cluster({ nodes: { controlPlane: { replicas: 0 } } }));
      assert.equal(none.body.message, `${DENIED}control plane count must be at least 1`);
    });
  });
}

for (const fault of [undefined, 'parent-config-mutable'] as const satisfies readonly (FaultName | undefined)[]) {
  describe(`parent-config-mutable ${fault ? 'on' : 'off'}`, () => {
    it(fault ? 'a changed parentConfig is stored; its removal is still refused' : 'a changed parentConfig is refused and the old one kept', async () => {
      setFaults(new Set(fault ? [fault] : []));
      const name = await created();
      const changed = await patch(name, { parentConfig: { grpcPort: 50052 } });
      const after = (await call(server, 'GET', `${COLLECTION}/${name}`)).body.spec.parentConfig;
      if (fault) {
        assert.equal(changed.code, 200, JSON.stringify(changed.body));
        assert.equal(after.grpcPort, 50052);
      } else {
        assert.equal(changed.code, 400, JSON.stringify(changed.body));
        assert.equal(changed.body.message, `${DENIED}spec.parentConfig is immutable once set. Delete and recreate the cluster to change parent configuration.`);
        assert.deepEqual(after, { service: { type: 'LoadBalancer' } });
      }
      const removed = await patch(name, { parentConfig: null });
      assert.equal(removed.code, 400, JSON.stringify(removed.body));
      assert.equal(removed.body.message, `${DENIED}spec.parentConfig cannot be removed once set. Delete and recreate the cluster.`);
    });
  });
}
