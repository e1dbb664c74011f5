/**
 * Each 2026-04 cluster-lifecycle fault of sim/FAULTS.md next to the same run without it: the fault
 * changes what an observer of the cluster APIs sees, the run without it shows upstream's behaviour.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectStore } from '../../src/apiserver/types.js';
import { DURATIONS, setSpeed, simulate } from '../../src/clock.js';
import { setFaults, type FaultName } from '../../src/faults.js';
import { CAPI, LC, LC_API, newHarness, storeOf, waitForGone, waitForPhase, waitUntil, workerNodes, type Harness } from '../lifecycle/harness.js';
import { cluster0404, install0404 } from '../lifecycle/v2026-04.js';

// A node roll takes 8 s of target time (clock.ts): these tests play rolls at the speed the suite asks for.
setSpeed(8);

let h: Harness | undefined;
afterEach(async () => { setFaults(new Set()); await h?.dispose(); h = undefined; });

/** A 2026-04 parent `p` (with parentConfig) and, with `fault` set from then on, its child `c`. */
async function parentAndChild(fault: FaultName | undefined, childParent = false): Promise<{ parent: ObjectStore; hh: Harness }> {
  const hh = newHarness();
  h = hh;
  const parent = await install0404(hh, cluster0404('p', { default: 1 }, { parent: true }));
  setFaults(new Set(fault ? [fault] : []));
  parent.create(cluster0404('c', { default: 1 }, { parent: childParent }));
  return { parent, hh };
}

const phaseOf = (s: ObjectStore, n: string) => s.get(LC_API, LC, n)?.status?.phase;

for (const fault of [undefined, 'parent-copy-reports-ready'] as const) {
  describe(`parent-copy-reports-ready ${fault ? 'on' : 'off'}`, () => {
    it(fault ? 'the parent\'s copy of a pivoted child says Ready' : 'the parent\'s copy says Pivoted', async () => {
      const { parent } = await parentAndChild(fault);
      await waitUntil(parent, LC_API, LC, () => ['Pivoted', 'Ready'].includes(phaseOf(parent, 'c')), 'the child is pivoted');
      assert.equal(phaseOf(parent, 'c'), fault ? 'Ready' : 'Pivoted');
    });
  });
}

for (const fault of [undefined, 'pivot-copies-not-moves'] as const) {
  describe(`pivot-copies-not-moves ${fault ? 'on' : 'off'}`, () => {
    it(fault ? 'the parent keeps the child\'s CAPI objects after the pivot' : 'the parent holds none of them', async () => {
      const { parent } = await parentAndChild(fault);
      await waitForPhase(parent, 'c', 'Pivoted');
      const left = parent.list(CAPI, 'MachineDeployment', { namespace: 'capi-c' }).items.map((o) => o.metadata.name);
      assert.deepEqual(left, fault ? ['c-pool-default'] : []);
      assert.equal(!!parent.get(CAPI, 'Cluster', 'c', 'capi-c'), !!fault);
    });
  });
}

for (const fault of [undefined, 'pool-label-missing'] as const) {
  describe(`pool-label-missing ${fault ? 'on' : 'off'}`, () => {
    it(fault ? 'the child\'s workers lack lattice.dev/pool' : 'the child\'s workers carry lattice.dev/pool=default', async () => {
      const { parent, hh } = await parentAndChild(fault);
      await waitForPhase(parent, 'c', 'Pivoted');
      const child = storeOf(hh, 'c');
      await waitUntil(child, 'v1', 'Node', () => workerNodes(child).length === 1, 'the child\'s worker is Ready');
      assert.deepEqual(workerNodes(child).map((n) => n.metadata.labels?.['lattice.dev/pool']), [fault ? undefined : 'default']);
    });
  });
}

