import type { V1Pod } from '@kubernetes/client-node';
import { buildMeshManifests, manifestsByTier, type ProbeTiming } from '../mesh/index.js';
import { withRetry, type ClusterClient } from '../kube/index.js';
import { SuiteError } from '../errors.js';
import { ensureNamespace } from '../workloads/namespace.js';
import { applyLatticeObjects } from '../workloads/lattice-services.js';
import { waitForReadyPods } from '../workloads/pods.js';
import type { MeshUnderTest } from './mesh-under-test.js';

export interface DeployMeshInput {
  client: ClusterClient;
  mesh: MeshUnderTest;
  runId: string;
  timing: ProbeTiming;
  pods: { timeoutMs: number; intervalMs: number };
  log: (line: string) => void;
  /** Ends the wait for the pods early (the run was interrupted). */
  signal?: AbortSignal;
}

/**
 * Declares the mesh (externals first, then services deepest tier first) and waits until every
 * service's pod and the namespace's waypoint are Ready. Returns when that happened.
 */
export async function deployMeshAndWait(input: DeployMeshInput): Promise<{ readyAt: Date }> {
  const { client, mesh, log } = input;
  const ns = mesh.declarations.namespace;
  await ensureNamespace(client, ns, input.runId);
  const manifests = buildMeshManifests({ declarations: mesh.declarations, checks: mesh.checks, runId: input.runId, timing: input.timing });
  if (manifests.externals.length) await applyLatticeObjects(client, [manifests.externals], log);
  await applyLatticeObjects(client, manifestsByTier(manifests, mesh.tiers), log);
  const want = mesh.declarations.services.length + 1; // every service plus the waypoint
  const pods = await waitForReadyPods(client, ns, { atLeast: want, ...input.pods, ...(input.signal ? { signal: input.signal } : {}) });
  log(`${pods.length} pods Ready in ${ns} (${mesh.declarations.services.length} services + waypoint)`);
  const listed = await withRetry(`LIST pods in ${ns}`, () => client.core.listNamespacedPod({ namespace: ns }));
  const wrong = servicesWithoutOnePod(listed.items, mesh.declarations.services.map((s) => s.name));
  if (wrong.length) {
    throw new SuiteError(`in ${ns} on ${client.name} a LatticeService without replicas runs other than one pod: ${wrong.map((w) => `${w.service} has ${w.pods}`).join(', ')}`,
      'Lattice gives a LatticeService without `replicas` one replica (lattice-common crd/service.rs:609-618)');
  }
  return { readyAt: new Date() };
}

/** Services (by pod label app.kubernetes.io/name, workload/mod.rs:117) whose pods, terminating ones aside, are not exactly one. */
export function servicesWithoutOnePod(pods: readonly V1Pod[], services: readonly string[]): Array<{ service: string; pods: number }> {
  const count = new Map(services.map((s) => [s, 0]));
  for (const p of pods) {
    const name = p.metadata?.labels?.['app.kubernetes.io/name'];
    if (name !== undefined && count.has(name) && !p.metadata?.deletionTimestamp) count.set(name, count.get(name)! + 1);
  }
  return [...count].filter(([, n]) => n !== 1).map(([service, n]) => ({ service, pods: n }));
}
