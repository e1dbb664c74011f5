/**
 * The services part of one simulated cluster: LatticeService compilation, workloads, pods run for
 * real, the enforcing data plane, exec/logs for the API server, and node rolls for upgrades.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PodRuntimeHooks } from '../apiserver/hooks.js';
import type { KubeObject, ObjectStore } from '../apiserver/types.js';
import { faultOn } from '../faults.js';
import { MESH_KINDS } from '../kinds/crds.js';
import { LATTICE_EXTERNAL_SERVICE, LATTICE_SERVICE } from '../kinds/lattice.js';
import { COMPILED_KINDS, ServiceController } from './controller.js';
import { ServiceControllerV2026_04 } from '../versions/v2026-04/services/controller.js';
import { faults2026_04 } from './faults-2026-04.js';
import { LATTICE_API } from './model.js';
import { PodRuntime, type RunningPod } from './pods.js';
import { PolicySnapshot, decide, type Decision } from './policy.js';
import { startEnforcementProxy, type EnforcementProxy } from './proxy.js';
import { writeCurlShim } from './sandbox.js';
import { rollNodes, type RollOptions, type RollResult } from './upgrade.js';
import { Workloads } from './workloads.js';

export { compile } from './compile.js';
export { decide, PolicySnapshot } from './policy.js';
export type { RollOptions, RollProgress, RollResult } from './upgrade.js';
export { liveProcessCount, sandboxAvailable } from './sandbox.js';

export interface ServiceRuntimeOptions {
  clusterName: string;
  store: ObjectStore;
  /** Folder for pod sandboxes, volumes and the curl shim (created if missing). */
  workDir: string;
  /** Address the enforcement proxy listens on (default 127.0.0.1). */
  proxyHost?: string;
}

