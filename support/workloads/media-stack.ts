import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { buildMediaModel, httpCodeOf, mediaCallVerdict, prepareMediaManifests, MEDIA_NAMESPACE, type MediaModel } from '../media/index.js';
import type { ClusterClient } from '../kube/index.js';
import { SuiteError } from '../errors.js';
import type { LatticeObject, ServiceSpelling } from '../versions/service-spelling.js';
import { ensureNamespace } from './namespace.js';
import { applyLatticeObjects } from './lattice-services.js';
import { holdPlatformPolicies } from './platform-permits.js';
import { serviceSpellingOf } from './run-services.js';
import { execInPod, type ExecResult } from './exec.js';
import { podsOf, waitForDeploymentAvailable } from './pods.js';

/** The three media services from the run's version's fixtures, prepared for this run, and what they must give. */
export function loadMediaStack(runId: string, spelling: ServiceSpelling = serviceSpellingOf()): { manifests: LatticeObject[]; model: MediaModel } {
  const manifests = prepareMediaManifests(spelling.loadMediaServices(), runId, MEDIA_NAMESPACE);
  const model = buildMediaModel(manifests.map((m) => spelling.declaredView(m)), { volumeOwnerLabel: spelling.volumeOwnerLabel, expectsWaypoint: spelling.expectsWaypoint(manifests) });
  return { manifests, model };
}

/**
 * Creates the namespace, has the platform hold what the services need permitted (released through
 * `cleanup`), then creates the services.
 */
export async function deployMediaStack(client: ClusterClient, manifests: LatticeObject[], runId: string, cleanup: { push(label: string, dispose: () => Promise<void>): unknown }, log: (l: string) => void, spelling: ServiceSpelling = serviceSpellingOf()): Promise<void> {
  await ensureNamespace(client, MEDIA_NAMESPACE, runId);
  const release = await holdPlatformPolicies(client, spelling.permitsFor(manifests, runId), log);
  cleanup.push(`platform policies of ${MEDIA_NAMESPACE} on ${client.name}`, release);
  await applyLatticeObjects(client, [manifests], log);
}

/** Waits for the namespace's waypoint; fails at once, saying why, where the version gives the namespace none. */
export async function waitForMediaWaypoint(client: ClusterClient, model: MediaModel, wait: { timeoutMs: number; intervalMs: number }): Promise<void> {
  if (!model.expectsWaypoint) throw new SuiteError(`Lattice gives ${MEDIA_NAMESPACE} no waypoint at this version: none of its services has an external endpoint`, 'give a media service an external-service dependency, or drop the waypoint step');
  await waitForDeploymentAvailable(client, MEDIA_NAMESPACE, `${MEDIA_NAMESPACE}-waypoint`, wait);
}

export async function waitForMediaAvailable(client: ClusterClient, services: readonly string[], wait: { timeoutMs: number; intervalMs: number }): Promise<void> {
  await Promise.all(services.map((s) => waitForDeploymentAvailable(client, MEDIA_NAMESPACE, s, wait)));
}

/** Claims in the namespace with their requested sizes. */
export async function listClaims(client: ClusterClient, namespace: string): Promise<Array<{ name: string; size: string; accessModes: string[] }>> {
  const list = await client.core.listNamespacedPersistentVolumeClaim({ namespace });
  return list.items.map((c: V1PersistentVolumeClaim) => ({
    name: c.metadata!.name!, size: String(c.spec?.resources?.requests?.storage ?? ''), accessModes: c.spec?.accessModes ?? [],
  }));
}

/** Node of each service's (newest live) pod. */
export async function nodesOfServices(client: ClusterClient, namespace: string, services: readonly string[]): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const s of services) out[s] = (await podsOf(client, namespace, s)).at(-1)?.spec?.nodeName;
  return out;
}

/** Runs `sh -c <script>` in a service's pod (container `main`). */
export async function execInService(client: ClusterClient, namespace: string, service: string, script: string, timeoutMs = 30_000): Promise<ExecResult> {
  const pod = (await podsOf(client, namespace, service)).at(-1);
  if (!pod) throw new SuiteError(`no pod of ${service} in ${namespace} to run a command in`);
  return execInPod(client, { namespace, pod: pod.metadata!.name!, container: 'main', command: ['sh', '-c', script], timeoutMs });
}

/** Calls a URL from inside a service's pod the way upstream does; `000` when nothing answered; judged by the media rule. */
export async function callFrom(client: ClusterClient, namespace: string, source: string, url: string): Promise<{ code: string; verdict: 'ALLOWED' | 'BLOCKED' }> {
  const r = await execInService(client, namespace, source, `curl -s -o /dev/null -w '%{http_code}' --connect-timeout 5 --max-time 10 '${url.replace(/'/g, '')}' || true`);
  const code = httpCodeOf(r.stdout);
  return { code, verdict: mediaCallVerdict(code) };
}
