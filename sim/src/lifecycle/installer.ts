/**
 * What `lattice install` and `lattice uninstall` do (lattice-facts §3), played against the
 * simulated infrastructure: a kind bootstrap cluster provisions the management cluster, which then
 * takes its own CAPI objects (self-pivot); uninstall moves them to a kind cluster that deletes it.
 */
import type { KubeObject } from '../apiserver/types.js';
import { DURATIONS, simulate } from '../clock.js';
import { faultOn } from '../faults.js';
import type { ClusterHost } from './cluster-host.js';
import type { Infrastructure } from './infrastructure.js';
import type { ApiVersion } from '../versions/index.js';
import { infraProviderFor } from '../versions/v2026-04/infra-provider.js';
import { bootstrapClusterName, uninstallClusterName } from '../versions/v2026-04/lifecycle/bootstrap-name.js';
import { exportCapi, importCapi, deleteMovedCapi } from './move.js';
import {
  BOOTSTRAP_CLUSTER, CAPI_API, CELL_SERVICE, CLUSTER_NAME_LABEL, DEFAULT_IMAGE, LATTICE_API, LATTICE_CLUSTER_KIND,
  LATTICE_SYSTEM, OPERATOR_DEPLOYMENT, UNINSTALL_CLUSTER, capiControllers, capiNamespace, kubeconfigSecretName,
  type BootstrapType,
} from './names.js';
import { ensureDeployment, ensureNamespace, readyDeployment, secret, secretValue } from './objects.js';
import { shapeOf } from './spec.js';
import { waitForObject } from './waits.js';

export class InstallError extends Error {}

export interface InstallInput {
  infra: Infrastructure;
  /** The LatticeCluster manifest of the management cluster. */
  cluster: KubeObject;
  image?: string;
  bootstrap?: BootstrapType;
  keepBootstrapOnFailure?: boolean;
  /** Docker config JSON for the operator image pulls. */
  registryCredentials?: string;
  /** Cloud credentials from the installer's environment (AWS_*, PROXMOX_*). */
  env?: Record<string, string | undefined>;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** Bound of each wait (default 120 s). */
  timeoutMs?: number;
  /** The Lattice API version the new management cluster (and its children) serve. */
  apiVersion?: ApiVersion;
  /** 2026-04: `--run-id` / LATTICE_RUN_ID, naming the kind cluster `lattice-bootstrap-<runId>`. */
  latticeRunId?: string;
}

export interface InstallResult { name: string; kubeconfig: string }

function credentialSecrets(env: Record<string, string | undefined>): KubeObject[] {
  const out: KubeObject[] = [];
  const labels = { 'lattice.io/distribute': 'true' };
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    out.push(secret(LATTICE_SYSTEM, 'aws-credentials', {
      AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_REGION ? { AWS_REGION: env.AWS_REGION } : {}), ...(env.AWS_SESSION_TOKEN ? { AWS_SESSION_TOKEN: env.AWS_SESSION_TOKEN } : {}),
    }, labels));
  }
  if (env.PROXMOX_URL && env.PROXMOX_TOKEN && env.PROXMOX_SECRET) {
    out.push(secret(LATTICE_SYSTEM, 'proxmox-credentials', { url: env.PROXMOX_URL, token: env.PROXMOX_TOKEN, secret: env.PROXMOX_SECRET }, labels));
  }
  return out;
}

