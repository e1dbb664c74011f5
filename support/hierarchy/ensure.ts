import type { PhaseTransition } from '../kube/index.js';
import type { ClusterContext } from '../run/cluster-registry.js';
import type { ClusterRole } from '../run/roles.js';
import type { HierarchyDeps } from './deps.js';
import { createChildAndWait } from './create-child.js';
import { installManagementAndWait } from './install.js';
import { removeClusterAndChildren } from './teardown.js';
import { SuiteError } from '../errors.js';

/** Reuses the run's management cluster when it was made from the same fixture; else makes it anew. */
export async function ensureManagement(deps: HierarchyDeps, fixturePath: string): Promise<{ ctx: ClusterContext; reused: boolean }> {
  const existing = deps.run.clusters.get('management');
  if (existing && existing.fixturePath === fixturePath) {
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
  if (!input.fresh && existing && existing.fixturePath === input.fixturePath && existing.parentRole === input.parentRole
      && (version === undefined || existing.version === version)) {
    deps.log(`reusing the ${input.role} cluster ${existing.name} of this run`);
    return { ctx: existing, reused: true };
  }
  await clearRole(deps, input.role);
  return { ctx: await createChildAndWait(deps, input), reused: false };
}

async function clearRole(deps: HierarchyDeps, role: ClusterRole): Promise<void> {
  // Orphans of a destroyed parent go too: names would collide otherwise.
  const roles: ClusterRole[] = role === 'management' ? ['workload2', 'workload', 'management'] : role === 'workload' ? ['workload2', 'workload'] : ['workload2'];
  const failures: string[] = [];
  for (const r of roles) failures.push(...await removeClusterAndChildren(deps, r));
  if (failures.length) throw new SuiteError(`could not clear the way for a new ${role} cluster: ${failures.join('; ')}`);
}
