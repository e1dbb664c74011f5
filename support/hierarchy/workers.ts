/**
 * A cluster runs exactly the workers its spec asks for: Lattice sets the MachineDeployment's
 * replicas to spec.nodes.workers whenever they differ, down as well as up (lattice-cluster
 * controller.rs:1896-1917 at 1236706e), and Cluster API removes the surplus machines and nodes.
 */
import type { V1Node } from '@kubernetes/client-node';
import type { ClusterClient } from '../kube/index.js';
import { CONTROL_PLANE_LABEL, isNodeReady, isWorkerNode } from '../kube/index.js';
import { waitFor } from '../kube/wait-for.js';

/** Exactly `want` worker nodes, each Ready (a surplus worker, Ready or not, does not count as done). */
export function workersAre(nodes: readonly V1Node[], want: number): boolean {
  const workers = nodes.filter(isWorkerNode);
  return workers.length === want && workers.every(isNodeReady);
}

export function describeWorkerNodes(nodes: readonly V1Node[] | undefined): string {
  if (nodes === undefined) return 'not listed yet';
  const workers = nodes.filter(isWorkerNode);
  return `${workers.length} worker node(s)${workers.length ? `: ${workers.map((n) => `${n.metadata?.name ?? '?'}(${isNodeReady(n) ? 'Ready' : 'NotReady'})`).join(', ')}` : ''}`;
}

/** Waits (watching nodes) until the cluster has exactly `want` workers, all Ready; returns their count. */
export async function waitForExactlyReadyWorkers(client: ClusterClient, want: number, wait: { timeoutMs: number; intervalMs: number; signal?: AbortSignal }): Promise<number> {
  const nodes = await waitFor<V1Node>({
    client, path: '/api/v1/nodes', labelSelector: `!${CONTROL_PLANE_LABEL}`,
    resource: `worker nodes of ${client.name}`, conditionText: `exactly ${want} worker(s), all Ready`,
    timeoutMs: wait.timeoutMs, intervalMs: wait.intervalMs, ...(wait.signal ? { signal: wait.signal } : {}),
    condition: (items) => workersAre(items, want), describe: describeWorkerNodes,
  });
  return nodes.filter(isWorkerNode).length;
}
