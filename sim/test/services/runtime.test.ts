import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveProcessCount } from '../../src/services/index.js';
import { EXPECTED, FRONTENDS, MESH_NS, fixedMesh, lastCodes, nginxService, probeScript, scriptService } from './fixtures.js';
import { applyAll, runningPods, startWorld, until } from './world.js';

test('the fixed mesh runs for real: phases, pods, waypoint, labels, and curl answered by the enforcement point', async (t) => {
  const w = await startWorld({ namespaces: [MESH_NS] });
  t.after(() => w.stop());
  const phases = new Map<string, string[]>();
  const unwatch = w.store.watch('lattice.dev/v1alpha1', 'LatticeService', {}, (e) => {
    const p = e.object.status?.phase;
    const seen = phases.get(e.object.metadata.name) ?? [];
    if (p && seen[seen.length - 1] !== p) phases.set(e.object.metadata.name, [...seen, p]);
  });
  t.after(unwatch);
  applyAll(w.store, fixedMesh((f) => probeScript(Object.keys(EXPECTED[f]), MESH_NS)));

  await until('10 running pods in mesh-test', () => runningPods(w.store, MESH_NS).length >= 10, 15_000, () => runningPods(w.store, MESH_NS).map((p) => p.metadata.name));
  assert.equal(runningPods(w.store, MESH_NS).length, 10);
  for (const s of w.store.list('lattice.dev/v1alpha1', 'LatticeService', { namespace: MESH_NS }).items) {
    assert.equal(s.status.phase, 'Ready', s.metadata.name);
    assert.deepEqual(s.status.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, c.status, c.reason]), [['Ready', 'True', 'ServiceReady']]);
    assert.deepEqual(phases.get(s.metadata.name), ['Compiling', 'Ready'], s.metadata.name);
  }
  const ns = w.store.get('v1', 'Namespace', MESH_NS)!;
  assert.equal(ns.metadata.labels?.['istio.io/dataplane-mode'], 'ambient');
  assert.equal(ns.metadata.labels?.['istio.io/use-waypoint'], 'mesh-test-waypoint');
  assert.equal(runningPods(w.store, MESH_NS, 'gateway.networking.k8s.io/gateway-name=mesh-test-waypoint').length, 1);
  const dep = w.store.get('apps/v1', 'Deployment', 'api-gateway', MESH_NS)!;
  assert.deepEqual([dep.status.replicas, dep.status.readyReplicas, dep.status.availableReplicas], [1, 1, 1]);
  const pod = runningPods(w.store, MESH_NS, 'app.kubernetes.io/name=frontend-web')[0];
  assert.equal(pod.spec.nodeName, 'sim-md-0-0', 'pods land on the worker, not the control plane');
  assert.equal(pod.status.containerStatuses[0].ready, true);

  for (const f of FRONTENDS) {
    const podName = runningPods(w.store, MESH_NS, `app.kubernetes.io/name=${f}`)[0].metadata.name;
    const log = await until(`a full probe round in ${f}'s log`, () => { const l = w.runtime.hooks.podLog(MESH_NS, podName, {}); return l.includes('ROUND') && l; }, 20_000);
    const codes = lastCodes(log);
    for (const [target, allowed] of Object.entries(EXPECTED[f])) {
      const code = codes.get(target);
      if (allowed) assert.equal(code, '200', `${f} -> ${target}`);
      else assert.ok(code === '000' || code === '403', `${f} -> ${target} must be blocked, got ${code}`);
    }
    const tail = w.runtime.hooks.podLog(MESH_NS, podName, { tailLines: 3 });
    assert.equal(tail.trimEnd().split('\n').length, 3);
    assert.throws(() => w.runtime.hooks.podLog(MESH_NS, podName, { container: 'nope' }), /not valid/);
  }
  assert.throws(() => w.runtime.hooks.podLog(MESH_NS, 'nope', {}), (e: { code?: number }) => e.code === 404);
  assert.ok(w.runtime.proxy.counts.allowed > 0 && w.runtime.proxy.counts['dns-failure'] > 0 && w.runtime.proxy.counts.dropped > 0);

  // A followed log gets the log so far, then new lines, and ends when the pod goes.
  const webPod = runningPods(w.store, MESH_NS, 'app.kubernetes.io/name=frontend-web')[0].metadata.name;
  let followed = '';
  let ended = false;
  w.runtime.hooks.podLogFollow(MESH_NS, webPod, {}, (t) => { followed += t; }, () => { ended = true; });
  const rounds = (text: string) => text.split('\n').filter((l) => l.includes('ROUND')).length;
  const startRounds = rounds(followed);
  assert.ok(startRounds > 0, 'the log so far comes first');
  await until('a new probe round in the followed log', () => rounds(followed) > startRounds, 15_000, () => followed.slice(-300));

  // Deleting a LatticeService deletes nothing it compiled: Lattice sets no ownerReferences and its
  // cleanup only drops the service from the graph (lattice-service/src/controller.rs:824-837). Its
  // Deployment, pod and policies stay; the services it called are re-applied without its grant.
  const grantsOfGateway = () => w.store.get('security.istio.io/v1beta1', 'AuthorizationPolicy', 'allow-to-api-gateway', MESH_NS)!.spec.rules[0].from[0].source.principals as string[];
  assert.ok(grantsOfGateway().includes('cluster.local/ns/mesh-test/sa/frontend-web'));
  w.store.delete('lattice.dev/v1alpha1', 'LatticeService', 'frontend-web', MESH_NS);
  await until('allow-to-api-gateway re-applied without frontend-web', () => !grantsOfGateway().includes('cluster.local/ns/mesh-test/sa/frontend-web'), 10_000, grantsOfGateway);
  await w.runtime.settled();
  assert.ok(w.store.get('apps/v1', 'Deployment', 'frontend-web', MESH_NS), 'the Deployment stays');
  assert.ok(w.store.get('cilium.io/v2', 'CiliumNetworkPolicy', 'policy-frontend-web', MESH_NS), 'its policy stays');
  assert.equal(runningPods(w.store, MESH_NS, 'app.kubernetes.io/name=frontend-web').length, 1, 'its pod keeps running');
  assert.equal(ended, false, 'the followed log goes on');
});

