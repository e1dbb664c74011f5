/**
 * The Lattice operator of one cluster (lattice-facts §2). It reconciles LatticeClusters in its own
 * store only: a child's copy is driven Pending → Provisioning → Pivoting → Ready (CAPI manifests in
 * `capi-<name>`, pivot through the child's agent); the cluster's own copy goes Pending → Ready, scales
 * its workers and, when deleted, hands its CAPI objects back to its parent (unpivot). The cell (the
 * parent's end of the agent stream) and the agent are in-process stand-ins for the gRPC link.
 */
import type { KubeObject } from '../apiserver/types.js';
import { DURATIONS, getSpeed, simulate } from '../clock.js';
import { faultOn } from '../faults.js';
import { capiManifests, inheritedLabels } from './capi-manifests.js';
import type { AgentHandle, Cell, ClusterContext, PivotPayload } from './context.js';
import { buildKubeconfig, readKubeconfig } from './kubeconfig.js';
import { exportCapi, importCapi } from './move.js';
import {
  CAPI_API, CELL_SERVICE, CLUSTER_NAME_LABEL, DEFAULT_IMAGE, LATTICE_API, LATTICE_CLUSTER_KIND, LATTICE_SYSTEM,
  NODE_ROLE_CP, OPERATOR_DEPLOYMENT, PARENT_CONFIG_SECRET, UNPIVOT_FINALIZER,
  bootstrapKinds, capiControllers, capiNamespace, kubeconfigSecretName, machineDeploymentName,
} from './names.js';
import { ensureDeployment, ensureNamespace, readyDeployment, secret, secretValue } from './objects.js';
import { WorkQueue } from './queue.js';
import { shapeOf, validationError } from './spec.js';
import { condition, writeFlag, writePhase, writeUnpivoting } from './status.js';
import { deleteChildCopy as deleteChildCopyV2604, deleteOwnCopy as deleteOwnCopyV2604, type DeletionPorts } from '../versions/v2026-04/lifecycle/deletion.js';
import { handleReady as handleReadyV2604, readyNodeCounts } from '../versions/v2026-04/lifecycle/ready.js';
import { writePhase as writePhaseV2604, patchStatus as patchStatusV2604, type PhaseWrite } from '../versions/v2026-04/lifecycle/status.js';
import { validateClusterSpec } from '../versions/v2026-04/cluster-validation.js';
import { deleteMovedCapi } from './move.js';
import { distributableInfraProviders, infraProviderBlocker } from '../versions/v2026-04/lifecycle/infra-provider-gate.js';

/** error_policy's requeue after a failed reconcile (controller.rs:2155-2165: 5 s), in the target's time. */
const REQUEUE_ON_ERROR = 500;

const hasCondition = (lc: KubeObject | undefined, type: string) => (lc?.status?.conditions ?? []).some((c: { type: string }) => c.type === type);

export interface OperatorOptions {
  /** LATTICE_BOOTSTRAP_CLUSTER: provision only; the installer moves the CAPI objects itself. */
  bootstrapMode: boolean;
  /** LATTICE_ROOT_INSTALL: the cluster provisioned from here is a root (no parent config). */
  rootInstall: boolean;
  image: string;
}

export interface LatticeOperator {
  bootstrapManifestsFor(child: string): KubeObject[];
  /** Children whose agent is connected to this cluster's cell. */
  connectedAgents(): string[];
}