export async function install(i: InstallInput): Promise<InstallResult> {
  const name = i.cluster.metadata?.name;
  if (!name) throw new InstallError('cluster config has no metadata.name');
  if (i.infra.has(name)) throw new InstallError(`a cluster named ${name} already exists (remove it first: lattice-sim destroy ${name})`);
  const cluster: KubeObject = structuredClone(i.cluster);
  delete cluster.status;
  cluster.metadata = { name, ...(cluster.metadata.labels ? { labels: cluster.metadata.labels } : {}), ...(cluster.metadata.annotations ? { annotations: cluster.metadata.annotations } : {}) };
  if (i.bootstrap) {
    cluster.spec ??= {};
    cluster.spec.provider ??= {};
    cluster.spec.provider.kubernetes = { ...(cluster.spec.provider.kubernetes ?? {}), bootstrap: i.bootstrap };
  }
  const shape = shapeOf(cluster);
  const timeoutMs = i.timeoutMs ?? 120_000;
  const wait = { timeoutMs, signal: i.signal };

  const bootstrapName = i.apiVersion === '2026-04' ? bootstrapClusterName(i.latticeRunId) : BOOTSTRAP_CLUSTER;
  i.log(`Creating bootstrap cluster "${bootstrapName}"...`);
  const boot = await i.infra.createKindCluster(bootstrapName, [], cluster.metadata.labels ?? {}, i.apiVersion);
  try {
    ensureNamespace(boot.store, LATTICE_SYSTEM);
    for (const s of credentialSecrets(i.env ?? {})) { boot.store.apply(s); i.log(`Created credentials secret ${LATTICE_SYSTEM}/${s.metadata.name}`); }
    if (i.registryCredentials) boot.store.apply(secret(LATTICE_SYSTEM, 'lattice-registry', { '.dockerconfigjson': i.registryCredentials }, undefined, 'kubernetes.io/dockerconfigjson'));

    i.log(`Installing Lattice operator on the bootstrap cluster (image ${i.image ?? DEFAULT_IMAGE})...`);
    ensureDeployment(boot.store, readyDeployment(LATTICE_SYSTEM, OPERATOR_DEPLOYMENT, i.image ?? DEFAULT_IMAGE, {
      LATTICE_BOOTSTRAP_CLUSTER: 'true', LATTICE_ROOT_INSTALL: 'true', LATTICE_PROVIDER: shape.provider,
    }));
    await simulate(DURATIONS.providerInstall, i.signal);
    i.log('Lattice operator is running; CAPI CRDs installed');

    // 2026-04: the InfraProvider named by providerRef, before the cluster that needs it (install.rs:885-1044).
    const infraProvider = i.apiVersion === '2026-04' ? infraProviderFor(cluster, shape.provider) : undefined;
    if (infraProvider) { boot.store.apply(infraProvider); i.log(`Created InfraProvider '${infraProvider.metadata.name}'`); }

    i.log(`Applying LatticeCluster "${name}" to the bootstrap cluster...`);
    ensureNamespace(boot.store, capiNamespace(name));
    boot.store.apply({
      apiVersion: 'addons.cluster.x-k8s.io/v1beta2', kind: 'ClusterResourceSet',
      metadata: { name: `${name}-bootstrap`, namespace: capiNamespace(name) },
      spec: { clusterSelector: { matchLabels: { [CLUSTER_NAME_LABEL]: name } }, resources: [{ kind: 'Secret', name: `${name}-bootstrap-manifests` }] },
    });
    boot.store.create(cluster);

    i.log(`Waiting for cluster "${name}" to be provisioned (phase Pivoting or Ready)...`);
    await waitForObject({
      store: boot.store, apiVersion: LATTICE_API, kind: LATTICE_CLUSTER_KIND, name, ...wait,
      until: (o) => ['Pivoting', 'Ready'].includes(o?.status?.phase),
      failIf: (o) => (o?.status?.phase === 'Failed' ? `cluster ${name} failed: ${o.status.message ?? 'no message'}` : undefined),
      what: 'reach phase Pivoting or Ready',
    });
    const sec = await waitForObject({
      store: boot.store, apiVersion: 'v1', kind: 'Secret', name: kubeconfigSecretName(name), namespace: capiNamespace(name), ...wait,
      until: (o) => !!secretValue(o, 'value'), what: 'hold the kubeconfig',
    });
    const kubeconfig = secretValue(sec, 'value')!;
    const target = i.infra.host(name);
    if (!target) throw new InstallError(`cluster ${name} reports provisioned but its API does not answer`);

    i.log(`Installing CAPI providers on "${name}" (clusterctl init --infrastructure=${shape.provider} --bootstrap=kubeadm,rke2 --control-plane=kubeadm,rke2)...`);
    for (const c of capiControllers(shape.provider)) ensureDeployment(target.store, readyDeployment(c.namespace, c.name, `registry.k8s.io/cluster-api/${c.name}:v1.10.0`));
    await simulate(DURATIONS.providerInstall, i.signal);
    i.log(`Applying LatticeCluster "${name}" to "${name}"...`);
    if (!target.store.get(LATTICE_API, LATTICE_CLUSTER_KIND, name)) target.store.create(structuredClone(cluster));
    if (infraProvider) { ensureNamespace(target.store, LATTICE_SYSTEM); target.store.apply(structuredClone(infraProvider)); i.log('Copying 1 InfraProvider(s) to management cluster'); }

    i.log('Waiting for all machines to be Running...');
    await waitForMachinesRunning(boot, name, timeoutMs, i.signal);

    i.log(`Moving CAPI resources to "${name}" (clusterctl move)...`);
    boot.ctx.movedAway.add(name);
    const objects = exportCapi(boot.store, name);
    importCapi(target.store, name, objects);
    deleteMovedCapi(boot.store, name);
    i.log(`Moved ${objects.length} objects`);

    i.log(`Waiting for "${name}" to be Ready...`);
    await waitForObject({
      store: target.store, apiVersion: LATTICE_API, kind: LATTICE_CLUSTER_KIND, name, ...wait,
      until: (o) => o?.status?.phase === 'Ready',
      failIf: (o) => (o?.status?.phase === 'Failed' ? `cluster ${name} failed: ${o.status.message ?? 'no message'}` : undefined),
      what: 'reach phase Ready',
    });

    i.log(`Deleting bootstrap cluster "${bootstrapName}"...`);
    await i.infra.destroyCluster(bootstrapName);
    i.log(`Installation complete: "${name}" is self-managing`);
    return { name, kubeconfig };
  } catch (e) {
    if (i.keepBootstrapOnFailure) i.log(`Keeping bootstrap cluster "${bootstrapName}" for inspection (--keep-bootstrap-on-failure)`);
    else await i.infra.destroyCluster(bootstrapName);
    throw e;
  }
}

