import type { PhaseTransition } from '../kube/index.js';
import type { ClusterContext } from '../run/cluster-registry.js';
import type { ClusterRole } from '../run/roles.js';
import type { HierarchyDeps } from './deps.js';
import { createChildAndWait } from './create-child.js';
import { installManagementAndWait } from './install.js';
import { removeClusterAndChildren } from './teardown.js';
import { SuiteError } from '../errors.js';
import { loadClusterFixture } from '../fixtures/index.js';
import { waitForExactlyReadyWorkers } from './workers.js';
import { clientOf } from './cluster-ref.js';
import { scaleWorkersOnOwnCopy } from './independence.js';

/** Reuses the run's management cluster when it was made from the same fixture; else makes it anew. */
export async function ensureManagement(deps: HierarchyDeps, fixturePath: string): Promise<{ ctx: ClusterContext; reused: boolean }> {
  const existing = deps.run.clusters.get('management');
  // A management cluster whose install failed has no kubeconfig: it is made anew, not reused.
  if (existing && existing.fixturePath === fixturePath && existing.kubeconfigPath) {
    deps.log(`reusing the management cluster ${existing.name} of this run`);
    return { ctx: existing, reused: true };
  }
  await clearRole(deps, 'management');
  return { ctx: await installManagementAndWait(deps, fixturePath), reused: false };
}

export interface EnsureChildInput {
  role: ClusterRole;
  parentRole: ClusterRole;
  fixturePath: string;
  version?: string;
  /** Workers it must run (scaled on its own copy after creation); the fixture's count when absent. */
  workers?: number;
  /** Always create anew (a scenario that must observe the creation itself). */
  fresh?: boolean;
  onTransition?: (t: PhaseTransition) => void;
}

/** Reuses a live child of the same fixture, version and parent unless `fresh`; else creates it. */
export async function ensureChild(deps: HierarchyDeps, input: EnsureChildInput): Promise<{ ctx: ClusterContext; reused: boolean }> {
  const existing = deps.run.clusters.get(input.role);
  const parent = deps.run.clusters.get(input.parentRole);
  if (!parent) throw new SuiteError(`the ${input.role} cluster needs a live ${input.parentRole} cluster first`);
  const version = input.version;
  const fixtureWorkers = loadClusterFixture(input.fixturePath).workers;
  const want = input.workers ?? fixtureWorkers;
  if (!input.fresh && existing && existing.fixturePath === input.fixturePath && existing.parentRole === input.parentRole
      && (version === undefined || existing.version === version) && (existing.workers ?? fixtureWorkers) <= want) {
    deps.log(`reusing the ${input.role} cluster ${existing.name} of this run`);
    if ((existing.workers ?? fixtureWorkers) < want) await scaleWorkersAndWait(deps, existing, want);
    return { ctx: existing, reused: true };
  }
  await clearRole(deps, input.role);
  const ctx = await createChildAndWait(deps, input);
  if (want !== fixtureWorkers) await scaleWorkersAndWait(deps, ctx, want);
  return { ctx, reused: false };
}

/** Scales the cluster's workers on its own copy and waits until that many are Ready. */
async function scaleWorkersAndWait(deps: HierarchyDeps, ctx: ClusterContext, workers: number): Promise<void> {
  await scaleWorkersOnOwnCopy(deps, ctx.role, workers);
  ctx.workers = workers;
  await waitForExactlyReadyWorkers(clientOf(ctx), workers, deps.run.config.waits.workerScaling);
}

async function clearRole(deps: HierarchyDeps, role: ClusterRole): Promise<void> {
  // Orphans of a destroyed parent go too: names would collide otherwise.
  const roles: ClusterRole[] = role === 'management' ? ['workload2', 'workload', 'management'] : role === 'workload' ? ['workload2', 'workload'] : ['workload2'];
  const failures: string[] = [];
  for (const r of roles) failures.push(...await removeClusterAndChildren(deps, r));
  if (failures.length) throw new SuiteError(`could not clear the way for a new ${role} cluster: ${failures.join('; ')}`);
}