export function startLatticeOperator(ctx: ClusterContext, opts: OperatorOptions): LatticeOperator {
  const { store, infra, signal } = ctx;
  const self = ctx.name;
  /** API version 2026-04 (b5d50e90): phases, pools, deletion and upgrades as there (versions/v2026-04/lifecycle). */
  const v2604 = infra.apiVersionOf(self) === '2026-04';
  const agents = new Map<string, AgentHandle>();
  /** 2026-04: children whose ClusterDeleting is being handled (the cell's teardown guard, cell/server.rs:775-783). */
  const tearingDown = new Set<string>();
  /** Children whose copy is being removed by an unpivot (not by a user deleting it here). */
  const unpivoting = new Set<string>();
  const queue = new WorkQueue((name) => (name === self ? reconcileSelf(name) : reconcileChild(name)), signal,
    (name, err) => ctx.log(`operator: reconcile ${name} failed: ${(err as Error).message}`));

  const getLc = (name: string) => store.get(LATTICE_API, LATTICE_CLUSTER_KIND, name);
  const parentName = () => secretValue(store.get('v1', 'Secret', PARENT_CONFIG_SECRET, LATTICE_SYSTEM), 'parent_cluster');

  // ---- the cell: the parent's end of its children's agent streams ----
  const cell: Cell = {
    cluster: self,
    connect(agent) { agents.set(agent.cluster, agent); ctx.log(`cell: agent of ${agent.cluster} connected`); queue.add(agent.cluster); },
    disconnect(agent) { if (agents.get(agent.cluster) === agent) agents.delete(agent.cluster); },
    unpivot: (child, objects) => (v2604 ? receiveClusterDeleting(child, objects) : receiveUnpivot(child, objects)),
  };
  infra.cells.set(self, cell);
  signal.addEventListener('abort', () => { if (infra.cells.get(self) === cell) infra.cells.delete(self); }, { once: true });

  // ---- the agent: this cluster's end of the stream to its parent ----
  const agent: AgentHandle = {
    cluster: self, importPivot,
    // lattice-agent commands/delete_cluster.rs: the parent asks; the agent deletes its own LatticeCluster.
    deleteCluster: () => { if (getLc(self) && !getLc(self)!.metadata.deletionTimestamp) store.delete(LATTICE_API, LATTICE_CLUSTER_KIND, self); },
    health: () => readyNodeCounts(ctx),
  };
  let linked: Cell | undefined;
  const keepAgentConnected = () => {
    const parent = parentName();
    const c = parent ? infra.cells.get(parent) : undefined;
    if (c && c !== linked) c.connect(agent);
    linked = c;
  };
  const agentTimer = setInterval(keepAgentConnected, 100);
  if (v2604) {
    // lattice-agent client/connection.rs:309-340, deletion.rs:23-122: every 5 s the agent looks at the
    // first LatticeCluster of its cluster (by name); once that one is being deleted it keeps sending
    // its CAPI objects to the parent (ClusterDeleting), whatever the operator decided.
    const deletionWatcher = setInterval(() => {
      const first = store.list(LATTICE_API, LATTICE_CLUSTER_KIND).items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
      if (!linked || !first?.metadata.deletionTimestamp) return;
      void linked.unpivot(first.metadata.name, exportCapi(store, first.metadata.name)).catch(() => undefined);
    }, 500 / getSpeed());
    signal.addEventListener('abort', () => clearInterval(deletionWatcher), { once: true });
  }
  signal.addEventListener('abort', () => { clearInterval(agentTimer); linked?.disconnect(agent); }, { once: true });
  keepAgentConnected();

  // ---- watches ----
  const unwatchLc = store.watch(LATTICE_API, LATTICE_CLUSTER_KIND, {}, (e) => {
    if (e.type === 'DELETED') { if (e.object.metadata.name !== self) childCopyDeleted(e.object.metadata.name); return; }
    queue.add(e.object.metadata.name);
  });
  const onCapi = (o: KubeObject) => queue.add(o.metadata.labels?.[CLUSTER_NAME_LABEL] ?? o.metadata.name);
  const unwatchCluster = store.watch(CAPI_API, 'Cluster', {}, (e) => onCapi(e.object));
  const unwatchMachine = store.watch(CAPI_API, 'Machine', {}, (e) => onCapi(e.object));
  signal.addEventListener('abort', () => { unwatchLc(); unwatchCluster(); unwatchMachine(); }, { once: true });
  for (const lc of store.list(LATTICE_API, LATTICE_CLUSTER_KIND).items) queue.add(lc.metadata.name);

  ctx.bootstrapManifestsFor = bootstrapManifestsFor;
  ctx.log(`operator: started${opts.bootstrapMode ? ' (bootstrap cluster)' : ''}`);

  // ---- a child's copy, on its parent (facts §2.1) ----
  async function reconcileChild(name: string): Promise<number | void> {
    const lc = getLc(name);
    if (!lc) return;
    // A child's copy gets the finalizer before anything else (controller.rs:1527-1547; b5d50e90 controller/mod.rs:86-112).
    if (v2604 && !lc.metadata.finalizers?.includes(UNPIVOT_FINALIZER)) { setFinalizer(lc, true); return; }
    if (lc.metadata.deletionTimestamp) return v2604 ? deleteChildCopyV2604(ctx, lc, deletionPorts) : deleteChildCopy(lc);
    if (!lc.metadata.finalizers?.includes(UNPIVOT_FINALIZER)) { setFinalizer(lc, true); return; }
    const invalid = v2604 ? validateClusterSpec(lc.spec ?? {}) : validationError(lc);
    const phase: string | undefined = lc.status?.phase;
    if (invalid) {
      if (phase !== 'Failed' || lc.status?.message !== invalid) write(name, 'Failed', { message: invalid });
      return;
    }
    // b5d50e90 controller/mod.rs:159-176: a pivoted child's copy never goes back before Pivoted.
    if (v2604 && lc.status?.pivotComplete && ['Pending', 'Provisioning', 'Pivoting'].includes(phase ?? 'Pending')) { write(name, 'Pivoted'); return; }
    const shape = shapeOf(lc);
    // No status counts as Pending and Pending is never written (controller.rs:1621-1632); Failed
    // waits for a spec change and stays Failed when the change is valid (:1979-1983).
    switch (phase ?? 'Pending') {
      case 'Failed':
        return;
      case 'Pending': {
        const noProvider = v2604 ? infraProviderBlocker(store, lc, shape.provider) : undefined;
        if (noProvider) { ctx.log(`operator: reconcile ${name}: ${noProvider}`); return 3000; } // retried (300 s upstream)
        await simulate(DURATIONS.providerInstall, signal);
        // Deleted while the providers installed: provision nothing for it.
        const still = getLc(name);
        if (!still || still.metadata.deletionTimestamp || still.metadata.uid !== lc.metadata.uid) return;
        installCapiProviders(shape.provider);
        ensureNamespace(store, capiNamespace(name));
        copyCredentials(lc);
        // generate_capi_manifests (:2014-2110) needs this cluster's parentConfig and its cell's
        // LoadBalancer address; without them reconcile errs and is requeued (error_policy, 5 s),
        // writing no phase.
        const blocked = bootstrapBlocker();
        if (blocked) { ctx.log(`operator: reconcile ${name}: ${blocked}`); return REQUEUE_ON_ERROR; }
        for (const m of manifestsOf(lc)) {
          if (!store.get(m.apiVersion, m.kind, m.metadata.name, m.metadata.namespace)) store.create(m);
        }
        write(name, 'Provisioning');
        return;
      }
      case 'Provisioning': {
        // H-PROXY hook: at 2026-04 the parent rewrites capi-<name>/<name>-kubeconfig to its cell proxy (provisioning.rs:37-50; versions/v2026-04/proxy/kubeconfig-secret.ts)
        if (infra.apiVersionOf(self) === '2026-04' && !opts.bootstrapMode) await (await import('../versions/v2026-04/proxy/kubeconfig-secret.js')).rewriteChildKubeconfig(store, self, lc);
        if (faultOn('stuck-provisioning')) return;
        if (!infrastructureReady(name, lc)) return 500;
        if (faultOn('pivoting-skipped') && !opts.bootstrapMode) {
          if (!agents.has(name)) return 100;
          await pivot(lc);
          write(name, 'Ready', { pivotComplete: true });
          return;
        }
        write(name, 'Pivoting');
        return;
      }
      case 'Pivoting': {
        if (opts.bootstrapMode) return; // the installer runs `clusterctl move` itself
        if (!agents.has(name)) return 100;
        await pivot(lc);
        // b5d50e90 phases/pivoting.rs:107-120: the parent's copy says Pivoted, never Ready.
        write(name, v2604 && !faultOn('parent-copy-reports-ready') ? 'Pivoted' : 'Ready', { pivotComplete: true });
        return;
      }
      case 'Pivoted': {
        // b5d50e90 controller/mod.rs:185-209: ready counts from the child's agent heartbeat.
        const health = agents.get(name)?.health?.();
        if (health) patchStatusV2604(store, lc, { readyControlPlane: health.readyControlPlane, readyWorkers: health.readyWorkers });
        return 1000;
      }
      case 'Ready': {
        // With the pivot skipped the parent keeps scaling workers itself: observably fine until it dies.
        if (faultOn('no-pivot') && !ctx.movedAway.has(name)) {
          const md = store.get(CAPI_API, 'MachineDeployment', machineDeploymentName(name), capiNamespace(name));
          if (md && md.spec?.replicas !== shape.workers) {
            store.mergePatch(CAPI_API, 'MachineDeployment', md.metadata.name, md.metadata.namespace, { spec: { replicas: shape.workers } });
          }
        }
        return;
      }
      default:
        return;
    }
  }

  /** A phase write as this cluster's API version makes it (2026-04 merges conditions, phases/mod.rs:72-199). */
  function write(name: string, phase: PhaseWrite, extras: { message?: string; pivotComplete?: boolean } = {}): void {
    if (!v2604) { writePhase(store, name, phase as Exclude<PhaseWrite, 'Pivoted'>, extras); return; }
    const cur = getLc(name);
    if (cur) writePhaseV2604(store, cur, phase, extras);
  }

  /** The CAPI manifests of a cluster: `<name>-pool-<id>` per worker pool at 2026-04, `<name>-md-0` before. */
  function manifestsOf(lc: KubeObject): KubeObject[] {
    return capiManifests(lc, shapeOf(lc), v2604 ? (lc.spec?.nodes?.workerPools ?? {}) : undefined);
  }

  const deletionPorts: DeletionPorts = {
    sendDeleteCluster: (child) => { const a = agents.get(child); if (!a?.deleteCluster) return false; a.deleteCluster(); return true; },
    removeFinalizer: (lc) => { const cur = getLc(lc.metadata.name); if (cur) setFinalizer(cur, false); },
    resumeCapi: (name) => { ctx.movedAway.delete(name); },
  };

  /**
   * 2026-04: a child's agent sends its CAPI objects back (lattice-cell/src/server.rs:271-360): import
   * them (once: unpivotImportComplete), then delete the child's copy here; the copy's deletion then
   * deletes the CAPI Cluster (and the child's infrastructure).
   */
  async function receiveClusterDeleting(child: string, objects: KubeObject[]): Promise<void> {
    if (tearingDown.has(child)) return;
    const lc = getLc(child);
    if (!lc) return; // already deleted: no guard left behind (server.rs:297-301 finish_teardown)
    tearingDown.add(child);
    if (!lc.status?.unpivotImportComplete) {
      if (objects.length === 0) { tearingDown.delete(child); return; }
      importCapi(store, child, objects);
      ctx.movedAway.delete(child);
      store.mergePatch(LATTICE_API, LATTICE_CLUSTER_KIND, child, undefined, { status: { unpivotImportComplete: true } }, 'status');
      ctx.log(`cell: ${child} handed back ${objects.length} CAPI objects`);
    }
    if (!getLc(child)?.metadata.deletionTimestamp) store.delete(LATTICE_API, LATTICE_CLUSTER_KIND, child);
  }

  function setFinalizer(lc: KubeObject, on: boolean): void {
    const others = (lc.metadata.finalizers ?? []).filter((f) => f !== UNPIVOT_FINALIZER);
    store.update({ ...lc, metadata: { ...lc.metadata, finalizers: on ? [...others, UNPIVOT_FINALIZER] : others } });
  }

  /**
   * A child's copy being deleted on its parent (handle_deletion, controller.rs:2511-2536): delete the
   * CAPI Cluster, requeue until it is gone, then remove the finalizer.
   */
  function deleteChildCopy(lc: KubeObject): number | void {
    const name = lc.metadata.name;
    if (!lc.metadata.finalizers?.includes(UNPIVOT_FINALIZER)) return;
    const leaveCapi = unpivoting.has(name) && faultOn('unpivot-leaves-capi');
    const c = leaveCapi ? undefined : store.get(CAPI_API, 'Cluster', name, capiNamespace(name));
    if (c) {
      ctx.movedAway.delete(name); // the parent's CAPI copy is not paused upstream (facts §2.2): it tears down
      if (!c.metadata.deletionTimestamp) store.delete(CAPI_API, 'Cluster', name, capiNamespace(name));
      return 200;
    }
    setFinalizer(lc, false);
  }

  /** Why this cluster cannot give a child its bootstrap info yet (controller.rs:2036-2063), if it cannot. */
  function bootstrapBlocker(): string | undefined {
    if (opts.rootInstall) return undefined; // LATTICE_ROOT_INSTALL: the root is provisioned without it
    const own = getLc(self);
    if (!own) return 'bootstrap error [unknown]: self-cluster LatticeCluster not found';
    if (!shapeOf(own).parentConfig) return 'validation error for unknown: self-cluster must have spec.parent_config to provision clusters';
    const ingress = store.get('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM)?.status?.loadBalancer?.ingress?.[0];
    if (!ingress?.hostname && !ingress?.ip) {
      return 'validation error for unknown: cell Service has no LoadBalancer ingress yet. Wait for the cloud provider or Cilium L2 to assign an address.';
    }
    return undefined;
  }

  /**
   * is_infrastructure_ready (controller.rs:802-940), for a child's copy before its pivot and for the
   * cluster's own copy: the CAPI Cluster's phase is `Provisioned` or it has `Ready=True`, its control
   * plane `<name>-control-plane` says `status.initialization.controlPlaneInitialized`, and no Machine
   * of the cluster is in phase `Pending` or `Provisioning` (a Machine without a phase does not count).
   */
  function infrastructureReady(name: string, lc: KubeObject): boolean {
    const namespace = capiNamespace(name);
    const c = store.get(CAPI_API, 'Cluster', name, namespace);
    const readyCondition = (c?.status?.conditions ?? []).some((x: { type: string; status: string }) => x.type === 'Ready' && x.status === 'True');
    if (c?.status?.phase !== 'Provisioned' && !readyCondition) return false;
    const kinds = bootstrapKinds(shapeOf(lc).bootstrap);
    const cp = store.get(kinds.controlPlaneApi, kinds.controlPlane, `${name}-control-plane`, namespace);
    if (cp?.status?.initialization?.controlPlaneInitialized !== true) return false;
    const machines = store.list(CAPI_API, 'Machine', { namespace, labelSelector: `${CLUSTER_NAME_LABEL}=${name}` }).items;
    return machines.every((m) => !['Pending', 'Provisioning'].includes(m.status?.phase));
  }

  async function pivot(lc: KubeObject): Promise<void> {
    const name = lc.metadata.name;
    await simulate(DURATIONS.pivot, signal);
    if (faultOn('no-pivot')) { ctx.log(`operator: pivot of ${name} skipped (fault no-pivot)`); return; }
    const child = agents.get(name);
    if (!child) throw new Error(`agent of ${name} disconnected during pivot`);
    const payload: PivotPayload = {
      cluster: { apiVersion: LATTICE_API, kind: LATTICE_CLUSTER_KIND, metadata: { name, labels: inheritedLabels(lc) }, spec: structuredClone(lc.spec) },
      objects: exportCapi(store, name),
    };
    await child.importPivot(payload);
    ctx.movedAway.add(name);
    // b5d50e90 lattice-move/src/cell.rs:507-517: once the agent confirms, the source objects go.
    if (v2604 && !faultOn('pivot-copies-not-moves')) deleteMovedCapi(store, name);
    ctx.log(`operator: pivot of ${name} complete (${payload.objects.length} objects)`);
  }

  function installCapiProviders(provider: string): void {
    for (const c of capiControllers(provider as never)) ensureDeployment(store, readyDeployment(c.namespace, c.name, `registry.k8s.io/cluster-api/${c.name}:v1.10.0`));
  }

  function copyCredentials(lc: KubeObject): void {
    const ref = lc.spec?.provider?.credentialsSecretRef;
    if (!ref?.name) return;
    const src = store.get('v1', 'Secret', ref.name, ref.namespace ?? LATTICE_SYSTEM);
    if (!src || store.get('v1', 'Secret', ref.name, capiNamespace(lc.metadata.name))) return;
    store.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: ref.name, namespace: capiNamespace(lc.metadata.name), labels: src.metadata.labels }, type: src.type, data: src.data });
  }

  /**
   * A child's copy gone from the parent: its CAPI Cluster here goes too, unless an unpivot says
   * otherwise. `capi-<name>` stays: Lattice never deletes it (controller.rs:2511-2536 deletes the
   * CAPI Cluster only).
   */
  function childCopyDeleted(name: string): void {
    agents.delete(name);
    tearingDown.delete(name);
    if (v2604) return; // the finalizer held the copy until its CAPI Cluster was gone
    if (unpivoting.delete(name) && faultOn('unpivot-leaves-capi')) return;
    ctx.movedAway.delete(name);
    const c = store.get(CAPI_API, 'Cluster', name, capiNamespace(name));
    if (c && !c.metadata.deletionTimestamp) store.delete(CAPI_API, 'Cluster', name, capiNamespace(name));
  }

  /** The cell receives a child's CAPI objects back before the child removes its own copy. */
  async function receiveUnpivot(child: string, objects: KubeObject[]): Promise<void> {
    if (getLc(child)) writeFlag(store, child, 'unpivotPending', true);
    unpivoting.add(child);
    if (objects.length) importCapi(store, child, objects);
    ctx.movedAway.delete(child); // unpause: the parent's CAPI controllers own the cluster again
    ctx.log(`cell: ${child} handed back ${objects.length} CAPI objects`);
    void finishUnpivot(child).catch((e) => { if (!signal.aborted) ctx.log(`operator: unpivot of ${child} failed: ${(e as Error).message}`); });
  }

  async function finishUnpivot(child: string): Promise<void> {
    await simulate(DURATIONS.unpivot, signal);
    if (!faultOn('unpivot-leaves-capi')) {
      const c = store.get(CAPI_API, 'Cluster', child, capiNamespace(child));
      if (c) {
        store.delete(CAPI_API, 'Cluster', child, capiNamespace(child));
        await waitGone(() => !store.get(CAPI_API, 'Cluster', child, capiNamespace(child)));
      }
    }
    if (getLc(child)) store.delete(LATTICE_API, LATTICE_CLUSTER_KIND, child);
  }

  function waitGone(done: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setInterval(() => {
        if (signal.aborted) { clearInterval(t); reject(signal.reason); } else if (done()) { clearInterval(t); resolve(); }
      }, 20);
    });
  }

  // ---- the cluster's own copy (facts §2.1 last paragraph, §2.5, §2.6) ----
  async function reconcileSelf(name: string): Promise<number | void> {
    const lc = getLc(name);
    if (!lc) return;
    if (lc.metadata.deletionTimestamp) {
      if (lc.metadata.finalizers?.includes(UNPIVOT_FINALIZER)) return v2604 ? deleteOwnCopyV2604(ctx, lc, deletionPorts) : unpivotSelf(lc);
      return;
    }
    if (parentName() && !lc.metadata.finalizers?.includes(UNPIVOT_FINALIZER)) {
      store.update({ ...lc, metadata: { ...lc.metadata, finalizers: [...(lc.metadata.finalizers ?? []), UNPIVOT_FINALIZER] } });
      return;
    }
    const invalid = v2604 ? validateClusterSpec(lc.spec ?? {}) : validationError(lc);
    const phase: string | undefined = lc.status?.phase;
    if (invalid) {
      if (phase !== 'Failed' || lc.status?.message !== invalid) write(name, 'Failed', { message: invalid });
      return;
    }
    const shape = shapeOf(lc);
    if (phase === 'Failed') return;
    if (v2604 && phase === 'Pivoting') { write(name, 'Ready', { pivotComplete: true }); return; } // pivoting.rs:37-40
    if (phase === undefined || phase === 'Pending') {
      // The cell Service is ensured here, in Pending only (controller.rs:1640-1651), and at
      // operator start (lattice-operator/src/main.rs:725-743); a Ready cluster never creates it.
      if (shape.parentConfig) ensureCellService(shape.parentConfig);
      // The own copy waits for is_infrastructure_ready (:1655-1670), then try_transition_to_ready(..,
      // set_pivot_complete = true): it says pivotComplete too (:1697). Not ready: requeue (10 s upstream).
      if (!infrastructureReady(name, lc)) return 1000;
      write(name, 'Ready', { pivotComplete: true });
      return;
    }
    if (phase !== 'Ready') return;
    if (v2604) {
      // ready.rs:376-474 (the cell Service is ensured in Ready too, :383-399)
      if (shape.parentConfig) ensureCellService(shape.parentConfig);
      return handleReadyV2604(ctx, lc, { manifests: manifestsOf });
    }
    if (!faultOn('workers-never-scale')) {
      const md = store.get(CAPI_API, 'MachineDeployment', machineDeploymentName(name), capiNamespace(name));
      if (md && md.spec?.replicas !== shape.workers) {
        store.mergePatch(CAPI_API, 'MachineDeployment', md.metadata.name, md.metadata.namespace, { spec: { replicas: shape.workers } });
        ctx.log(`operator: scaling ${md.metadata.name} to ${shape.workers}`);
      }
    }
    retaintControlPlanes();
    // 2026-01 (1236706e controller.rs:1880-1973) only scales the workers and re-taints: a changed
    // Kubernetes version rolls nothing.
    return 1000;
  }

  async function unpivotSelf(lc: KubeObject): Promise<number | void> {
    const name = lc.metadata.name;
    if (lc.status?.phase !== 'Unpivoting') writeUnpivoting(store, name, 'Cleaning up LoadBalancer services');
    if (store.get('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM)) store.delete('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM);
    if (getLc(name)?.status?.message !== 'Exporting CAPI resources to parent' && !hasCondition(getLc(name), 'UnpivotComplete')) {
      writeUnpivoting(store, name, 'Exporting CAPI resources to parent');
    }
    const parent = parentName();
    const parentCell = parent ? infra.cells.get(parent) : undefined;
    if (!parentCell) {
      const since = Date.parse(lc.metadata.deletionTimestamp!);
      const timeoutMs = (300 * DURATIONS.unpivot) / getSpeed() / 10;
      const timedOut = Date.now() - since > timeoutMs;
      if (timedOut && !hasCondition(getLc(name), 'UnpivotComplete')) {
        writeUnpivoting(store, name, undefined, condition('UnpivotComplete', 'False', 'Timeout', 'Unpivot timed out after 5 minutes'));
      }
      return 500; // retried forever, as upstream
    }
    await simulate(DURATIONS.unpivot, signal);
    await parentCell.unpivot(name, exportCapi(store, name));
    ctx.movedAway.add(name); // the parent drives the teardown from here
    writeUnpivoting(store, name, undefined, condition('UnpivotComplete', 'True', 'Success', 'CAPI resources exported to parent'));
    const cur = getLc(name);
    if (cur) store.update({ ...cur, metadata: { ...cur.metadata, finalizers: (cur.metadata.finalizers ?? []).filter((f) => f !== UNPIVOT_FINALIZER) } });
    ctx.log('operator: unpivot complete, finalizer removed');
  }

  function ensureCellService(pc: NonNullable<ReturnType<typeof shapeOf>['parentConfig']>): void {
    if (store.get('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM)) return;
    ensureNamespace(store, LATTICE_SYSTEM);
    const created = store.create({
      apiVersion: 'v1', kind: 'Service',
      // controller.rs:476-535: label and selector app=lattice-operator, always LoadBalancer
      // (parentConfig.service.type is not read), loadBalancerIP only when a host is given.
      metadata: { name: CELL_SERVICE, namespace: LATTICE_SYSTEM, labels: { app: 'lattice-operator' } },
      spec: {
        type: 'LoadBalancer',
        ...(pc.host ? { loadBalancerIP: pc.host } : {}),
        selector: { app: 'lattice-operator' },
        ports: [
          { name: 'bootstrap', port: pc.bootstrapPort, targetPort: pc.bootstrapPort, protocol: 'TCP' },
          { name: 'grpc', port: pc.grpcPort, targetPort: pc.grpcPort, protocol: 'TCP' },
        ],
        clusterIP: '10.96.100.10',
      },
    });
    const ingress = pc.host ? { ip: pc.host } : { hostname: `${self}-cell.lb.example.internal` };
    store.updateStatus({ ...created, status: { loadBalancer: { ingress: [ingress] } } });
  }

  function retaintControlPlanes(): void {
    for (const n of store.list('v1', 'Node', { labelSelector: NODE_ROLE_CP }).items) {
      const taints: Array<{ key: string }> = n.spec?.taints ?? [];
      if (taints.some((t) => t.key === NODE_ROLE_CP)) continue;
      store.mergePatch('v1', 'Node', n.metadata.name, undefined, { spec: { taints: [...taints, { key: NODE_ROLE_CP, effect: 'NoSchedule' }] } });
    }
  }

  // ---- the agent's side of a pivot ----
  async function importPivot(payload: PivotPayload): Promise<void> {
    const shape = shapeOf(payload.cluster);
    installCapiProviders(shape.provider);
    importCapi(store, self, payload.objects);
    // The child's own copy of its kubeconfig secret now points at the in-cluster address (facts §2.3).
    const sec = store.get('v1', 'Secret', kubeconfigSecretName(self), capiNamespace(self));
    const value = secretValue(sec, 'value');
    if (sec && value) {
      const ep = infra.endpoint(self);
      const inCluster = buildKubeconfig(self, { server: 'https://kubernetes.default.svc:443', caPem: ep?.caPem ?? '', token: readKubeconfig(value).token ?? '' });
      store.update({ ...sec, data: { ...(sec.data as Record<string, string>), value: Buffer.from(inCluster).toString('base64') } });
    }
    if (!getLc(self)) {
      store.create({
        ...payload.cluster,
        metadata: { ...payload.cluster.metadata, ...(parentName() ? { finalizers: [UNPIVOT_FINALIZER] } : {}) },
      });
    }
  }

  function bootstrapManifestsFor(child: string): KubeObject[] {
    const lc = getLc(child);
    // The bootstrap webhook marks the child's copy when its manifests are fetched (bootstrap/mod.rs:882-915);
    // a root install registers nothing with it (controller.rs:2024-2031), so the root never gets the flag.
    if (lc && child !== self && !opts.rootInstall && !lc.status?.bootstrapComplete) writeFlag(store, child, 'bootstrapComplete', true);
    const provider = lc ? shapeOf(lc).provider : 'docker';
    const env = { LATTICE_CLUSTER_NAME: child, LATTICE_PROVIDER: provider };
    const out: KubeObject[] = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LATTICE_SYSTEM } },
      readyDeployment(LATTICE_SYSTEM, OPERATOR_DEPLOYMENT, opts.image || DEFAULT_IMAGE, env),
      ...(v2604 ? distributableInfraProviders(store) : []),
    ];
    if (!opts.rootInstall) {
      const own = getLc(self);
      const pc = own ? shapeOf(own).parentConfig : undefined;
      const host = pc?.host ?? `${self}-cell.lb.example.internal`;
      out.push(secret(LATTICE_SYSTEM, PARENT_CONFIG_SECRET, {
        parent_cluster: self,
        cell_endpoint: `${host}:${pc?.grpcPort ?? 50051}`,
        bootstrap_endpoint: `https://${host}:${pc?.bootstrapPort ?? 8443}`,
        'ca.crt': infra.endpoint(self)?.caPem ?? '',
        cluster_name: child,
      }));
    }
    return out;
  }

  return { bootstrapManifestsFor, connectedAgents: () => [...agents.keys()] };
}

