import { test } from 'node:test';
import { setSpeed } from '../../src/clock.js';
import assert from 'node:assert/strict';
import type { FaultName } from '../../src/faults.js';
import type { RollProgress } from '../../src/services/index.js';
import { EXPECTED, FRONTENDS, MESH_NS, fixedMesh, lastRoundCodes, probeScript, roundCount } from './fixtures.js';
import { applyAll, runningPods, startWorld, until, type World } from './world.js';

// A node roll takes 8 s of target time (clock.ts): these tests play rolls at the speed the suite asks for.
setSpeed(8);

async function meshWorld(faults: FaultName[]): Promise<World> {
  const w = await startWorld({ workers: 2, namespaces: [MESH_NS], faults });
  applyAll(w.store, fixedMesh((f) => probeScript(Object.keys(EXPECTED[f]), MESH_NS)));
  await until('10 running pods', () => runningPods(w.store, MESH_NS).length >= 10, 15_000);
  return w;
}

/** Samples every frontend's decisions until stopped; returns wrongly allowed and total samples. */
function sampleTraffic(w: World) {
  const wrong: string[] = [];
  let samples = 0;
  let dropped = 0;
  const iv = setInterval(() => {
    for (const f of FRONTENDS) {
      const pod = runningPods(w.store, MESH_NS, `app.kubernetes.io/name=${f}`)[0];
      if (!pod) continue;
      for (const [target, allowed] of Object.entries(EXPECTED[f])) {
        let verdict: string;
        try { verdict = w.runtime.decideFor(MESH_NS, pod.metadata.name, `${target}.${MESH_NS}.svc.cluster.local`, 80).verdict; } catch { continue; }
        samples++;
        if (verdict === 'allowed' && !allowed) wrong.push(`${f}->${target}`);
        if (verdict !== 'allowed' && allowed) dropped++;
      }
    }
  }, 5);
  return { stop: () => { clearInterval(iv); return { wrong, samples, dropped }; } };
}

/** Every `<target>: 200` line any frontend ever logged for a target it must not reach. */
function wronglyAllowedInLogs(w: World): string[] {
  const out: string[] = [];
  for (const f of FRONTENDS) {
    for (const pod of runningPods(w.store, MESH_NS, `app.kubernetes.io/name=${f}`)) {
      for (const line of w.runtime.hooks.podLog(MESH_NS, pod.metadata.name, {}).split('\n')) {
        const m = /^([\w-]+): (\d{3})$/.exec(line);
        if (m && m[2] === '200' && !EXPECTED[f][m[1]]) out.push(`${f}: ${line}`);
      }
    }
  }
  return out;
}

test('a rolling upgrade replaces nodes one at a time and never opens enforcement', async (t) => {
  const w = await meshWorld([]);
  t.after(() => w.stop());
  const progress: RollProgress[] = [];
  const sampler = sampleTraffic(w);
  const result = await w.runtime.rollNodes({ toVersion: '1.32.0', onProgress: (p) => progress.push(p) });
  await until('10 running pods after the roll', () => runningPods(w.store, MESH_NS).length >= 10, 15_000);
  const { wrong, samples } = sampler.stop();
  assert.deepEqual(result, { completed: true, rolled: ['sim-control-plane', 'sim-md-0-0', 'sim-md-0-1'] });
  assert.ok(samples > 100, `traffic was sampled throughout (${samples})`);
  assert.deepEqual(wrong, [], 'nothing wrongly allowed while nodes rolled');
  assert.deepEqual(wronglyAllowedInLogs(w), []);
  // One node at a time: each node is cordoned, drained and replaced before the next starts.
  assert.deepEqual(progress.map((p) => `${p.index}/${p.total} ${p.node} ${p.step}`), [
    '1/3 sim-control-plane cordoned', '1/3 sim-control-plane drained', '1/3 sim-control-plane replaced',
    '2/3 sim-md-0-0 cordoned', '2/3 sim-md-0-0 drained', '2/3 sim-md-0-0 replaced',
    '3/3 sim-md-0-1 cordoned', '3/3 sim-md-0-1 drained', '3/3 sim-md-0-1 replaced',
  ]);
  for (const n of w.store.list('v1', 'Node').items) {
    assert.equal(n.status.nodeInfo.kubeletVersion, 'v1.32.0', n.metadata.name);
    assert.ok(n.status.conditions.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));
    assert.ok(!n.spec?.unschedulable, `${n.metadata.name} uncordoned`);
  }
  // Traffic is back to the bilateral verdicts on the new nodes.
  for (const f of FRONTENDS) {
    const pod = runningPods(w.store, MESH_NS, `app.kubernetes.io/name=${f}`)[0];
    const start = roundCount(w.runtime.hooks.podLog(MESH_NS, pod.metadata.name, {}));
    const log = await until(`two rounds of ${f} after the roll`, () => { const l = w.runtime.hooks.podLog(MESH_NS, pod.metadata.name, {}); return roundCount(l) >= start + 2 && l; }, 15_000);
    const codes = lastRoundCodes(log);
    for (const [target, allowed] of Object.entries(EXPECTED[f])) assert.equal(codes.get(target) === '200', allowed, `${f} -> ${target}: ${codes.get(target)}`);
  }
  assert.deepEqual(await w.runtime.rollNodes({ toVersion: 'v1.32.0' }), { completed: true, rolled: [] }, 'nothing left to roll');
});

test('fault enforcement-open-during-roll: blocked traffic gets through while a node rolls', async (t) => {
  const w = await meshWorld(['enforcement-open-during-roll']);
  t.after(() => w.stop());
  const sampler = sampleTraffic(w);
  await w.runtime.rollNodes({ toVersion: '1.32.0' });
  const { wrong } = sampler.stop();
  assert.ok(wrong.length > 0, 'some blocked pair was allowed during the roll');
  // Once the roll is over, enforcement is back.
  const pod = runningPods(w.store, MESH_NS, 'app.kubernetes.io/name=frontend-web')[0];
  assert.notEqual(w.runtime.decideFor(MESH_NS, pod.metadata.name, `db-users.${MESH_NS}.svc.cluster.local`, 80).verdict, 'allowed');
});

test('fault upgrade-stalls: the roll stops on its first node, cordoned, at the old version', async (t) => {
  const w = await meshWorld(['upgrade-stalls']);
  t.after(() => w.stop());
  const result = await w.runtime.rollNodes({ toVersion: '1.32.0' });
  assert.deepEqual(result, { completed: false, rolled: [], stalledOn: 'sim-control-plane' });
  const nodes = w.store.list('v1', 'Node').items;
  assert.ok(nodes.every((n) => n.status.nodeInfo.kubeletVersion === 'v1.31.0'));
  assert.equal(w.store.get('v1', 'Node', 'sim-control-plane')!.spec.unschedulable, true);
});
