/**
 * Deletion as Lattice 2026-04 runs it from both ends (docs/LATTICE-2026-04.md §3.3):
 * - a parent deleting a pivoted child shows it `Deleting`, has the child's agent delete the child's
 *   own copy, takes its CAPI objects back (`unpivotImportComplete`), tears the infrastructure down
 *   and removes the copy (cluster/controller/deletion.rs:100-128, :199-232);
 * - a cluster with a parent that still has children: its controller keeps its own copy (phase
 *   unchanged, `Deletion blocked: <n> child cluster(s) exist: <names>. ...` in status.message,
 *   deletion.rs:241-265), but its agent, seeing the copy being deleted, sends its CAPI objects to
 *   the parent all the same (lattice-agent client/connection.rs:309-340, client/deletion.rs:23-122),
 *   and the parent imports them and deletes it (lattice-cell server.rs:271-360).
 */
import { deleteLatticeCluster, getCapiCluster, getLatticeCluster, waitFor, watchAcross, LATTICE_CLUSTERS_PATH, type LatticeCluster } from '../kube/index.js';
import { CAPI_GROUP, CAPI_VERSION, capiNamespace } from '../kube/capi.js';
import type { ClusterRole } from '../run/roles.js';
import type { HierarchyDeps } from './deps.js';
import { clientOf } from './cluster-ref.js';

/** What a cluster says when its own deletion waits for its children (deletion.rs:241-265). */
export const DELETION_BLOCKED = /^Deletion blocked: (\d+) child cluster\(s\) exist: (.*)\. Delete children first or remove finalizer for break-glass\.$/;

/** What the parent showed while a child was removed from it. */
export interface RemovalReport {
  cluster: string;
  parent: string;
  /** Phases the parent's copy showed, in order. */
  parentPhases: string[];
  /** The parent's copy said its CAPI objects were imported back (status.unpivotImportComplete). */
  importComplete: boolean;
  /** A CAPI Cluster of the child appeared on the parent. */
  capiReturned: boolean;
  goneFromParent: boolean;
  parentStillHoldsCapiCluster: boolean;
}

/** A promise and the function that settles it (once; later calls do nothing). */
function settleOnce(): { done: Promise<void>; settle: () => void } {
  let settle: () => void = () => {};
  const done = new Promise<void>((res) => { settle = res; });
  return { done, settle };
}

/** A removal being followed: `ready` once both waits have read the parent (or ended). */
interface RemovalFollower { ready: Promise<void>; report: Promise<RemovalReport> }

/**
 * Follows the parent's copy of a child until it is gone, and the child's CAPI Cluster coming back
 * to the parent. It comes back and goes again within moments, so the delete may go out only once
 * `ready`: both waits have read the parent and watch from there.
 * The report never rejects: an unmet wait shows as `false` in it, its reason in the log.
 */
function followRemovalOnParent(deps: HierarchyDeps, role: ClusterRole): RemovalFollower {
  const { run, log } = deps;
  const ctx = run.clusters.require(role);
  const parent = run.clusters.require(ctx.parentRole!);
  const parentClient = clientOf(parent);
  const wait = { ...run.config.waits.deletion, signal: deps.signal };
  const parentPhases: string[] = [];
  let importComplete = false;
  // Each wait is ready once it has read the parent, or once it ended without reading (an error, the
  // run's signal): a wait that cannot read must not hold the delete back.
  const [capiRead, copyRead] = [settleOnce(), settleOnce()];
  const returned = waitFor<{ metadata?: { name?: string } }>({
    client: parentClient, path: `/apis/${CAPI_GROUP}/${CAPI_VERSION}/namespaces/${capiNamespace(ctx.name)}/clusters`,
    resource: `CAPI Clusters in ${capiNamespace(ctx.name)} on ${parent.name}`, conditionText: `holding ${ctx.name}`, ...wait,
    condition: (items) => items.some((c) => c.metadata?.name === ctx.name), onFirstRead: capiRead.settle,
    describe: (items) => (items ? `${items.length} CAPI Cluster(s)` : 'not listed yet'),
  }).then(() => true, (err: Error) => { log(`${ctx.name}'s CAPI Cluster on ${parent.name}: ${err.message}`); return false; });
  const gone = waitFor<LatticeCluster>({
    client: parentClient, path: LATTICE_CLUSTERS_PATH, fieldSelector: `metadata.name=${ctx.name}`,
    resource: `LatticeCluster ${ctx.name} on ${parent.name}`, conditionText: 'gone', ...wait,
    condition: (items) => items.length === 0, onFirstRead: copyRead.settle,
    onChange: (items) => {
      const c = items[0];
      if (!c) return;
      const phase = c.status?.phase ?? '(none)';
      if (parentPhases.at(-1) !== phase) { parentPhases.push(phase); log(`${ctx.name} on ${parent.name}: ${phase}`); }
      if ((c.status as { unpivotImportComplete?: boolean } | undefined)?.unpivotImportComplete) importComplete = true;
    },
    describe: (items) => (items?.[0] ? `phase ${items[0].status?.phase ?? '(none)'}` : 'gone'),
  }).then(() => true, (err: Error) => { log(`${ctx.name} on ${parent.name}: ${err.message}`); return false; });
  void returned.then(capiRead.settle);
  void gone.then(copyRead.settle);
  const ready = Promise.all([capiRead.done, copyRead.done]).then(() => undefined);
  const report = (async () => {
    const [capiReturned, goneFromParent] = await Promise.all([returned, gone]);
    if (goneFromParent) run.clusters.mark(role, 'gone');
    const leftover = await getCapiCluster(parentClient, ctx.name).catch(() => undefined);
    return { cluster: ctx.name, parent: parent.name, parentPhases, importComplete, capiReturned, goneFromParent, parentStillHoldsCapiCluster: leftover !== undefined };
  })();
  return { ready, report };
}