export interface ServiceRuntime {
  hooks: PodRuntimeHooks;
  /** Rolls every node not yet at `toVersion`, one at a time (see upgrade.ts). */
  rollNodes(opts: RollOptions): Promise<RollResult>;
  /** The enforcement point's address and verdict counters. */
  proxy: { address: string; counts: EnforcementProxy['counts'] };
  /** Decides a call as the data plane would, for a running pod (used by tests and the bench). */
  decideFor(namespace: string, pod: string, host: string, port: number, path?: string): Decision;
  /** Host pids of the running pod processes (container shells and exec sessions), for benchmarks. */
  processIds(): number[];
  /** Resolves once the controllers have nothing left to do right now. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** Kinds whose changes make the LatticeService controller run. */
const DECLARATIONS: Array<[string, string]> = [
  [LATTICE_API, 'LatticeService'], [LATTICE_API, 'LatticeExternalService'], ['v1', 'Namespace'],
  // 2026-04: the LMM controller and the services re-run when members or Cedar policies change.
  [LATTICE_API, 'LatticeMeshMember'], [LATTICE_API, 'CedarPolicy'],
];
/** Kinds the enforcement decision reads. */
const POLICY_KINDS: Array<[string, string]> = [
  ['v1', 'Service'], ['v1', 'Pod'], ['cilium.io/v2', 'CiliumNetworkPolicy'], ['security.istio.io/v1beta1', 'AuthorizationPolicy'],
  ['networking.istio.io/v1beta1', 'ServiceEntry'], ['gateway.networking.k8s.io/v1', 'Gateway'],
];

export async function startServiceRuntime(opts: ServiceRuntimeOptions): Promise<ServiceRuntime> {
  const { store } = opts;
  // The kinds this runtime reads and writes (registerKinds normally did this already).
  // A cluster whose registerKinds ran (any API version) keeps exactly the Lattice kinds it chose.
  const lattice = store.typeOf(`${LATTICE_SERVICE.group}/${LATTICE_SERVICE.version}`, LATTICE_SERVICE.kind) ? [] : [LATTICE_SERVICE, LATTICE_EXTERNAL_SERVICE];
  for (const t of [...lattice, ...MESH_KINDS]) {
    if (!store.typeOf(`${t.group}/${t.version}`, t.kind)) store.register(t);
  }
  const speaks2026_01 = !!store.typeOf(LATTICE_API, 'LatticeExternalService');
  const workDir = join(opts.workDir, 'services');
  mkdirSync(workDir, { recursive: true });
  const shimDir = join(workDir, 'bin');
  writeCurlShim(shimDir);

  let stopped = false;
  let rolling = 0;
  const proxyRef: { current?: EnforcementProxy } = {};
  const runtime = new PodRuntime({ workDir, shimDir, proxyAddress: () => proxyRef.current?.address ?? '127.0.0.1:9' });

  // One serialized reconcile loop; watch events and timers only mark a part dirty. Compilation
  // runs when declarations change (or a compiled object was deleted), workloads on any change.
  let servicesDirty = false;
  let workloadsDirty = false;
  let running = false;
  let idleWaiters: Array<() => void> = [];
  const timers = new Set<NodeJS.Timeout>();
  const start = () => { if (!running && !stopped) { running = true; setImmediate(loop); } };
  const kickServices = () => { if (stopped) return; servicesDirty = true; workloadsDirty = true; start(); };
  const kickWorkloads = () => { if (stopped) return; workloadsDirty = true; start(); };
  const after = (kickFn: () => void) => (ms: number) => {
    if (stopped) return;
    if (ms <= 0) { kickFn(); return; }
    const t = setTimeout(() => { timers.delete(t); kickFn(); }, Math.ceil(ms) + 1);
    timers.add(t);
  };
  const controller = new ServiceController(store, after(kickServices));
  const controller2026_04 = new ServiceControllerV2026_04(store, after(kickServices), faults2026_04);
  const workloads = new Workloads(store, runtime, after(kickWorkloads));
  const loop = () => {
    while ((servicesDirty || workloadsDirty) && !stopped) {
      const doServices = servicesDirty;
      servicesDirty = false;
      workloadsDirty = false;
      try {
        // A 2026-01 cluster serves LatticeExternalService; a 2026-04 one LatticeMeshMember instead.
        if (doServices) (speaks2026_01 ? controller : controller2026_04).reconcile();
        workloads.reconcile();
      } catch (e) {
        process.stderr.write(`lattice-sim[${opts.clusterName}] services: ${(e as Error).message}\n`);
        after(kickServices)(200);
      }
    }
    running = false;
    if (timers.size === 0) { const w = idleWaiters; idleWaiters = []; for (const f of w) f(); }
  };
  const kick = kickServices;

  let snapshot: PolicySnapshot | undefined;
  const unwatch: Array<() => void> = [];
  for (const [apiVersion, kind] of DECLARATIONS.filter(([v, k]) => store.typeOf(v, k))) unwatch.push(store.watch(apiVersion, kind, {}, kickServices));
  // A compiled object deleted behind the controller's back is put back.
  for (const [apiVersion, kind] of COMPILED_KINDS) unwatch.push(store.watch(apiVersion, kind, {}, (e) => (e.type === 'DELETED' ? kickServices() : kind === 'Deployment' ? kickWorkloads() : undefined)));
  for (const kind of ['Pod', 'Node']) unwatch.push(store.watch('v1', kind, {}, kickWorkloads));
  for (const [apiVersion, kind] of POLICY_KINDS) unwatch.push(store.watch(apiVersion, kind, {}, () => { snapshot = undefined; }));
  const currentSnapshot = () => {
    if (!snapshot) {
      const objs: KubeObject[] = [];
      for (const [apiVersion, kind] of POLICY_KINDS) objs.push(...store.list(apiVersion, kind).items);
      snapshot = new PolicySnapshot(objs);
    }
    return snapshot;
  };
  const decideAs = (caller: RunningPod, host: string, port: number, path = '/') => decide(currentSnapshot(),
    { namespace: caller.namespace, labels: caller.labels, serviceAccount: caller.serviceAccount },
    { host, port }, { path, open: rolling > 0 && faultOn('enforcement-open-during-roll') });

  const proxy = await startEnforcementProxy({
    identify: (token) => runtime.byToken(token),
    decide: decideAs,
    container: (ns, name) => runtime.get(ns, name),
  }, opts.proxyHost ?? '127.0.0.1');
  proxyRef.current = proxy;
  kick();

  return {
    hooks: runtime,
    rollNodes: (o) => rollNodes({
      store, kick,
      evict: (p) => workloads.deletePod(p),
      setRolling: (on) => { rolling += on ? 1 : -1; snapshot = undefined; },
    }, o),
    proxy: { address: proxy.address, counts: proxy.counts },
    decideFor(namespace, pod, host, port, path) {
      const rp = runtime.get(namespace, pod);
      if (!rp) throw new Error(`pod ${namespace}/${pod} is not running`);
      return decideAs(rp, host, port, path);
    },
    processIds: () => runtime.all().flatMap((rp) => [rp.proc?.child.pid, ...[...rp.execs].map((e) => e.child.pid)]).filter((p): p is number => typeof p === 'number'),
    settled: () => new Promise<void>((resolve) => { if (!running && !servicesDirty && !workloadsDirty && timers.size === 0) resolve(); else idleWaiters.push(resolve); }),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const u of unwatch) u();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      runtime.stopAll();
      await proxy.stop();
      const w = idleWaiters; idleWaiters = []; for (const f of w) f();
    },
  };
}
