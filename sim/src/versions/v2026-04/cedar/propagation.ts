/**
 * CedarPolicies a parent hands down to a child (issue 14's "inherited from the parent"). Upstream,
 * the parent's cell pushes its distributable resources to every connected agent on each change of
 * a watched kind and every 5 minutes (lattice-cell/src/parent/mod.rs:140-230); for CedarPolicy
 * these are the enabled, `propagate: true` objects of its lattice-system
 * (lattice-cell/src/resources.rs:101-111), renamed `<parent>--<name>` and labelled
 * origin-cluster / original-name / inherited=true (:245-271), metadata stripped of uid,
 * resourceVersion, creationTimestamp, managedFields, generation (lattice-core/src/lib.rs:113-121).
 * The agent server-side applies them into its lattice-system (lattice-agent/src/pivot.rs:384-392)
 * and never deletes one (commands/sync_resources.rs:50-52: "cleanup ... not yet implemented").
 *
 * The daemon starts this for a child once its parent is known and runs (addon.ts); the gates of the
 * child then load the copies as inherited policies (policy-set.ts).
 */
import type { KubeObject, ObjectStore } from '../../../apiserver/types.js';
import { CEDAR_API, CEDAR_KIND, INHERITED_LABEL, LATTICE_SYSTEM } from './policy-set.js';

/** lattice-common/src/lib.rs:365-369 */
export const ORIGIN_CLUSTER_LABEL = 'lattice.dev/origin-cluster';
export const ORIGINAL_NAME_LABEL = 'lattice.dev/original-name';
/** lattice-cell/src/parent/mod.rs:141 */
const FULL_SYNC_MS = 300_000;

/** What `parentName`'s cell sends for its CedarPolicies (resources.rs:101-111, :245-271). */
export function distributablePolicies(parentStore: ObjectStore, parentName: string): KubeObject[] {
  if (!parentStore.typeOf(CEDAR_API, CEDAR_KIND)) return [];
  return parentStore.list(CEDAR_API, CEDAR_KIND, { namespace: LATTICE_SYSTEM }).items
    .filter((p) => p.spec?.enabled !== false && p.spec?.propagate !== false)
    .map((p) => ({
      apiVersion: CEDAR_API, kind: CEDAR_KIND,
      metadata: {
        name: `${parentName}--${p.metadata.name}`, namespace: LATTICE_SYSTEM,
        labels: { ...p.metadata.labels, [ORIGIN_CLUSTER_LABEL]: parentName, [ORIGINAL_NAME_LABEL]: p.metadata.name, [INHERITED_LABEL]: 'true' },
        ...(p.metadata.annotations ? { annotations: { ...p.metadata.annotations } } : {}),
      },
      spec: structuredClone(p.spec),
    }));
}

/**
 * The agent's server-side apply with force (pivot.rs:358, :311-346): the sent labels and
 * annotations are set over the copy's, its spec becomes the sent one; status is not touched.
 */
export function applyInherited(childStore: ObjectStore, policies: KubeObject[]): void {
  if (!childStore.typeOf(CEDAR_API, CEDAR_KIND)) return;
  for (const p of policies) {
    const cur = childStore.get(CEDAR_API, CEDAR_KIND, p.metadata.name, LATTICE_SYSTEM);
    if (!cur) { childStore.create(p); continue; }
    const next: KubeObject = {
      ...cur,
      metadata: {
        ...cur.metadata,
        labels: { ...cur.metadata.labels, ...p.metadata.labels },
        ...(p.metadata.annotations ? { annotations: { ...cur.metadata.annotations, ...p.metadata.annotations } } : {}),
      },
      spec: p.spec,
    };
    if (JSON.stringify(next.metadata) !== JSON.stringify(cur.metadata) || JSON.stringify(next.spec) !== JSON.stringify(cur.spec)) {
      childStore.update(next);
    }
  }
}

export interface CedarPropagationOptions {
  parentName: string;
  parentStore: ObjectStore;
  childStore: ObjectStore;
  signal: AbortSignal;
  log?: (m: string) => void;
}

/** Pushes now, on every change of the parent's lattice-system CedarPolicies, and every 5 minutes. */
export function startCedarPropagation(o: CedarPropagationOptions): void {
  if (o.signal.aborted || !o.parentStore.typeOf(CEDAR_API, CEDAR_KIND)) return;
  let scheduled = false;
  const push = () => {
    scheduled = false;
    if (o.signal.aborted) return;
    try {
      applyInherited(o.childStore, distributablePolicies(o.parentStore, o.parentName));
    } catch (e) {
      o.log?.(`CedarPolicy sync from ${o.parentName} failed: ${(e as Error).message}`);
    }
  };
  // Coalesce a burst of parent writes into one push, and never write from inside a watch callback.
  const schedule = () => { if (!scheduled) { scheduled = true; setImmediate(push); } };
  const unwatch = o.parentStore.watch(CEDAR_API, CEDAR_KIND, { namespace: LATTICE_SYSTEM }, schedule);
  const timer = setInterval(schedule, FULL_SYNC_MS);
  timer.unref();
  o.signal.addEventListener('abort', () => { unwatch(); clearInterval(timer); }, { once: true });
  schedule();
}
