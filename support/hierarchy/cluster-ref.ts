import { loadClusterFixture } from '../fixtures/index.js';
import { openCluster, type ClusterClient } from '../kube/index.js';
import type { ClusterContext } from '../run/cluster-registry.js';
import type { RunContext } from '../run/run-context.js';
import type { ClusterRef, Provider } from '../providers/types.js';

/** The provider's view of a registered cluster. */
export function refOf(run: RunContext, ctx: ClusterContext): ClusterRef {
  const fixture = loadClusterFixture(ctx.fixturePath);
  const parent = ctx.parentRole ? run.clusters.record(ctx.parentRole) : undefined;
  return {
    name: ctx.name,
    provider: fixture.provider,
    bootstrap: fixture.bootstrap,
    ...(parent?.kubeconfigPath ? { parentKubeconfig: parent.kubeconfigPath } : {}),
    ...(ctx.kubeconfigPath ? { kubeconfig: ctx.kubeconfigPath } : {}),
  };
}

export function providerOf(run: RunContext, ctx: ClusterContext): Provider {
  return run.providerFor(loadClusterFixture(ctx.fixturePath).provider);
}

/** A client on the cluster's own API; it must have a kubeconfig by now. */
export function clientOf(ctx: ClusterContext): ClusterClient {
  if (!ctx.kubeconfigPath) throw new Error(`the ${ctx.role} cluster ${ctx.name} has no kubeconfig yet`);
  return openCluster(ctx.kubeconfigPath, ctx.name);
}
