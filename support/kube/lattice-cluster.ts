/**
 * LatticeCluster (lattice.dev/v1alpha1, cluster-scoped) reads, writes and phase waits.
 * Phases follow lattice-facts §1.2: no status means Pending; Failed only on spec validation errors.
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { SuiteError } from '../errors.js';
import type { ClusterClient } from './clients.js';
import { isNotFound, KubeApiError, withRetry, type RetryOptions } from './retry.js';
import { waitFor, waitForAbsent } from './wait-for.js';

export const LATTICE_GROUP = 'lattice.dev';
export const LATTICE_VERSION = 'v1alpha1';
export const LATTICE_CLUSTERS = 'latticeclusters';
export const LATTICE_CLUSTERS_PATH = `/apis/${LATTICE_GROUP}/${LATTICE_VERSION}/${LATTICE_CLUSTERS}`;
/** Carried by everything the suite creates. */
export const RUN_ID_LABEL = 'lattice-acceptance/run-id';

/** Every phase of both API versions (2026-04 adds Pivoted and Deleting: crd/types.rs:988-1006 at b5d50e90). */
export const CLUSTER_PHASES = ['Pending', 'Provisioning', 'Pivoting', 'Pivoted', 'Ready', 'Deleting', 'Unpivoting', 'Failed'] as const;
export type ClusterPhase = (typeof CLUSTER_PHASES)[number];

export interface ClusterCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface LatticeClusterStatus {
  phase?: ClusterPhase;
  message?: string;
  conditions?: ClusterCondition[];
  pivotComplete?: boolean;
  bootstrapComplete?: boolean;
  unpivotPending?: boolean;
}

export interface LatticeCluster {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: LatticeClusterStatus;
}

/** One observed phase change of a cluster. */
export interface PhaseTransition {
  phase: ClusterPhase;
  at: Date;
  conditions: ClusterCondition[];
  message?: string;
}

export interface CallOptions {
  retry?: RetryOptions;
}

const ids = { group: LATTICE_GROUP, version: LATTICE_VERSION, plural: LATTICE_CLUSTERS };

/** `status.phase`, Pending when there is no status yet. */
export function phaseOf(cluster: LatticeCluster): ClusterPhase {
  return cluster.status?.phase ?? 'Pending';
}

/** One line: `phase=Provisioning conditions=[Provisioning/True/StartingProvisioning] message="..."`. */
export function describeCluster(cluster: LatticeCluster | undefined): string {
  if (!cluster) return 'absent';
  const conds = (cluster.status?.conditions ?? []).map((c) => `${c.type}/${c.status}/${c.reason ?? ''}`).join(',');
  const message = cluster.status?.message ? ` message=${JSON.stringify(cluster.status.message)}` : '';
  const deleting = cluster.metadata.deletionTimestamp ? ' deleting' : '';
  return `phase=${phaseOf(cluster)}${cluster.status ? '' : ' (no status)'} conditions=[${conds}]${message}${deleting}`;
}

