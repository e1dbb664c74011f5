import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCluster } from '../../../support/kube/clients.js';
import { failOnFailedServices, waitForServicesReady } from '../../../support/workloads/service-phase.js';
import { startFakeApiServer } from '../../helpers/fake-apiserver.js';

const NS = 'mesh-rules';
const SERVICES = `/apis/lattice.dev/v1alpha1/namespaces/${NS}/latticeservices`;
const svc = (name: string, phase?: string, message?: string) => ({ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService', metadata: { name, namespace: NS }, spec: {}, ...(phase ? { status: { phase, ...(message ? { message } : {}) } } : {}) });
const DENIAL = 'MeshMember failed: Cedar policy denied allows_all (wildcard inbound) for mesh-rules/catalog; add a permit policy for Action::"AllowWildcard" on Mesh::"inbound"';

test('the services\' start line: all Ready passes; a Failed one ends the wait at once with Lattice\'s message; too few Ready times out naming who waits', async (t) => {
  const server = await startFakeApiServer(t);
  server.ensureCollection(SERVICES);
  const client = openCluster(await server.writeKubeconfig('workload'));
  server.put(SERVICES, svc('web', 'Ready'));
  server.put(SERVICES, svc('catalog', 'Compiling'));
  const wait = { timeoutMs: 1500, intervalMs: 20 };
  await assert.rejects(waitForServicesReady(client, NS, 2, wait), /LatticeServices in mesh-rules on workload.*1\/2 Ready; catalog=Compiling/s);
  server.put(SERVICES, svc('catalog', 'Ready'));
  await waitForServicesReady(client, NS, 2, wait);
  server.put(SERVICES, svc('catalog', 'Failed', DENIAL));
  const started = Date.now();
  await assert.rejects(waitForServicesReady(client, NS, 2, { timeoutMs: 60_000, intervalMs: 20 }), (e: Error) => e.message.includes(`Lattice refused LatticeService mesh-rules/catalog: ${DENIAL}`));
  assert.ok(Date.now() - started < 10_000, 'at once, not at the timeout');
});

test('the pods\' wait is cut short by a Failed service, and the watcher stops quietly when aborted', async (t) => {
  const server = await startFakeApiServer(t);
  server.ensureCollection(SERVICES);
  const client = openCluster(await server.writeKubeconfig('workload'));
  server.put(SERVICES, svc('web', 'Ready'));
  const quiet = new AbortController();
  const watching = failOnFailedServices(client, NS, { intervalMs: 20, signal: quiet.signal });
  let settled = false;
  void watching.then(() => { settled = true; }, () => { settled = true; });
  await new Promise((r) => setTimeout(r, 200));
  quiet.abort();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(settled, false, 'no Failed service, no rejection');
  server.put(SERVICES, svc('catalog', 'Failed', DENIAL));
  await assert.rejects(failOnFailedServices(client, NS, { intervalMs: 20, signal: new AbortController().signal }), /Lattice refused 1 LatticeService\(s\) in mesh-rules on workload: catalog: MeshMember failed/);
});
