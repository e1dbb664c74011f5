/**
 * The CedarPolicy validation controller (lattice-api/src/cedar/validation.rs at b5d50e90, started
 * by the operator for CedarPolicies of every namespace: lattice-operator/src/main.rs:390-419).
 * Each object gets phase Valid (counts of permit and forbid statements) or Invalid (Cedar's parse
 * errors); a disabled one is Valid with "Policy is disabled". The status is merge-patched, so a
 * field the new status leaves out (an empty validationErrors) keeps its old value, as upstream.
 */
import type { KubeObject, ObjectStore } from '../../../apiserver/types.js';
import { WorkQueue } from '../../../lifecycle/queue.js';
import { CEDAR_API, CEDAR_KIND, parseStatements } from './policy-set.js';

export interface CedarPolicyStatus {
  phase: 'Pending' | 'Valid' | 'Invalid';
  message?: string;
  permitCount: number;
  forbidCount: number;
  lastValidated?: string;
  validationErrors?: string[];
  observedGeneration?: number;
}

/** validation.rs:100-161 */
export function validatePolicy(o: KubeObject, now: string): CedarPolicyStatus {
  const generation = o.metadata.generation;
  const common = { lastValidated: now, ...(generation !== undefined ? { observedGeneration: generation } : {}) };
  if (o.spec?.enabled === false) return { phase: 'Valid', message: 'Policy is disabled', permitCount: 0, forbidCount: 0, ...common };
  const parsed = parseStatements(String(o.spec?.policies ?? ''));
  if (!parsed.ok) {
    return { phase: 'Invalid', message: `${parsed.errors.length} parse error(s)`, permitCount: 0, forbidCount: 0, ...common, validationErrors: parsed.errors };
  }
  const permitCount = parsed.statements.filter((s) => s.effect === 'permit').length;
  const forbidCount = parsed.statements.length - permitCount;
  return { phase: 'Valid', message: `${permitCount} permit, ${forbidCount} forbid statements`, permitCount, forbidCount, ...common };
}

/** validation.rs:42-52: nothing is written when these already match. */
function unchanged(current: Partial<CedarPolicyStatus> | undefined, next: CedarPolicyStatus, generation: number | undefined): boolean {
  if (!current) return false;
  return current.phase === next.phase && current.permitCount === next.permitCount && current.forbidCount === next.forbidCount
    && JSON.stringify(current.validationErrors ?? []) === JSON.stringify(next.validationErrors ?? [])
    && current.observedGeneration === generation;
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

/**
 * Runs the controller on `store` until `signal` aborts. Upstream requeues every 300 s (Valid) or
 * 60 s (Invalid) to re-validate an unchanged spec; the result cannot differ, so there is no timer.
 */
export function startCedarPolicyStatus(store: ObjectStore, signal: AbortSignal, log: (m: string) => void = () => {}): void {
  if (!store.typeOf(CEDAR_API, CEDAR_KIND)) return;
  // Our own status writes: upstream's reconcile would run again on them (and, with validationErrors
  // kept by the merge, write again and again); here they are not reconciled.
  const written = new Map<string, string>();
  const queue = new WorkQueue(async (key) => {
    await null; // never write from inside the watch callback that queued us
    const [namespace, name] = key.split('/');
    const o = store.get(CEDAR_API, CEDAR_KIND, name, namespace);
    if (!o || o.metadata.deletionTimestamp) { written.delete(key); return; }
    if (written.get(key) === o.metadata.resourceVersion) return;
    const next = validatePolicy(o, new Date().toISOString());
    if (unchanged(o.status, next, o.metadata.generation)) return;
    const patched = store.mergePatch(CEDAR_API, CEDAR_KIND, name, namespace, { status: next }, 'status');
    written.set(key, String(patched.metadata.resourceVersion));
    log(`CedarPolicy ${key}: ${next.phase} (${next.message})`);
  }, signal, (key, err) => log(`CedarPolicy ${key}: status update failed: ${(err as Error).message}`));
  const unwatch = store.watch(CEDAR_API, CEDAR_KIND, {}, (e) => {
    if (e.type === 'ADDED' || e.type === 'MODIFIED') queue.add(keyOf(e.object));
    else if (e.type === 'DELETED') written.delete(keyOf(e.object));
  });
  signal.addEventListener('abort', unwatch, { once: true });
  for (const o of store.list(CEDAR_API, CEDAR_KIND).items) queue.add(keyOf(o));
}
