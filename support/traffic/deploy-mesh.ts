import type { V1Pod } from '@kubernetes/client-node';
import { buildMeshManifests, manifestsByTier, type ProbeTiming } from '../mesh/index.js';
import { withRetry, type ClusterClient } from '../kube/index.js';
import { SuiteError } from '../errors.js';
import type { LatticeObject, ServiceSpelling } from '../versions/service-spelling.js';
import { ensureNamespace } from '../workloads/namespace.js';
import { applyLatticeObjects } from '../workloads/lattice-services.js';
import { holdPlatformPolicies, releaseAtScenarioEnd } from '../workloads/platform-permits.js';
import { waitForReadyPods } from '../workloads/pods.js';
import { failOnFailedServices, waitForServicesReady } from '../workloads/service-phase.js';
import { serviceSpellingOf } from '../workloads/run-services.js';
import type { MeshUnderTest } from './mesh-under-test.js';

export interface DeployMeshInput {
  client: ClusterClient;
  mesh: MeshUnderTest;
  runId: string;
  /** How the Lattice version spells services and what it needs permitted; the current run's when unset. */
  spelling?: ServiceSpelling;
  timing: ProbeTiming;
  pods: { timeoutMs: number; intervalMs: number };
  log: (line: string) => void;
  /** Where the platform policies the mesh needed are released; without it, at the scenario's end. */
  cleanup?: { push(label: string, dispose: () => Promise<void>): unknown };
  /** Ends the wait for the pods early (the run was interrupted). */
  signal?: AbortSignal;
}

/** The policies the platform must hold for these services: what they need to compile, plus the any-caller permits the mesh states. */
export function platformPoliciesFor(spelling: ServiceSpelling, mesh: MeshUnderTest, services: readonly LatticeObject[], runId: string): LatticeObject[] {
  const ns = mesh.declarations.namespace;
  return [
    ...spelling.permitsFor(services, runId),
    ...(mesh.declarations.anyCallerPermitted ?? []).flatMap((svc) => spelling.anyCallerPermit(ns, svc, runId)),
  ];
}

/**
 * Declares the mesh (platform policies first, then externals, then services deepest tier first) and
 * waits until every service's pod, and the namespace's waypoint where Lattice makes one, are Ready.
 * Where the version's services report Ready, that is waited for too. A service Lattice refuses
 * (phase Failed) ends the wait with its message. Returns when ready.
 */
export async function deployMeshAndWait(input: DeployMeshInput): Promise<{ readyAt: Date }> {
  const { client, mesh, log } = input;
  const spelling = input.spelling ?? serviceSpellingOf();
  const ns = mesh.declarations.namespace;
  await ensureNamespace(client, ns, input.runId);
  const manifests = buildMeshManifests({ declarations: mesh.declarations, checks: mesh.checks, runId: input.runId, spelling, timing: input.timing });
  const release = await holdPlatformPolicies(client, platformPoliciesFor(spelling, mesh, manifests.services, input.runId), log);
  const label = `platform policies of ${ns} on ${client.name}`;
  // A blanket permit left behind would open other scenarios' gates: without a stack, the scenario's end releases it.
  if (input.cleanup) input.cleanup.push(label, release); else releaseAtScenarioEnd(label, release);
  if (manifests.externals.length) await applyLatticeObjects(client, [manifests.externals], log);
  await applyLatticeObjects(client, manifestsByTier(manifests, mesh.tiers), log);
  const waypoint = spelling.expectsWaypoint(manifests.services);
  const want = mesh.declarations.services.length + (waypoint ? 1 : 0);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  input.signal?.addEventListener('abort', onAbort, { once: true });
  let pods: V1Pod[];
  try {
    pods = await Promise.race([
      waitForReadyPods(client, ns, { atLeast: want, ...input.pods, signal: stop.signal }),
      failOnFailedServices(client, ns, { intervalMs: input.pods.intervalMs, signal: stop.signal }),
    ]);
  } finally {
    stop.abort();
    input.signal?.removeEventListener('abort', onAbort);
  }
  if (spelling.servicesReportReady) {
    await waitForServicesReady(client, ns, mesh.declarations.services.length, { ...input.pods, ...(input.signal ? { signal: input.signal } : {}) });
  }
  log(`${pods.length} pods Ready in ${ns} (${mesh.declarations.services.length} services${waypoint ? ' + waypoint' : ', no waypoint: no external endpoint'})`);
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
