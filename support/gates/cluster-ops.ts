/**
 * What the gate scenarios do to a cluster and read from it: deploy the services, give and withdraw
 * consent, wait for a LatticeService's verdict, look at its pods and call from them.
 */
import { PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { isNotFound, waitFor, withRetry, type ClusterClient } from '../kube/index.js';
import { pause } from '../kube/retry.js';
import { WaitTimeoutError } from '../errors.js';
import { callFrom, execInService } from '../workloads/media-stack.js';
import { ensureNamespace } from '../workloads/namespace.js';
import { podsOf, waitForReadyPods } from '../workloads/pods.js';
import { POLICY_NAMESPACE, type LatticeObject } from './lattice-service.js';
import type { Verdict } from './evidence.js';

export interface Wait { timeoutMs: number; intervalMs: number; signal?: AbortSignal }

const PLURALS: Record<string, string> = { LatticeService: 'latticeservices', CedarPolicy: 'cedarpolicies' };

function plural(obj: LatticeObject): string {
  const p = PLURALS[obj.kind];
  if (!p) throw new Error(`the gate scenarios do not create ${obj.kind} objects`);
  return p;
}

/** Creates the object, or replaces the spec of one that exists (a re-run of a kept cluster). */
export async function applyObject(client: ClusterClient, obj: LatticeObject): Promise<void> {
  const ref = { group: 'lattice.dev', version: 'v1alpha1', namespace: obj.metadata.namespace, plural: plural(obj) };
  try {
    await withRetry(`POST ${ref.plural}/${obj.metadata.name}`, () => client.custom.createNamespacedCustomObject({ ...ref, body: obj }));
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
    await patchObject(client, obj, { metadata: { labels: obj.metadata.labels }, spec: obj.spec });
  }
}

export async function patchObject(client: ClusterClient, obj: Pick<LatticeObject, 'kind' | 'metadata'>, body: Record<string, unknown>): Promise<void> {
  await withRetry(`PATCH ${plural(obj as LatticeObject)}/${obj.metadata.name}`, () => client.custom.patchNamespacedCustomObject({
    group: 'lattice.dev', version: 'v1alpha1', namespace: obj.metadata.namespace, plural: plural(obj as LatticeObject), name: obj.metadata.name, body,
  }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)));
}

/** Deletes the object; one already gone is fine. */
export async function deleteObject(client: ClusterClient, obj: Pick<LatticeObject, 'kind' | 'metadata'>): Promise<void> {
  try {
    await withRetry(`DELETE ${plural(obj as LatticeObject)}/${obj.metadata.name}`, () => client.custom.deleteNamespacedCustomObject({
      group: 'lattice.dev', version: 'v1alpha1', namespace: obj.metadata.namespace, plural: plural(obj as LatticeObject), name: obj.metadata.name,
    }));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** The namespace (labelled with the run id) and its services, in order. */
export async function deployServices(client: ClusterClient, namespace: string, services: readonly LatticeObject[], runId: string): Promise<void> {
  await ensureNamespace(client, namespace, runId);
  for (const svc of services) await applyObject(client, svc);
}

/** The policy namespace exists on every 2026-04 cluster (the operator runs there); the permit goes in it. */
export const policyNamespace = POLICY_NAMESPACE;

interface ServiceStatusView { metadata?: { name?: string }; status?: { phase?: string; message?: string } }

/**
 * Waits until the LatticeService reports `phase`; `unlessPhase` gives up at once when it reports
 * that instead (a gate that opens without consent, or stays shut with it).
 */
export async function waitForServiceVerdict(client: ClusterClient, input: { namespace: string; name: string; phase: 'Ready' | 'Failed'; unlessPhase?: string; wait: Wait }): Promise<Verdict> {
  const svc = await waitFor<ServiceStatusView>({
    client, path: `/apis/lattice.dev/v1alpha1/namespaces/${input.namespace}/latticeservices`, name: input.name,
    resource: `LatticeService ${input.namespace}/${input.name} on ${client.name}`, conditionText: `phase ${input.phase}`,
    ...input.wait,
    condition: (s) => s.status?.phase === input.phase,
    ...(input.unlessPhase ? { failIf: (s: ServiceStatusView) => (s.status?.phase === input.unlessPhase ? `it is ${input.unlessPhase}: ${s.status?.message ?? ''}` : undefined) } : {}),
    describe: (s) => (s ? `phase ${s.status?.phase ?? '(none)'}${s.status?.message ? `: ${s.status.message}` : ''}` : 'absent'),
  });
  return { phase: svc.status?.phase ?? '', message: svc.status?.message ?? '', at: new Date().toISOString() };
}

export function podsOfService(client: ClusterClient, namespace: string, service: string): Promise<V1Pod[]> {
  return podsOf(client, namespace, service);
}

/**
 * Waits until the service has at least one pod, running or not: its spec is what Lattice compiled
 * (a node without AppArmor may refuse to run Lattice's RuntimeDefault profile; upstream's Docker
 * fixtures add `apparmorProfile: Unconfined` for that, helpers/cedar.rs:287-304).
 */
export function waitForServicePodSpecs(client: ClusterClient, namespace: string, service: string, wait: Wait): Promise<V1Pod[]> {
  return waitFor<V1Pod>({
    client, path: `/api/v1/namespaces/${namespace}/pods`, labelSelector: `app.kubernetes.io/name=${service}`,
    resource: `pods of ${namespace}/${service} on ${client.name}`, conditionText: 'at least one', ...wait,
    condition: (items) => items.length > 0,
    describe: (items) => (items ? `${items.length} pod(s)` : 'not listed yet'),
  });
}

export function waitForServicePods(client: ClusterClient, namespace: string, service: string, wait: Wait): Promise<V1Pod[]> {
  return waitForReadyPods(client, namespace, { atLeast: 1, labelSelector: `app.kubernetes.io/name=${service}`, ...wait });
}

/** One call from a pod of `source`; judged as the media checks judge (2xx-5xx but 403 answered = ALLOWED). */
export function callOnce(client: ClusterClient, namespace: string, source: string, url: string) {
  return callFrom(client, namespace, source, url);
}

/**
 * Calls until the call gets through (policy may take a moment to reach the data path after the
 * service says Ready); fails naming the last HTTP code when it never does.
 */
export async function callUntilAllowed(client: ClusterClient, input: { namespace: string; source: string; url: string; wait: Wait }): Promise<string> {
  const deadline = Date.now() + input.wait.timeoutMs;
  let last = '';
  for (;;) {
    const r = await callFrom(client, input.namespace, input.source, input.url);
    if (r.verdict === 'ALLOWED') return r.code;
    last = r.code;
    if (Date.now() >= deadline) throw new WaitTimeoutError(`calls from ${input.source} in ${input.namespace} on ${client.name} to ${input.url}`, 'let through', `HTTP ${last}`, input.wait.timeoutMs);
    await pause(input.wait.intervalMs, input.wait.signal);
  }
}

/** Writes `marker` to `path` in a pod of `writer` and reads it back from a pod of `reader`. */
export async function writeThenRead(client: ClusterClient, input: { namespace: string; writer: string; reader: string; path: string; marker: string }): Promise<{ written: number; read: string }> {
  const w = await execInService(client, input.namespace, input.writer, `echo '${input.marker}' > '${input.path}'`);
  const r = await execInService(client, input.namespace, input.reader, `cat '${input.path}' 2>/dev/null || true`);
  return { written: w.exitCode, read: r.stdout.trim() };
}
