/**
 * The named waits and their defaults. `real` figures come from upstream Lattice's e2e suite
 * (lattice-facts §2-§4, §8); `embedded` ones are short because the simulated target answers in
 * well under a second and a hung wait should fail fast there.
 */
import type { Target, WaitName, WaitSpec } from './types.js';

const s = (seconds: number): number => Math.round(seconds * 1000);
const w = (timeoutS: number, intervalS: number): WaitSpec => ({ timeoutMs: s(timeoutS), intervalMs: s(intervalS) });

/** Each wait's env suffix (LATTICE_TIMEOUT_<suffix>, LATTICE_POLL_<suffix>) and what it bounds. */
export const WAIT_NAMES: Readonly<Record<WaitName, { envSuffix: string; purpose: string }>> = {
  clusterPhase: { envSuffix: 'CLUSTER_PHASE', purpose: 'a LatticeCluster reaching a phase (Ready) as seen by its parent' },
  install: { envSuffix: 'INSTALL', purpose: "the management cluster's own LatticeCluster Ready once lattice install returns" },
  workerScaling: { envSuffix: 'WORKER_SCALING', purpose: 'enough Ready worker nodes' },
  deletion: { envSuffix: 'DELETION', purpose: 'a deleted child disappearing from its parent (unpivot)' },
  infrastructureGone: { envSuffix: 'INFRASTRUCTURE_GONE', purpose: "a deleted cluster's machines/containers being gone" },
  deployments: { envSuffix: 'DEPLOYMENTS', purpose: 'a Deployment becoming available (media services)' },
  meshPods: { envSuffix: 'MESH_PODS', purpose: 'fixed-mesh pods (9 + waypoint) Running' },
  randomMeshPods: { envSuffix: 'RANDOM_MESH_PODS', purpose: 'random-mesh pods (services + waypoint) Running' },
  meshVerdicts: { envSuffix: 'MESH_VERDICTS', purpose: 'traffic generators logging a verdict for every expected edge' },
  waypoint: { envSuffix: 'WAYPOINT', purpose: 'the namespace waypoint Deployment available' },
  upgrade: { envSuffix: 'UPGRADE', purpose: 'every node running the new kubelet and Ready' },
};

export const WAIT_ORDER = Object.keys(WAIT_NAMES) as WaitName[];

const REAL: Record<WaitName, WaitSpec> = {
  clusterPhase: w(1800, 10),
  install: w(600, 10),
  workerScaling: w(600, 15),
  deletion: w(600, 10),
  infrastructureGone: w(150, 5),
  deployments: w(300, 5),
  meshPods: w(300, 10),
  randomMeshPods: w(600, 15),
  meshVerdicts: w(180, 10),
  waypoint: w(120, 5),
  upgrade: w(1800, 30),
};

const EMBEDDED: Record<WaitName, WaitSpec> = {
  clusterPhase: w(60, 0.2),
  install: w(60, 0.2),
  workerScaling: w(60, 0.2),
  deletion: w(60, 0.2),
  infrastructureGone: w(30, 0.2),
  deployments: w(30, 0.2),
  meshPods: w(30, 0.2),
  randomMeshPods: w(60, 0.2),
  meshVerdicts: w(60, 0.25),
  waypoint: w(30, 0.2),
  upgrade: w(120, 0.5),
};

export function defaultWaits(target: Target): Record<WaitName, WaitSpec> {
  const table = target === 'real' ? REAL : EMBEDDED;
  return Object.fromEntries(WAIT_ORDER.map((n) => [n, { ...table[n] }])) as Record<WaitName, WaitSpec>;
}

export const DEFAULT_KUBECONFIG_EXTRACTION: Readonly<Record<Target, { attempts: number; intervalMs: number }>> = {
  real: { attempts: 60, intervalMs: s(5) },
  embedded: { attempts: 20, intervalMs: s(0.25) },
};

/** One CLI call: the spec's whole pivot test runs within 3600 s, install is the longest part. */
export const DEFAULT_CLI_TIMEOUT_MS: Readonly<Record<Target, number>> = { real: s(3600), embedded: s(300) };

export const timeoutVar = (name: WaitName): string => `LATTICE_TIMEOUT_${WAIT_NAMES[name].envSuffix}`;
export const pollVar = (name: WaitName): string => `LATTICE_POLL_${WAIT_NAMES[name].envSuffix}`;
