/**
 * The LatticeService controller: compiles every declaration, walks each service through
 * Compiling → Ready (or Failed), applies the compiled objects that changed (never deleting one, as
 * Lattice), and labels namespaces for ambient mode.
 */
import type { KubeObject, ObjectStore } from '../apiserver/types.js';
import { DURATIONS, getSpeed } from '../clock.js';
import { faultOn } from '../faults.js';
import { compile, type CompileFaults, type CompiledStatus, type CompileResult } from './compile.js';
import { COMPILED_LABEL, LATTICE_API, OWNER_LABEL, serviceKey, waypointName } from './model.js';

export const COMPILED_KINDS: Array<[string, string]> = [
  ['v1', 'ServiceAccount'], ['apps/v1', 'Deployment'], ['v1', 'Service'], ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['v1', 'PersistentVolumeClaim'], ['cilium.io/v2', 'CiliumNetworkPolicy'], ['security.istio.io/v1beta1', 'AuthorizationPolicy'],
  ['gateway.networking.k8s.io/v1', 'Gateway'], ['gateway.networking.k8s.io/v1', 'HTTPRoute'], ['cert-manager.io/v1', 'Certificate'],
  ['networking.istio.io/v1beta1', 'ServiceEntry'],
];

export function compileFaults(): CompileFaults {
  return {
    oneSidedOutboundAllowed: faultOn('one-sided-outbound-allowed'),
    oneSidedInboundAllowed: faultOn('one-sided-inbound-allowed'),
    wildcardInboundIgnored: faultOn('wildcard-inbound-ignored'),
    externalOpenToAll: faultOn('external-open-to-all'),
    colocationIgnored: faultOn('colocation-ignored'),
    pvcMissing: faultOn('pvc-missing'),
    noWaypoint: faultOn('no-waypoint'),
  };
}

const objKey = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Status a compiled object is born with (what its own controller would report). */
function withStatus(o: KubeObject): KubeObject {
  switch (o.kind) {
    case 'PersistentVolumeClaim':
      return { ...o, status: { phase: 'Bound', accessModes: o.spec.accessModes, capacity: { storage: o.spec.resources.requests.storage } } };
    case 'Gateway':
      return { ...o, status: { conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted' }, { type: 'Programmed', status: 'True', reason: 'Programmed' }] } };
    case 'Certificate':
      return { ...o, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: 'Certificate is up to date and has not expired' }] } };
    default:
      return o;
  }
}

/** Unions rules with what the store holds: the `stale-policy-kept` fault never takes a permission back. */
function keepStale(desired: KubeObject, existing: KubeObject): KubeObject {
  const uniq = (xs: unknown[]) => [...new Map(xs.map((x) => [JSON.stringify(x), x])).values()];
  if (desired.kind === 'CiliumNetworkPolicy') {
    return { ...desired, spec: { ...desired.spec, ingress: uniq([...(existing.spec?.ingress ?? []), ...(desired.spec.ingress ?? [])]), egress: uniq([...(existing.spec?.egress ?? []), ...(desired.spec.egress ?? [])]) } };
  }
  if (desired.kind === 'AuthorizationPolicy' && desired.spec.action === 'ALLOW') {
    const principals = (o: KubeObject): string[] => o.spec?.rules?.[0]?.from?.[0]?.source?.principals ?? [];
    const merged = [...new Set([...principals(existing), ...principals(desired)])].sort();
    if (!desired.spec.rules?.[0]?.from?.[0]?.source?.principals) return desired;
    const rules = structuredClone(desired.spec.rules);
    rules[0].from[0].source.principals = merged;
    return { ...desired, spec: { ...desired.spec, rules } };
  }
  return desired;
}

function differs(desired: KubeObject, existing: KubeObject): boolean {
  const pick = (o: KubeObject) => JSON.stringify({ labels: o.metadata.labels ?? {}, spec: o.spec ?? null });
  return pick(desired) !== pick(existing);
}

function condition(type: string, status: string, reason: string, message: string, prev: KubeObject['status']) {
  const old = (prev?.conditions ?? []).find((c: { type: string; status: string }) => c.type === type && c.status === status);
  return { type, status, reason, message, lastTransitionTime: old?.lastTransitionTime ?? now() };
}

