/**
 * In-process harness for the lifecycle tests: an Infrastructure whose clusters get a store-only
 * API stand-in (the HTTPS server is exercised by the CLI tests), manifests per provider, and
 * watch-based waits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject, ObjectStore } from '../../src/apiserver/types.js';
import { Infrastructure, install, type ApiServerFactory } from '../../src/lifecycle/index.js';
import { waitForObject } from '../../src/lifecycle/waits.js';

export const LC_API = 'lattice.dev/v1alpha1';
export const LC = 'LatticeCluster';
export const CAPI = 'cluster.x-k8s.io/v1beta2';

let nextPort = 20000;
export const fakeApiServer: ApiServerFactory = ({ clusterName }) => {
  const port = nextPort++;
  return { port, url: `https://127.0.0.1:${port}`, caPem: `-----BEGIN CERTIFICATE-----\n${clusterName}\n-----END CERTIFICATE-----\n`, token: `token-${clusterName}`, stop() {} };
};

export interface Harness { infra: Infrastructure; logs: string[]; dispose(): Promise<void> }

export function newHarness(): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'lattice-sim-lifecycle-'));
  const logs: string[] = [];
  const infra = new Infrastructure({ workDir: dir, apiServer: fakeApiServer, log: (l) => logs.push(l) });
  return {
    infra, logs,
    async dispose() { await infra.destroyAll(); rmSync(dir, { recursive: true, force: true }); },
  };
}

export type Provider = 'docker' | 'aws' | 'openstack' | 'proxmox';

const PROVIDER_CONFIG: Record<Provider, Record<string, unknown>> = {
  docker: {},
  aws: { region: 'us-west-2', cpInstanceType: 'm7i-flex.large', workerInstanceType: 't3.small', sshKeyName: 'lattice-e2e' },
  openstack: { externalNetworkId: 'ext-net-id', cpFlavor: 'b2-30', workerFlavor: 'b2-15', imageName: 'ubuntu-24.04', sshKeyName: 'lattice-e2e' },
  proxmox: {
    controlPlaneEndpoint: '10.0.0.100', ipv4Pool: { range: '10.0.0.101-105/24', gateway: '10.0.0.1' },
    cpCores: 4, cpMemoryMib: 8192, cpDiskSizeGb: 50, workerCores: 4, workerMemoryMib: 8192, workerDiskSizeGb: 50,
  },
};

export interface ClusterInput {
  provider?: Provider;
  bootstrap?: 'kubeadm' | 'rke2';
  controlPlane?: number;
  workers?: number;
  /** Give the cluster a parentConfig (it may have children). */
  parent?: boolean;
  host?: string;
  labels?: Record<string, string>;
}

export function clusterManifest(name: string, i: ClusterInput = {}): KubeObject {
  const provider = i.provider ?? 'docker';
  return {
    apiVersion: LC_API, kind: LC,
    metadata: { name, ...(i.labels ? { labels: i.labels } : {}) },
    spec: {
      provider: {
        kubernetes: { version: '1.32.0', certSANs: ['127.0.0.1', 'localhost'], ...(i.bootstrap ? { bootstrap: i.bootstrap } : {}) },
        config: { [provider]: PROVIDER_CONFIG[provider] },
      },
      nodes: { controlPlane: i.controlPlane ?? 1, workers: i.workers ?? 1 },
      ...(i.parent ? { parentConfig: { ...(i.host ? { host: i.host } : {}), grpcPort: 50051, bootstrapPort: 8443, service: { type: 'LoadBalancer' } } } : {}),
    },
  };
}

export async function installMgmt(h: Harness, lc: KubeObject): Promise<ObjectStore> {
  await install({ infra: h.infra, cluster: lc, log: () => undefined, timeoutMs: 30_000 });
  return h.infra.host(lc.metadata.name)!.store;
}

export function storeOf(h: Harness, cluster: string): ObjectStore {
  const host = h.infra.host(cluster);
  if (!host) throw new Error(`cluster ${cluster} has no running API`);
  return host.store;
}

/** Waits for a phase; Failed ends the wait early unless awaited or `tolerateFailed` (leaving Failed). */
export function waitForPhase(store: ObjectStore, name: string, phase: string, opts: { timeoutMs?: number; tolerateFailed?: boolean } = {}): Promise<KubeObject | undefined> {
  return waitForObject({
    store, apiVersion: LC_API, kind: LC, name, timeoutMs: opts.timeoutMs ?? 20_000, what: `reach phase ${phase}`,
    until: (o) => o?.status?.phase === phase,
    failIf: (o) => (phase !== 'Failed' && !opts.tolerateFailed && o?.status?.phase === 'Failed' ? `${name} failed: ${o.status.message}` : undefined),
  });
}

export function waitForGone(store: ObjectStore, apiVersion: string, kind: string, name: string, namespace?: string, timeoutMs = 20_000) {
  return waitForObject({ store, apiVersion, kind, name, namespace, timeoutMs, what: 'be gone', until: (o) => !o });
}

/** Resolves once `check` holds, re-checking on every change of `kind` in the store. */
export function waitUntil(store: ObjectStore, apiVersion: string, kind: string, check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`timed out after ${timeoutMs} ms waiting until ${what}`)); }, timeoutMs);
    const stop = store.watch(apiVersion, kind, {}, () => { if (check()) { clearTimeout(timer); stop(); resolve(); } });
    if (check()) { clearTimeout(timer); stop(); resolve(); }
  });
}

/** Records every phase (and condition) the LatticeCluster `name` shows in `store`, in order. */
export function recordPhases(store: ObjectStore, name: string): { phases: string[]; conditions: string[]; flags: Array<Record<string, unknown>>; stop(): void } {
  const phases: string[] = [];
  const conditions: string[] = [];
  const flags: Array<Record<string, unknown>> = [];
  const stop = store.watch(LC_API, LC, { fieldSelector: `metadata.name=${name}` }, (e) => {
    const s = e.object.status ?? {};
    const p = s.phase ?? '(none)';
    if (phases[phases.length - 1] !== p) {
      phases.push(p);
      const c = (s.conditions ?? [])[0];
      conditions.push(c ? `${c.type}/${c.status}/${c.reason}` : '-');
    }
    flags.push({ pivotComplete: s.pivotComplete, unpivotPending: s.unpivotPending });
  });
  return { phases, conditions, flags, stop };
}

export function workerNodes(store: ObjectStore): KubeObject[] {
  return store.list('v1', 'Node', { labelSelector: '!node-role.kubernetes.io/control-plane' }).items
    .filter((n) => (n.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));
}

export function decodeSecret(o: KubeObject | undefined, key: string): string | undefined {
  const v = (o?.data as Record<string, string> | undefined)?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}
