/**
 * Worker nodes as the spec counts them (lattice-facts §2.5): nodes without the control-plane
 * role label whose Ready condition is True.
 */
import type { V1Node } from '@kubernetes/client-node';
import type { ClusterClient } from './clients.js';
import { withRetry, type RetryOptions } from './retry.js';
import { waitFor } from './wait-for.js';

export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';
const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const WORKER_SELECTOR = `!${CONTROL_PLANE_LABEL}`;

export interface NodeSummary {
  name: string;
  roles: string[];
  ready: boolean;
  kubeletVersion: string;
}

export function isNodeReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function isWorkerNode(node: V1Node): boolean {
  return !(CONTROL_PLANE_LABEL in (node.metadata?.labels ?? {}));
}

/** Ready workers among `nodes` (pure: the wait and the count share it). */
export function readyWorkers(nodes: V1Node[]): V1Node[] {
  return nodes.filter((n) => isWorkerNode(n) && isNodeReady(n));
}

export async function countReadyWorkers(client: ClusterClient, opts: { retry?: RetryOptions } = {}): Promise<number> {
  const list = await withRetry('LIST nodes', () => client.core.listNode({ labelSelector: WORKER_SELECTOR }), opts.retry);
  return readyWorkers(list.items).length;
}

export interface WaitForReadyWorkersInput {
  atLeast: number;
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
}

/** Resolves with the number of Ready workers once it is at least `atLeast`. */
export async function waitForReadyWorkers(client: ClusterClient, input: WaitForReadyWorkersInput): Promise<number> {
  const nodes = await waitFor<V1Node>({
    client,
    path: '/api/v1/nodes',
    labelSelector: WORKER_SELECTOR,
    resource: `worker nodes of ${client.name}`,
    conditionText: `at least ${input.atLeast} Ready`,
    timeoutMs: input.timeoutMs,
    intervalMs: input.intervalMs,
    signal: input.signal,
    condition: (items) => readyWorkers(items).length >= input.atLeast,
    describe: (items) => items === undefined ? 'not listed yet' : describeWorkers(items),
  });
  return readyWorkers(nodes).length;
}

function describeWorkers(nodes: V1Node[]): string {
  const workers = nodes.filter(isWorkerNode);
  const ready = readyWorkers(workers).length;
  const names = workers.map((n) => `${n.metadata?.name ?? '?'}(${isNodeReady(n) ? 'Ready' : 'NotReady'})`).join(', ');
  return `${ready}/${workers.length} workers Ready${names ? `: ${names}` : ''}`;
}

export function summarizeNode(node: V1Node): NodeSummary {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((l) => l.startsWith(NODE_ROLE_PREFIX))
    .map((l) => l.slice(NODE_ROLE_PREFIX.length))
    .filter(Boolean)
    .sort();
  return {
    name: node.metadata?.name ?? '?',
    roles: roles.length ? roles : ['worker'],
    ready: isNodeReady(node),
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? '?',
  };
}

/** Every node, summarised for logs. */
export async function listNodesSummary(client: ClusterClient, opts: { retry?: RetryOptions } = {}): Promise<NodeSummary[]> {
  const list = await withRetry('LIST nodes', () => client.core.listNode(), opts.retry);
  return list.items.map(summarizeNode).sort((a, b) => a.name.localeCompare(b.name));
}