for (const fault of [undefined, 'deletion-not-blocked-by-children'] as const) {
  describe(`deletion-not-blocked-by-children ${fault ? 'on' : 'off'}`, () => {
    it(fault ? 'a cell with a child goes Unpivoting' : 'a cell with a child holds with "Deletion blocked"', async () => {
      const { parent, hh } = await parentAndChild(fault, true);
      await waitForPhase(parent, 'c', 'Pivoted');
      const cell = storeOf(hh, 'c');
      await waitForPhase(cell, 'c', 'Ready');
      await waitUntil(cell, 'v1', 'Node', () => workerNodes(cell).length === 1, 'the cell\'s worker is Ready');
      // A grandchild whose name sorts first, so the cell's agent does not unpivot the cell regardless.
      cell.create(cluster0404('a-gc', { w: 1 }));
      await waitForPhase(cell, 'a-gc', 'Pivoted');
      cell.delete(LC_API, LC, 'c');
      await waitUntil(cell, LC_API, LC, () => phaseOf(cell, 'c') === 'Unpivoting' || /^Deletion blocked/.test(cell.get(LC_API, LC, 'c')?.status?.message ?? ''), 'the cell answers the deletion');
      await simulate(DURATIONS.machineBoot * 3);
      if (fault) {
        assert.equal(phaseOf(cell, 'c'), 'Unpivoting');
      } else {
        assert.equal(phaseOf(cell, 'c'), 'Ready');
        assert.equal(cell.get(LC_API, LC, 'c')?.status?.message, 'Deletion blocked: 1 child cluster(s) exist: a-gc. Delete children first or remove finalizer for break-glass.');
        assert.equal(hh.infra.isAlive('c'), true, 'the cell still runs');
      }
    });
  });
}

for (const fault of [undefined, 'parent-delete-leaves-infrastructure'] as const) {
  describe(`parent-delete-leaves-infrastructure ${fault ? 'on' : 'off'}`, () => {
    it(fault ? 'deleting a pivoted child on its parent leaves its machines running' : 'deleting it removes the child\'s machines', async () => {
      const { parent, hh } = await parentAndChild(undefined);
      await waitForPhase(parent, 'c', 'Pivoted');
      const child = storeOf(hh, 'c');
      await waitUntil(child, 'v1', 'Node', () => workerNodes(child).length === 1, 'the child\'s worker is Ready');
      setFaults(new Set(fault ? [fault] : []));
      parent.delete(LC_API, LC, 'c');
      await waitForGone(parent, LC_API, LC, 'c');
      await simulate(DURATIONS.machineBoot * 2);
      assert.equal(hh.infra.has('c'), !!fault);
      if (fault) assert.equal(hh.infra.isAlive('c'), true, 'the child\'s API still answers');
    });
  });
}

// upgrade-stalls (a 2026-01 fault of sim/FAULTS.md) acts on the 2026-04 rollout too: the coordinator
// moves the upgrade faults to 2026-04 when deviation D1 goes.
for (const fault of [undefined, 'upgrade-stalls'] as const) {
  describe(`upgrade-stalls at 2026-04 ${fault ? 'on' : 'off'}`, () => {
    it(fault ? 'the control-plane node stays cordoned, the pools keep the old version, status.version stays' : 'the upgrade completes', async () => {
      const hh = newHarness();
      h = hh;
      const m = await install0404(hh, cluster0404('m', { default: 1 }));
      await waitUntil(m, LC_API, LC, () => m.get(LC_API, LC, 'm')?.status?.version === 'v1.32.0', 'status.version v1.32.0');
      setFaults(new Set(fault ? [fault] : []));
      m.mergePatch(LC_API, LC, 'm', undefined, { spec: { provider: { kubernetes: { version: '1.33.0' } } } });
      const cp = () => m.list('v1', 'Node', { labelSelector: 'node-role.kubernetes.io/control-plane' }).items[0];
      if (fault) {
        await waitUntil(m, 'v1', 'Node', () => cp()?.spec?.unschedulable === true, 'the control-plane node cordoned');
        await simulate(DURATIONS.nodeRoll * 4);
        assert.equal(m.get(CAPI, 'MachineDeployment', 'm-pool-default', 'capi-m')?.spec?.template?.spec?.version, 'v1.32.0');
        assert.equal(m.get(LC_API, LC, 'm')?.status?.version, 'v1.32.0');
      } else {
        await waitUntil(m, LC_API, LC, () => m.get(LC_API, LC, 'm')?.status?.version === 'v1.33.0', 'status.version v1.33.0');
        await waitUntil(m, 'v1', 'Node', () => m.list('v1', 'Node').items.every((n) => n.status?.nodeInfo?.kubeletVersion === 'v1.33.0' && !n.spec?.unschedulable), 'every node at v1.33.0');
      }
    });
  });
}
