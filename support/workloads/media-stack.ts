import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { loadServiceFixture, serviceFixturePath, SERVICE_FIXTURE_NAMES } from '../fixtures/index.js';
import { buildMediaModel, httpCodeOf, mediaCallVerdict, prepareMediaManifests, MEDIA_NAMESPACE, type MediaModel } from '../media/index.js';
import type { LatticeServiceManifest } from '../mesh/index.js';
import type { ClusterClient } from '../kube/index.js';
import { SuiteError } from '../errors.js';
import { ensureNamespace } from './namespace.js';
import { applyLatticeObjects } from './lattice-services.js';
import { execInPod, type ExecResult } from './exec.js';
import { podsOf, waitForDeploymentAvailable } from './pods.js';

/** The three media services from their fixtures, prepared for this run. */
export function loadMediaStack(runId: string): { manifests: LatticeServiceManifest[]; model: MediaModel } {
  const raw = SERVICE_FIXTURE_NAMES.map((n) => loadServiceFixture(serviceFixturePath(n)).manifest as unknown as LatticeServiceManifest);
  const manifests = prepareMediaManifests(raw, runId, MEDIA_NAMESPACE);
  return { manifests, model: buildMediaModel(manifests) };
}

export async function deployMediaStack(client: ClusterClient, manifests: LatticeServiceManifest[], runId: string, log: (l: string) => void): Promise<void> {
  await ensureNamespace(client, MEDIA_NAMESPACE, runId);
  await applyLatticeObjects(client, [manifests], log);
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
