import { buildMeshManifests, manifestsByTier, type ProbeTiming } from '../mesh/index.js';
import type { ClusterClient } from '../kube/index.js';
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
  return { readyAt: new Date() };
}