test('stopping the runtime leaves no process behind', async () => {
  const w = await startWorld({ namespaces: [MESH_NS] });
  try {
    applyAll(w.store, fixedMesh((f) => probeScript(Object.keys(EXPECTED[f]), MESH_NS)));
    await until('frontends running', () => runningPods(w.store, MESH_NS).length >= 10, 15_000);
    assert.ok(liveProcessCount() >= 3);
  } finally {
    await w.stop();
  }
  await until('all processes gone', () => liveProcessCount() === 0, 5000, () => liveProcessCount());
});

test('a caller stays Compiling until its callee exists; an invalid spec is Failed with ValidationFailed', async (t) => {
  const w = await startWorld({ namespaces: ['deps'] });
  t.after(() => w.stop());
  const get = (n: string) => w.store.get('lattice.dev/v1alpha1', 'LatticeService', n, 'deps');
  w.store.apply(scriptService('caller', 'deps', 'sleep 3600', { callee: { type: 'service' } }));
  const compiling = await until('caller Compiling', () => get('caller')?.status?.phase === 'Compiling' && get('caller'));
  assert.deepEqual(compiling.status.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, c.status, c.reason]), [['Compiling', 'True', 'DependencyCheck']]);
  await w.runtime.settled();
  assert.equal(get('caller')?.status?.phase, 'Compiling', 'still waiting');
  assert.equal(w.store.get('apps/v1', 'Deployment', 'caller', 'deps'), undefined);
  w.store.apply(nginxService('callee', 'deps', { caller: { type: 'service', direction: 'inbound' } }));
  await until('caller Ready', () => get('caller')?.status?.phase === 'Ready');

  const bad = nginxService('bad', 'deps', { data: { type: 'service' } });
  bad.spec.containers.main.volumes = { '/data': { source: '${resources.data}' } };
  w.store.apply(bad);
  const failed = await until('bad Failed', () => get('bad')?.status?.phase === 'Failed' && get('bad'));
  assert.deepEqual(failed.status.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, c.status, c.reason]), [['Ready', 'False', 'ValidationFailed']]);
  assert.match(failed.status.message, /not a volume/);
});
