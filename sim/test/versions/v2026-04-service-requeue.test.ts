/**
 * When a 2026-04 LatticeService is reconciled again (svc/controller.rs:50-52, :846-852, :1083-1110,
 * :1151; controller_runner.rs:530-600, :904-911): its own mesh member becoming Ready does not wake it
 * (affected_neighbors drops the service itself), so it turns Ready on its REQUEUE_PENDING (5 s, 0.5 s
 * in the target); a compiled Deployment deleted behind its back is not watched (no `.owns`) and is put
 * back on the Ready requeue (60 s, 6 s).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { until, type World } from '../services/world.js';
import { API, E2E_BASELINE, container, phaseOf, service, startWorld2026_04 } from '../services/world-2026-04.js';

const NS = 'requeue';
let w: World;

before(async () => {
  w = await startWorld2026_04({ namespaces: [NS] });
  for (const p of E2E_BASELINE) w.store.create(p);
});
after(async () => { await w?.stop(); });

const phase = (kind: string, name: string) => phaseOf(w.store, kind, NS, name);

test('a service turns Ready on its own requeue, not when its mesh member does', async () => {
  const readyAt: Record<string, number> = {};
  const stop = w.store.watch(API, 'LatticeMeshMember', { namespace: NS }, (e) => {
    if (e.object.metadata.name === 'solo' && e.object.status?.phase === 'Ready') readyAt.member ??= Date.now();
  });
  const stopSvc = w.store.watch(API, 'LatticeService', { namespace: NS }, (e) => {
    if (e.object.metadata.name === 'solo' && e.object.status?.phase === 'Ready') readyAt.service ??= Date.now();
  });
  try {
    w.store.create(service('solo', NS, { containers: { main: container() } }));
    await until('solo Ready', () => readyAt.service, 10_000, () => phase('LatticeService', 'solo'));
  } finally { stop(); stopSvc(); }
  assert.ok(readyAt.member !== undefined && readyAt.member <= readyAt.service!);
  const gap = readyAt.service! - readyAt.member!;
  assert.ok(gap >= 250 && gap <= 1_500, `Ready ${gap} ms after its member: on REQUEUE_PENDING (500 ms), not on the member's watch event`);
});

test('a compiled Deployment deleted behind the controller is put back on the Ready requeue, not at once', async () => {
  await until('solo Deployment', () => w.store.get('apps/v1', 'Deployment', 'solo', NS), 10_000);
  const t0 = Date.now();
  w.store.delete('apps/v1', 'Deployment', 'solo', NS);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(w.store.get('apps/v1', 'Deployment', 'solo', NS), undefined, 'not put back through a watch');
  await until('solo Deployment back', () => w.store.get('apps/v1', 'Deployment', 'solo', NS), 8_000);
  assert.ok(Date.now() - t0 <= 6_000 + 1_000, `back after ${Date.now() - t0} ms`);
});