/**
 * The three LatticeService status writes of lattice-service/src/controller.rs:857-916 (merge patches;
 * external services :919-960): phase, message, one condition, and lastCompiledAt when Ready. Nothing else is ever written, in
 * particular not observedGeneration nor resolvedDependencies (declared in crd/service.rs:1210-1215).
 */
const compilingStatus = () => ({ phase: 'Compiling', message: 'Compiling service dependencies', conditions: [condition('Compiling', 'True', 'DependencyCheck', 'Checking service dependencies', undefined)] });
const readyStatus = (prev: KubeObject['status']) => ({
  phase: 'Ready', message: 'Service is operational', lastCompiledAt: now(),
  conditions: [condition('Ready', 'True', 'ServiceReady', 'All dependencies resolved', prev)],
});
const failedStatus = (message: string) => ({ phase: 'Failed', message, conditions: [condition('Ready', 'False', 'ValidationFailed', message, undefined)] });

export class ServiceController {
  private since = new Map<string, number>();

  constructor(private readonly store: ObjectStore, private readonly kickAfter: (ms: number) => void) {}

  private delay(): number { return DURATIONS.compile / getSpeed(); }

  private memo?: { key: string; result: CompileResult };
  /** Compiles again only when a declaration's spec (generation), its deletion, or the faults changed. */
  private compileMemo(services: KubeObject[], externals: KubeObject[]): CompileResult {
    const faults = compileFaults();
    const key = JSON.stringify([faults, ...[...services, ...externals].map((o) => `${o.metadata.uid}:${o.metadata.generation}:${o.metadata.deletionTimestamp ? 'x' : ''}`)]);
    if (this.memo?.key !== key) this.memo = { key, result: compile(services, externals, faults) };
    return this.memo.result;
  }

  private patchStatus(kind: string, o: KubeObject, status: Record<string, unknown>) {
    try { this.store.mergePatch(LATTICE_API, kind, o.metadata.name, o.metadata.namespace, { status }, 'status'); } catch { /* deleted meanwhile */ }
  }

