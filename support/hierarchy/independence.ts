import { getJson, getLatticeCluster, patchLatticeCluster } from '../kube/index.js';
import type { ClusterRole } from '../run/roles.js';
import type { HierarchyDeps } from './deps.js';
import { clientOf, providerOf, refOf } from './cluster-ref.js';

/** Abruptly removes a cluster's machines (the spec's `docker rm -f`), with no chance to clean up. */
export async function destroyInfrastructure(deps: HierarchyDeps, role: ClusterRole): Promise<void> {
  const { run, log } = deps;
  const ctx = run.clusters.require(role);
  const provider = providerOf(run, ctx);
  log(`destroying the infrastructure of ${ctx.name} through ${provider.name}`);
  await provider.destroyInfrastructure(refOf(run, ctx));
  run.clusters.mark(role, 'destroyed');
  await provider.infrastructureGone(refOf(run, ctx), run.config.waits.infrastructureGone.timeoutMs);
}

/** Whether the cluster's API answers `/version` within a few seconds. */
export async function apiAnswers(deps: HierarchyDeps, role: ClusterRole): Promise<{ answers: boolean; detail: string }> {
  const ctx = deps.run.clusters.record(role);
  if (!ctx?.kubeconfigPath) return { answers: false, detail: `no kubeconfig for the ${role} cluster` };
  try {
    const v = await getJson<{ gitVersion?: string }>(clientOf(ctx), { path: '/version', timeoutMs: 5_000 });
    return { answers: true, detail: `answers, version ${v.gitVersion ?? '?'}` };
  } catch (err) {
    return { answers: false, detail: (err as Error).message.split('\n')[0]! };
  }
}

/** Changes the worker count on the cluster's own copy of its LatticeCluster. */
export async function scaleWorkersOnOwnCopy(deps: HierarchyDeps, role: ClusterRole, workers: number): Promise<void> {
  const ctx = deps.run.clusters.require(role);
  const clusters = deps.run.spelling.clusters;
  // The patch depends on the spec's shape (2026-04: the first pool takes the difference), read from the own copy.
  const own = await getLatticeCluster(clientOf(ctx), ctx.name);
  const spec = own?.spec ?? {};
  deps.log(`patching ${ctx.name}'s own LatticeCluster: ${clusters.describeScale(spec, workers)}`);
  await patchLatticeCluster(clientOf(ctx), ctx.name, clusters.scaleWorkersPatch(spec, workers));
  ctx.workers = workers;
}
