/**
 * LatticeService status as Lattice 1236706e writes it (lattice-service/src/controller.rs:857-916):
 * no Pending write, then Compiling and Ready, with phase, message, one condition and lastCompiledAt
 * only. observedGeneration and resolvedDependencies are declared (crd/service.rs:1210-1214) but never
 * written, also not after a spec change (the Ready branch :639-675 recompiles without a status write).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/apiserver/types.js';
import { externalService, nginxService } from './fixtures.js';
import { startWorld, until } from './world.js';

const UPSTREAM_STATUS_KEYS = ['conditions', 'lastCompiledAt', 'message', 'phase'];
const conds = (o: KubeObject | undefined) => (o?.status?.conditions ?? []).map((c: { type: string; status: string; reason: string; message: string }) => [c.type, c.status, c.reason, c.message]);

test('a LatticeService gets Compiling then Ready, and never observedGeneration or resolvedDependencies', async (t) => {
  const w = await startWorld({ namespaces: ['st'] });
  t.after(() => w.stop());
  const get = (n: string) => w.store.get('lattice.dev/v1alpha1', 'LatticeService', n, 'st');
  const writes: Array<Record<string, unknown>> = [];
  const unwatch = w.store.watch('lattice.dev/v1alpha1', 'LatticeService', { namespace: 'st' }, (e) => { if (e.object.status) writes.push(e.object.status); });
  t.after(unwatch);

  w.store.apply(nginxService('callee', 'st', { caller: { type: 'service', direction: 'inbound' } }));
  w.store.apply(nginxService('caller', 'st', { callee: { type: 'service' } }));
  await until('caller and callee Ready', () => get('caller')?.status?.phase === 'Ready' && get('callee')?.status?.phase === 'Ready', 15_000,
    () => [get('caller')?.status, get('callee')?.status]);

  const ready = get('caller')!;
  assert.deepEqual(Object.keys(ready.status).sort(), UPSTREAM_STATUS_KEYS, 'only the fields upstream writes');
  assert.equal(ready.status.message, 'Service is operational');
  assert.deepEqual(conds(ready), [['Ready', 'True', 'ServiceReady', 'All dependencies resolved']]);
  assert.ok(!writes.some((s) => s.phase === 'Pending'), 'Pending is never written (no status counts as Pending)');
  const compiling = writes.find((s) => s.phase === 'Compiling');
  assert.equal(compiling?.message, 'Compiling service dependencies');

  // A changed declaration bumps the generation; the status is not rewritten and has no observedGeneration.
  const before = JSON.stringify(ready.status);
  w.store.mergePatch('lattice.dev/v1alpha1', 'LatticeService', 'caller', 'st', { spec: { replicas: { min: 2 } } });
  assert.equal(get('caller')!.metadata.generation, 2);
  await until('the changed declaration compiled (2 replicas)', () => w.store.get('apps/v1', 'Deployment', 'caller', 'st')?.spec?.replicas === 2, 10_000,
    () => w.store.get('apps/v1', 'Deployment', 'caller', 'st')?.spec);
  await w.runtime.settled();
  assert.equal(JSON.stringify(get('caller')!.status), before, 'Ready status unchanged by a spec change');
  for (const s of writes) {
    assert.equal(s.observedGeneration, undefined, `no write carries observedGeneration: ${JSON.stringify(s)}`);
    assert.equal(s.resolvedDependencies, undefined, `no write carries resolvedDependencies: ${JSON.stringify(s)}`);
  }
});

test('a LatticeExternalService gets the upstream Ready message and condition', async (t) => {
  const w = await startWorld({ namespaces: ['st'] });
  t.after(() => w.stop());
  w.store.apply(externalService('api', 'st', 'https://httpbin.org', ['*']));
  const get = () => w.store.get('lattice.dev/v1alpha1', 'LatticeExternalService', 'api', 'st');
  await until('external service Ready', () => get()?.status?.phase === 'Ready', 10_000, () => get()?.status);
  assert.equal(get()!.status.message, 'External service is configured');
  assert.deepEqual(conds(get()), [['Ready', 'True', 'EndpointsConfigured', 'All endpoints are configured']]);
});

test('a Failed LatticeService stays Failed after its spec is fixed (upstream only requeues it)', async (t) => {
  const w = await startWorld({ namespaces: ['st'] });
  t.after(() => w.stop());
  const get = (n: string) => w.store.get('lattice.dev/v1alpha1', 'LatticeService', n, 'st');
  w.store.apply(nginxService('bad', 'st', {}));
  w.store.mergePatch('lattice.dev/v1alpha1', 'LatticeService', 'bad', 'st', { spec: { containers: { main: { volumes: { '/data': { source: '${resources.nope}' } } } } } });
  await until('bad Failed', () => get('bad')?.status?.phase === 'Failed', 10_000, () => get('bad')?.status);
  w.store.mergePatch('lattice.dev/v1alpha1', 'LatticeService', 'bad', 'st', { spec: { containers: { main: { volumes: null } } } });
  // A service declared after the fix reaching Ready shows the controller has handled the fix.
  w.store.apply(nginxService('later', 'st', {}));
  await until('later Ready', () => get('later')?.status?.phase === 'Ready', 15_000, () => get('later')?.status);
  assert.equal(get('bad')?.status?.phase, 'Failed');
  assert.equal(w.store.get('apps/v1', 'Deployment', 'bad', 'st'), undefined, 'nothing compiled for it');
});