/** Deletes a pivoted child on its parent and follows the parent's copy until it is gone. */
export async function deleteOnParentAndWait(deps: HierarchyDeps, role: ClusterRole): Promise<RemovalReport> {
  const ctx = deps.run.clusters.require(role);
  const parentClient = clientOf(deps.run.clusters.require(ctx.parentRole!));
  if (!await getLatticeCluster(parentClient, ctx.name)) throw new Error(`${parentClient.name} holds no LatticeCluster ${ctx.name} to delete`);
  const removal = followRemovalOnParent(deps, role);
  await removal.ready;
  deps.log(`deleting ${ctx.name} on its parent ${parentClient.name}`);
  await deleteLatticeCluster(parentClient, ctx.name);
  return removal.report;
}

export interface BlockedDeletion {
  cluster: string;
  /** Its own copy's phase and message once blocked. */
  phase: string;
  message: string;
  /** The children the message names. */
  children: string[];
  /** What the parent does meanwhile (it removes the cluster all the same at b5d50e90). */
  removal: Promise<RemovalReport>;
}

/**
 * Deletes the cluster through its own API while it has children; resolves once its own copy says the
 * deletion is blocked. At b5d50e90 that message lives only until the agent's unpivot hands the cluster
 * to its parent (deletion.rs:241-265 vs client/deletion.rs:23-122), so the watch is open before the
 * delete, the verdict comes from the versions it delivered, and the API may go once the message was seen.
 */
export async function deleteWhileChildrenRun(deps: HierarchyDeps, role: ClusterRole): Promise<BlockedDeletion> {
  const { run, log } = deps;
  const ctx = run.clusters.require(role);
  const own = clientOf(ctx);
  let removal: Promise<RemovalReport> | undefined;
  const seen = await watchAcross<LatticeCluster>({
    client: own, path: LATTICE_CLUSTERS_PATH, name: ctx.name, resource: `LatticeCluster ${ctx.name} on its own API`,
    conditionText: 'saying its deletion is blocked', timeoutMs: run.config.waits.deletion.timeoutMs, signal: deps.signal,
    condition: (c) => DELETION_BLOCKED.test(c.status?.message ?? ''),
    failIf: (c) => (c.status?.phase === 'Unpivoting' ? 'it is Unpivoting: its controller let the deletion go ahead with children on it' : undefined),
    describe: (c) => (c ? `phase ${c.status?.phase ?? '(none)'}: ${c.status?.message ?? '(no message)'}` : 'gone'),
  }, async () => {
    const follower = followRemovalOnParent(deps, role);
    removal = follower.report;
    await follower.ready;
    log(`deleting ${ctx.name} through its own API while it has children`);
    await deleteLatticeCluster(own, ctx.name);
  });
  const message = seen.status?.message ?? '';
  log(`${ctx.name} (own copy): ${seen.status?.phase ?? '(none)'}: ${message}`);
  return {
    cluster: ctx.name, phase: seen.status?.phase ?? '', message,
    children: (DELETION_BLOCKED.exec(message)?.[2] ?? '').split(',').map((x) => x.trim()).filter(Boolean),
    removal: removal!,
  };
}