  /** One pass; returns nothing, reschedules itself through kickAfter when a phase is due later. */
  reconcile(): void {
    const services = this.store.list(LATTICE_API, 'LatticeService').items;
    const externals = this.store.list(LATTICE_API, 'LatticeExternalService').items;
    const result = this.compileMemo(services, externals);
    const t = Date.now();
    const gate = new Set<string>();
    const readyWrites: Array<() => void> = [];
    const due = (key: string) => {
      const since = this.since.get(key) ?? t;
      if (!this.since.has(key)) this.since.set(key, t);
      const left = since + this.delay() - t;
      if (left > 0) { this.kickAfter(left); return false; }
      return true;
    };
    const live = new Set<string>();

    for (const ls of services) {
      if (ls.metadata.deletionTimestamp) continue;
      const key = serviceKey(ls.metadata.namespace ?? 'default', ls.metadata.name);
      live.add(key);
      const st = result.services.get(key) as CompiledStatus;
      const cur: string | undefined = ls.status?.phase;
      if (st.phase === 'Failed') {
        if (cur !== 'Failed' || ls.status?.message !== st.message) this.patchStatus('LatticeService', ls, failedStatus(st.message));
        continue;
      }
      // Failed is terminal: its branch only requeues (controller.rs:676-681), a valid spec does not leave it.
      if (cur === 'Failed') { continue; }
      // No status counts as Pending and is never written: the first write is Compiling (controller.rs:586-594).
      if (cur === undefined || cur === 'Pending') {
        if (!due(key)) { continue; }
        this.patchStatus('LatticeService', ls, compilingStatus());
        this.since.set(key, t); this.kickAfter(this.delay()); continue;
      }
      if (st.phase === 'Compiling') {
        // Waiting for dependencies rewrites nothing; a Ready service losing one goes back to Compiling (:639-648).
        if (cur !== 'Compiling') { this.patchStatus('LatticeService', ls, compilingStatus()); this.since.set(key, t); }
        continue;
      }
      // Compiled: objects are applied in this pass, Ready is written after them, once (a Ready service
      // recompiles on every change without writing its status, :639-675).
      if (cur !== 'Ready' && !due(key)) { continue; }
      gate.add(key);
      if (cur !== 'Ready') readyWrites.push(() => this.patchStatus('LatticeService', ls, readyStatus(ls.status)));
    }
    for (const k of [...this.since.keys()]) if (!live.has(k)) this.since.delete(k);

    for (const le of externals) {
      if (le.metadata.deletionTimestamp) continue;
      const st = result.externals.get(serviceKey(le.metadata.namespace ?? 'default', le.metadata.name));
      if (!st) continue;
      if (st.phase === 'Ready' && le.status?.phase !== 'Ready') {
        this.patchStatus('LatticeExternalService', le, { phase: 'Ready', message: 'External service is configured', conditions: [condition('Ready', 'True', 'EndpointsConfigured', 'All endpoints are configured', le.status)] });
      } else if (st.phase === 'Failed' && (le.status?.phase !== 'Failed' || le.status?.message !== st.message)) {
        this.patchStatus('LatticeExternalService', le, { phase: 'Failed', message: st.message, conditions: [condition('Ready', 'False', 'ValidationFailed', st.message, le.status)] });
      }
    }

    for (const ns of result.namespaces) this.labelNamespace(ns);

    // Objects of a service are written only once it compiles; those of a service still Pending,
    // Compiling or Failed are left as they are.
    const ownerKey = (o: KubeObject) => serviceKey(o.metadata.namespace ?? 'default', o.metadata.labels?.[OWNER_LABEL] ?? '');
    const isServiceOwned = (o: KubeObject) => { const owner = o.metadata.labels?.[OWNER_LABEL] ?? ''; return owner !== 'waypoint' && !owner.startsWith('external.'); };
    const desired = result.objects.filter((o) => !isServiceOwned(o) || gate.has(ownerKey(o)));
    const existing = new Map<string, KubeObject>();
    for (const [apiVersion, kind] of COMPILED_KINDS) {
      for (const o of this.store.list(apiVersion, kind, { labelSelector: `${COMPILED_LABEL}=true` }).items) existing.set(objKey(o), o);
    }
    const stale = faultOn('stale-policy-kept');
    for (let o of desired) {
      const k = objKey(o);
      const cur = existing.get(k);
      if (cur && stale) o = keepStale(o, cur);
      if (o.kind === 'Service') {
        const ip = cur?.spec?.clusterIP ?? this.allocateIp();
        o = { ...o, spec: { ...o.spec, type: 'ClusterIP', clusterIP: ip, clusterIPs: [ip] } };
      }
      if (cur && !differs(o, cur)) continue;
      try { this.store.apply(withStatus(o)); } catch (e) { if (!isGone(e)) throw e; }
    }
    // Apply only, never delete (lattice-service/src/controller.rs:211-… server-side applies; no
    // ownerReferences, and a deleted service is only dropped from the graph, :824-837): an object no
    // longer compiled (e.g. `allow-to-<svc>` once its last caller is gone, policy/mod.rs:372-384) or
    // one of a deleted LatticeService stays as last applied. Only a namespace deletion removes them.
    for (const w of readyWrites) w();
  }

  private ipCounter = 10;
  private allocateIp(): string { this.ipCounter += 1; return `10.96.${Math.floor(this.ipCounter / 250)}.${this.ipCounter % 250 + 1}`; }

  private labelNamespace(ns: string) {
    const obj = this.store.get('v1', 'Namespace', ns);
    if (!obj || obj.metadata.deletionTimestamp) return;
    const want = { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': waypointName(ns) };
    if (Object.entries(want).every(([k, v]) => obj.metadata.labels?.[k] === v)) return;
    try { this.store.mergePatch('v1', 'Namespace', ns, undefined, { metadata: { labels: want } }); } catch (e) { if (!isGone(e)) throw e; }
  }
}

function isGone(e: unknown): boolean {
  const code = (e as { code?: number }).code;
  return code === 404 || code === 409 || code === 410 || (code === 422 && /terminat/i.test(String((e as Error).message)));
}