/** The cluster, or `undefined` when it does not exist. */
export async function getLatticeCluster(client: ClusterClient, name: string, opts: CallOptions = {}): Promise<LatticeCluster | undefined> {
  try {
    return (await withRetry(`GET latticeclusters/${name}`, () => client.custom.getClusterCustomObject({ ...ids, name }), opts.retry)) as LatticeCluster;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Creates the cluster from a manifest, labelled with the run id. A retried create that finds its own object succeeds. */
export async function createLatticeCluster(
  client: ClusterClient, manifest: LatticeCluster, meta: { runId: string }, opts: CallOptions = {},
): Promise<LatticeCluster> {
  const name = manifest?.metadata?.name;
  if (!name) throw new SuiteError('LatticeCluster manifest has no metadata.name', 'give the fixture a name');
  if (manifest.kind && manifest.kind !== 'LatticeCluster') throw new SuiteError(`manifest ${name} is a ${manifest.kind}, not a LatticeCluster`);
  if (!meta.runId) throw new SuiteError(`createLatticeCluster(${name}): runId is required`);
  const body: LatticeCluster = structuredClone(manifest);
  body.apiVersion = `${LATTICE_GROUP}/${LATTICE_VERSION}`;
  body.kind = 'LatticeCluster';
  body.metadata.labels = { ...(body.metadata.labels ?? {}), [RUN_ID_LABEL]: meta.runId };
  let attempts = 0;
  try {
    return (await withRetry(`POST latticeclusters/${name}`, () => {
      attempts++;
      return client.custom.createClusterCustomObject({ ...ids, body });
    }, opts.retry)) as LatticeCluster;
  } catch (err) {
    // A retry after a lost reply hits its own object: that is success, not a conflict.
    if (attempts > 1 && err instanceof KubeApiError && err.code === 409) {
      const existing = await getLatticeCluster(client, name, opts);
      if (existing?.metadata.labels?.[RUN_ID_LABEL] === meta.runId) return existing;
    }
    throw err;
  }
}

/** Asks for deletion; resolves `false` when the cluster was already gone. */
export async function deleteLatticeCluster(client: ClusterClient, name: string, opts: CallOptions = {}): Promise<boolean> {
  try {
    await withRetry(`DELETE latticeclusters/${name}`, () => client.custom.deleteClusterCustomObject({ ...ids, name }), opts.retry);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** JSON merge patch (RFC 7386), e.g. `{ spec: { nodes: { workers: 3 } } }`. */
export async function patchLatticeCluster(
  client: ClusterClient, name: string, mergePatch: Record<string, unknown>, opts: CallOptions = {},
): Promise<LatticeCluster> {
  return (await withRetry(
    `PATCH latticeclusters/${name}`,
    () => client.custom.patchClusterCustomObject({ ...ids, name, body: mergePatch }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
    opts.retry,
  )) as LatticeCluster;
}

export interface WaitForClusterPhaseInput {
  client: ClusterClient;
  name: string;
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
  /** Told about every phase change, in order (the first observation counts as one). */
  onTransition?: (transition: PhaseTransition) => void;
}

export interface ClusterPhaseResult {
  phase: ClusterPhase;
  cluster: LatticeCluster;
  timeline: PhaseTransition[];
}

/** Waits until the cluster is in one of `phases`; phase Failed ends the wait at once unless listed. */
export async function waitForClusterPhaseAmong(
  input: WaitForClusterPhaseInput & { phases: ClusterPhase[] },
): Promise<ClusterPhaseResult> {
  if (input.phases.length === 0) throw new TypeError('waitForClusterPhaseAmong: phases must not be empty');
  const timeline: PhaseTransition[] = [];
  const record = (cluster: LatticeCluster) => {
    const phase = phaseOf(cluster);
    if (timeline.at(-1)?.phase === phase) return;
    const transition: PhaseTransition = {
      phase, at: new Date(), conditions: structuredClone(cluster.status?.conditions ?? []),
      ...(cluster.status?.message ? { message: cluster.status.message } : {}),
    };
    timeline.push(transition);
    input.onTransition?.(transition);
  };
  const cluster = await waitFor<LatticeCluster>({
    client: input.client,
    path: LATTICE_CLUSTERS_PATH,
    name: input.name,
    resource: `LatticeCluster ${input.name} on ${input.client.name}`,
    conditionText: `phase ${input.phases.join(' or ')}`,
    timeoutMs: input.timeoutMs,
    intervalMs: input.intervalMs,
    signal: input.signal,
    condition: (c) => input.phases.includes(phaseOf(c)),
    failIf: (c) => phaseOf(c) === 'Failed' && !input.phases.includes('Failed')
      ? `phase Failed: ${c.status?.message ?? '(no status.message)'}`
      : undefined,
    describe: describeCluster,
    onChange: record,
  });
  record(cluster);
  return { phase: phaseOf(cluster), cluster, timeline };
}

/** Waits for phase Ready and returns every phase seen on the way, in order. */
export async function watchClusterPhase(input: WaitForClusterPhaseInput): Promise<PhaseTransition[]> {
  return (await waitForClusterPhaseAmong({ ...input, phases: ['Ready'] })).timeline;
}

/** Waits until the cluster object is gone (a failing read does not count as gone). */
export function waitForLatticeClusterAbsent(input: Omit<WaitForClusterPhaseInput, 'onTransition'>): Promise<void> {
  return waitForAbsent<LatticeCluster>({
    client: input.client,
    path: LATTICE_CLUSTERS_PATH,
    name: input.name,
    resource: `LatticeCluster ${input.name} on ${input.client.name}`,
    timeoutMs: input.timeoutMs,
    intervalMs: input.intervalMs,
    signal: input.signal,
    describe: describeCluster,
  });
}
