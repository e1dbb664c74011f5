/**
 * Each worker node carries the label of the worker pool it belongs to: Lattice writes
 * `lattice.dev/pool=<id>` into the kubelet registration of every pool's bootstrap template
 * (b5d50e90 capi/provider/mod.rs:845, :923; docs/LATTICE-2026-04.md §3), so pool-scoped
 * scheduling and the pool's taints can find its nodes.
 */
import type { V1Node } from '@kubernetes/client-node';
import { getLatticeCluster, isWorkerNode, type ClusterClient } from '../kube/index.js';
import { withRetry } from '../kube/retry.js';

export const POOL_LABEL = 'lattice.dev/pool';

/** The worker pool ids the cluster's own LatticeCluster declares (`spec.nodes.workerPools`). */
export function poolIdsOf(spec: Record<string, unknown> | undefined): string[] {
  const nodes = (spec?.nodes ?? {}) as { workerPools?: Record<string, unknown> };
  return Object.keys(nodes.workerPools ?? {}).sort();
}

/** One line per worker whose pool label is missing or names no declared pool; empty when all hold. */
export function poolLabelProblems(nodes: readonly V1Node[], poolIds: readonly string[]): string[] {
  return nodes.filter(isWorkerNode).flatMap((n) => {
    const name = n.metadata?.name ?? '?';
    const pool = n.metadata?.labels?.[POOL_LABEL];
    if (pool === undefined) return [`${name} has no ${POOL_LABEL} label`];
    return poolIds.includes(pool) ? [] : [`${name} has ${POOL_LABEL}=${pool}, not one of the declared pools (${poolIds.join(', ') || 'none'})`];
  });
}

export interface PoolLabelReport { cluster: string; pools: string[]; workers: string[]; problems: string[] }

/** Reads the cluster's own spec and its nodes and judges every worker's pool label. */
export async function readPoolLabels(client: ClusterClient, cluster: string): Promise<PoolLabelReport> {
  const own = await getLatticeCluster(client, cluster);
  const pools = poolIdsOf(own?.spec as Record<string, unknown> | undefined);
  const nodes = (await withRetry('LIST nodes', () => client.core.listNode())).items;
  const workers = nodes.filter(isWorkerNode).map((n) => `${n.metadata?.name ?? '?'}(${n.metadata?.labels?.[POOL_LABEL] ?? 'no pool label'})`);
  return { cluster, pools, workers, problems: poolLabelProblems(nodes, pools) };
}