async function waitForMachinesRunning(host: ClusterHost, name: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const notRunning = () => host.store.list(CAPI_API, 'Machine', { namespace: capiNamespace(name) }).items.filter((m) => m.status?.phase !== 'Running');
  while (notRunning().length > 0 || host.store.list(CAPI_API, 'Machine', { namespace: capiNamespace(name) }).items.length === 0) {
    if (signal?.aborted) throw new InstallError('install aborted');
    if (Date.now() > deadline) {
      throw new InstallError(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for the machines of ${name} to be Running; not running: ${notRunning().map((m) => `${m.metadata.name} (${m.status?.phase ?? 'no phase'})`).join(', ') || 'none created'}`);
    }
    await simulate(20, signal);
  }
}

export interface UninstallInput {
  infra: Infrastructure;
  /** The infrastructure name of the cluster the kubeconfig reaches. */
  cluster: string;
  /** LatticeCluster to uninstall; needed when the cluster holds more than one. */
  name?: string;
  keepBootstrapOnFailure?: boolean;
  log: (line: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** 2026-04: `--run-id` / LATTICE_RUN_ID, naming the kind cluster `lattice-uninstall-<runId>`. */
  latticeRunId?: string;
}

export async function uninstall(u: UninstallInput): Promise<{ name: string }> {
  const target = u.infra.host(u.cluster);
  if (!target) throw new InstallError(`cluster ${u.cluster} does not answer`);
  const lcs = target.store.list(LATTICE_API, LATTICE_CLUSTER_KIND).items;
  let lc: KubeObject | undefined;
  if (u.name) {
    lc = lcs.find((c) => c.metadata.name === u.name);
    if (!lc) throw new InstallError(`LatticeCluster "${u.name}" not found in the cluster (found: ${lcs.map((c) => c.metadata.name).join(', ') || 'none'})`);
  } else if (lcs.length === 1) {
    lc = lcs[0];
  } else {
    throw new InstallError(lcs.length === 0 ? 'no LatticeCluster found in the cluster' : `found ${lcs.length} LatticeClusters (${lcs.map((c) => c.metadata.name).join(', ')}); pass --name to choose one`);
  }
  const name = lc.metadata.name;
  const shape = shapeOf(lc);
  const timeoutMs = u.timeoutMs ?? 120_000;

  const kindName = u.infra.apiVersionOf(u.cluster) === '2026-04' ? uninstallClusterName(u.latticeRunId) : UNINSTALL_CLUSTER;
  if (u.infra.has(kindName)) { u.log(`Deleting stale cluster "${kindName}"...`); await u.infra.destroyCluster(kindName); }
  u.log(`Creating uninstall cluster "${kindName}"...`);
  const un = await u.infra.createKindCluster(kindName, [], {}, u.infra.apiVersionOf(u.cluster));
  try {
    u.log(`Installing CAPI providers (clusterctl init --infrastructure ${shape.provider}${shape.provider === 'proxmox' ? ' --ipam in-cluster' : ''})...`);
    for (const c of capiControllers(shape.provider, ['kubeadm'])) ensureDeployment(un.store, readyDeployment(c.namespace, c.name, `registry.k8s.io/cluster-api/${c.name}:v1.10.0`));
    await simulate(DURATIONS.providerInstall, u.signal);

    u.log(`Deleting ${LATTICE_SYSTEM}/${CELL_SERVICE}...`);
    if (target.store.get('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM)) target.store.delete('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM);

    u.log(`Exporting CAPI resources of "${name}"...`);
    target.ctx.movedAway.add(name);
    const objects = exportCapi(target.store, name);
    if (!objects.some((o) => o.kind === 'Cluster')) throw new InstallError(`no CAPI Cluster "${name}" in ${capiNamespace(name)}: nothing to uninstall`);
    importCapi(un.store, name, objects);
    u.log(`Imported ${objects.length} objects into "${kindName}"; waiting for InfrastructureReady...`);
    await waitForObject({
      store: un.store, apiVersion: CAPI_API, kind: 'Cluster', name, namespace: capiNamespace(name), timeoutMs, signal: u.signal,
      until: (o) => (o?.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'InfrastructureReady' && c.status === 'True'),
      what: 'report InfrastructureReady=True',
    });

    u.log(`Deleting cluster "${name}"...`);
    if (faultOn('uninstall-leaves-cluster')) {
      u.infra.log(`uninstall: fault uninstall-leaves-cluster keeps ${name} running`);
    } else {
      un.store.delete(CAPI_API, 'Cluster', name, capiNamespace(name));
      await waitForObject({
        store: un.store, apiVersion: CAPI_API, kind: 'Cluster', name, namespace: capiNamespace(name), timeoutMs, signal: u.signal,
        until: (o) => !o, what: 'be deleted',
      });
    }
    u.log(`Deleting uninstall cluster "${kindName}"...`);
    await u.infra.destroyCluster(kindName);
    u.log(`Uninstall complete: "${name}" removed`);
    return { name };
  } catch (e) {
    if (u.keepBootstrapOnFailure) u.log(`Keeping "${kindName}" for inspection (--keep-bootstrap-on-failure)`);
    else await u.infra.destroyCluster(kindName);
    throw e;
  }
}
