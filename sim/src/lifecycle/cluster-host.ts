/**
 * One simulated cluster as it runs: its object store behind its own HTTPS API server, the CAPI
 * controllers, the Lattice operator once its Deployment is applied, and any registered addons (the
 * service runtime plugs in here). Everything of the cluster stops together when it is destroyed.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { createStore, registerKinds } from '../apiserver/index.js';
import type { KubeObject, ObjectStore } from '../apiserver/types.js';
import type { PodRuntimeHooks } from '../apiserver/hooks.js';
import type { ApiVersion } from '../versions/index.js';
import { startCapiControllers } from './capi.js';
import type { ClusterContext, RollOutcome, RollRequest } from './context.js';
import type { Infrastructure } from './infrastructure.js';
import { LATTICE_SYSTEM, OPERATOR_DEPLOYMENT, PARENT_CONFIG_SECRET } from './names.js';
import { ensureNamespace, secretValue } from './objects.js';
import { startLatticeOperator, type LatticeOperator } from './operator.js';

export interface ApiServerHandle {
  port: number;
  url: string;
  caPem: string;
  token: string;
  stop(): unknown;
}

export type ApiServerFactory = (o: { store: ObjectStore; clusterName: string; hooks?: PodRuntimeHooks; host: string }) => ApiServerHandle | Promise<ApiServerHandle>;

export interface ClusterAddonContext {
  clusterName: string;
  store: ObjectStore;
  /** A folder of the cluster's own, removed by nobody: addons keep pod files there. */
  workDir: string;
  signal: AbortSignal;
}

export interface ClusterAddon {
  /** Pod log/exec answers for the API server (the first addon offering hooks wins). */
  hooks?: PodRuntimeHooks;
  /**
   * Rolls the cluster's nodes to a Kubernetes version one at a time (draining pods); the operator
   * calls it when the cluster's own LatticeCluster asks for a new version. The first addon offering
   * it wins; without one the lifecycle replaces nodes itself.
   */
  rollNodes?: (o: RollRequest) => Promise<RollOutcome>;
  stop(): unknown;
}

export type ClusterAddonFactory = (ctx: ClusterAddonContext) => ClusterAddon | Promise<ClusterAddon>;

const addonFactories: ClusterAddonFactory[] = [];

/** Adds something every cluster started from now on runs (e.g. the LatticeService runtime). */
export function registerClusterAddon(factory: ClusterAddonFactory): () => void {
  addonFactories.push(factory);
  return () => { const i = addonFactories.indexOf(factory); if (i >= 0) addonFactories.splice(i, 1); };
}

export interface ClusterHost {
  readonly name: string;
  readonly store: ObjectStore;
  readonly api: ApiServerHandle;
  readonly ctx: ClusterContext;
  /** The parent named by the cluster's `lattice-parent-config` secret, if any. */
  parent(): string | undefined;
  operator(): LatticeOperator | undefined;
  stop(): Promise<void>;
}

export interface StartClusterHostInput {
  name: string;
  infra: Infrastructure;
  /** Applied before anything runs (the bootstrap manifests of the cluster's first node). */
  manifests: KubeObject[];
  apiServer: ApiServerFactory;
  workDir: string;
  signal: AbortSignal;
  /** The Lattice API version whose CRDs the cluster serves. */
  apiVersion?: ApiVersion;
}

export async function startClusterHost(o: StartClusterHostInput): Promise<ClusterHost> {
  // For benchmarks: when each write happened, so a client's detection latency can be measured.
  const record = process.env.LATTICE_SIM_RECORD_WRITES;
  const store = createStore(record ? { onWrite: (rv) => { try { appendFileSync(record, `${JSON.stringify({ cluster: o.name, rv, at: Date.now() })}\n`); } catch { /* best effort */ } } } : {});
  registerKinds(store, { apiVersion: o.apiVersion });
  for (const m of o.manifests) {
    if (m.metadata.namespace) ensureNamespace(store, m.metadata.namespace);
    store.apply(m);
  }
  mkdirSync(o.workDir, { recursive: true });
  const stopAll = new AbortController();
  const signal = AbortSignal.any([o.signal, stopAll.signal]);
  const addons: ClusterAddon[] = [];
  let api: ApiServerHandle;
  try {
    for (const f of addonFactories) addons.push(await f({ clusterName: o.name, store, workDir: o.workDir, signal }));
    const hooks = addons.find((a) => a.hooks)?.hooks;
    api = await o.apiServer({ store, clusterName: o.name, hooks, host: '127.0.0.1' });
  } catch (e) {
    stopAll.abort(e);
    for (const a of addons) { try { await a.stop(); } catch { /* already failing */ } }
    throw e;
  }

  const ctx: ClusterContext = {
    name: o.name, store, infra: o.infra, signal, movedAway: new Set(), addons,
    bootstrapManifestsFor: () => [],
    log: (m) => o.infra.log(`[${o.name}] ${m}`),
  };
  startCapiControllers(ctx);

  // The operator runs once its Deployment exists, configured from the Deployment's env like the pod.
  let operator: LatticeOperator | undefined;
  const startOperatorIfDeployed = () => {
    if (operator || signal.aborted) return;
    const dep = store.get('apps/v1', 'Deployment', OPERATOR_DEPLOYMENT, LATTICE_SYSTEM);
    if (!dep) return;
    const env: Record<string, string> = Object.fromEntries(
      (dep.spec?.template?.spec?.containers?.[0]?.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
    operator = startLatticeOperator(ctx, {
      bootstrapMode: env.LATTICE_BOOTSTRAP_CLUSTER === 'true',
      rootInstall: env.LATTICE_ROOT_INSTALL === 'true',
      image: dep.spec?.template?.spec?.containers?.[0]?.image ?? '',
    });
  };
  const unwatch = store.watch('apps/v1', 'Deployment', { namespace: LATTICE_SYSTEM }, startOperatorIfDeployed);
  signal.addEventListener('abort', unwatch, { once: true });
  startOperatorIfDeployed();

  let stopped: Promise<void> | undefined;
  return {
    name: o.name, store, api, ctx,
    parent: () => secretValue(store.get('v1', 'Secret', PARENT_CONFIG_SECRET, LATTICE_SYSTEM), 'parent_cluster'),
    operator: () => operator,
    stop() {
      stopped ??= (async () => {
        stopAll.abort(new Error(`cluster ${o.name} stopped`));
        await api.stop();
        for (const a of addons) { try { await a.stop(); } catch (e) { ctx.log(`addon stop failed: ${(e as Error).message}`); } }
      })();
      return stopped;
    },
  };
}
