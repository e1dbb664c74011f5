/**
 * The LatticeService and LatticeMeshMember controllers of b5d50e90, one serialized pass each time
 * something they watch changes (LatticeServices, LMMs, CedarPolicies, namespaces) or a requeue is due.
 *
 * LatticeService (service/controller.rs:797-1151): no status ⇒ `Compiling`; then every pass
 * validates, authorizes (gates.ts) and compiles: a denial is `Failed` with the error and is
 * retried (30 s upstream), so a permit added later makes the service Ready, and a CedarPolicy change
 * re-reconciles every service (controller_runner.rs:574-580), so a withdrawn permit fails it at
 * once; compiled objects and the LMM `<svc>` are applied, and the service is Ready only when its
 * LMM is Ready, `MeshMember failed: <msg>` when it failed, Compiling otherwise.
 *
 * LatticeMeshMember (mm/controller.rs:180-330): the wildcard gate (AllowWildcard) is asked when the
 * member changed or its requeue is due (30 s after Failed, 60 s after Ready; the LMM controller does
 * not watch CedarPolicies), then the policies of mesh.ts are applied, the waypoint first when there
 * are ServiceEntries, and those applied before but no longer compiled are deleted.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject, ObjectStore } from '../../../apiserver/types.js';
import { DURATIONS, getSpeed } from '../../../clock.js';
import { checkWildcard } from '../cedar/index.js';
import { authorize, type GateFaults } from './gates.js';
import { MeshGraph, waypointObjects } from './mesh.js';
import { LATTICE_API, NAME_LABEL, waypointName } from './names.js';
import { serviceRefusal, validateMeshMemberSpec } from './validation.js';
import { compileWorkload, imagePullSecretsError, ownedVolumes, type VolumeOwner, type WorkloadFaults } from './workload.js';

export interface V2026_04Faults extends GateFaults, WorkloadFaults {
  /** `wildcard-permit-not-required`: the LMM's wildcard inbound is compiled without asking Cedar. */
  wildcardPermitNotRequired?: boolean;
  /** `waypoint-missing-with-externals`: ServiceEntries are applied without the namespace waypoint. */
  waypointMissingWithExternals?: boolean;
}

/** Upstream's requeue seconds in the target's time: a tenth, scaled by the speed (as lifecycle/operator.ts). */
const requeueMs = (seconds: number) => (seconds * 100) / getSpeed();

/** Objects the compiled 2026-04 workloads hold (kinds the deletion of orphans may touch). */
export const MESH_KINDS_2026_04: Array<[string, string]> = [
  ['security.istio.io/v1beta1', 'AuthorizationPolicy'], ['cilium.io/v2', 'CiliumNetworkPolicy'], ['networking.istio.io/v1beta1', 'ServiceEntry'],
];
const apiVersionOfKind = new Map(MESH_KINDS_2026_04.map(([v, k]) => [k, v]));

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Condition::merge_into: one condition per type, lastTransitionTime kept while the status stays. */
function mergeCondition(prev: any[] | undefined, type: string, status: string, reason: string, message: string): any[] {
  const old = (prev ?? []).find((c) => c.type === type);
  const next = { type, status, reason, message, lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now() };
  return [...(prev ?? []).filter((c) => c.type !== type), next];
}

function isGone(e: unknown): boolean {
  const code = (e as { code?: number }).code;
  return code === 404 || code === 409 || code === 410 || (code === 422 && /terminat/i.test(String((e as Error).message)));
}

const WAYPOINT_POD_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** Marks what Istio would make from the waypoint Gateway (the target plays Istio); the workload runtime runs it. */
const STAND_IN_LABEL = 'lattice.dev/compiled';

/** Istio's side of a waypoint Gateway: its ServiceAccount, Deployment and Service (not Lattice's objects). */
function waypointStandIn(ns: string): KubeObject[] {
  const wp = waypointName(ns);
  const labels = { [STAND_IN_LABEL]: 'true', [WAYPOINT_POD_LABEL]: wp };
  const podLabels = { [WAYPOINT_POD_LABEL]: wp, 'istio.io/waypoint-for': 'service', [NAME_LABEL]: wp, 'istio.io/dataplane-mode': 'none' };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: wp, namespace: ns, labels } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: wp, namespace: ns, labels },
      spec: {
        replicas: 1, selector: { matchLabels: { [WAYPOINT_POD_LABEL]: wp } },
        template: { metadata: { labels: podLabels }, spec: { serviceAccountName: wp, containers: [{ name: 'istio-proxy', image: 'istio/proxyv2:1.24.0', args: ['proxy', 'waypoint'], ports: [{ containerPort: 15008, name: 'mesh', protocol: 'TCP' }] }] } },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: wp, namespace: ns, labels }, spec: { selector: { [WAYPOINT_POD_LABEL]: wp }, ports: [{ name: 'mesh', port: 15008, targetPort: 15008, protocol: 'TCP' }] } },
  ];
}

interface WildcardCheck { generation: number; at: number; denied?: string }

/** Names of `service` resources a spec declares, in its own namespace (affected_neighbors maps names `.within(ns)`). */
function declaredServices(ls: KubeObject): string[] {
  const ns = ls.metadata.namespace ?? 'default';
  return Object.values((ls.spec?.workload?.resources ?? {}) as Record<string, any>)
    .filter((r) => r?.type === 'service' && (r.namespace ?? ns) === ns && typeof r.id === 'string' && r.id !== '*')
    .map((r) => r.id as string);
}

/**
 * When each service is reconciled again (svc/controller.rs; controller_runner.rs:530-600): on a new
 * generation of its own spec, on any CedarPolicy change (all services), when a graph neighbour's
 * service or mesh member changed (affected_neighbors drops the service itself, :904-911: its own
 * member's status does not wake it), else only on its requeue. Compiled objects are not watched
 * (no `.owns`), nor are volume owners' `allowedConsumers` (the gate reads them on the next pass).
 */
interface ServiceSchedule { generation: number; dueAt: number }

export class ServiceControllerV2026_04 {
  private since = new Map<string, number>();
  private schedule = new Map<string, ServiceSchedule>();
  private seenServiceGen = new Map<string, number>();
  private seenMemberRv = new Map<string, string>();
  private cedarKey = '';
  private wildcard = new Map<string, WildcardCheck>();
  private ipCounter = 10;

  constructor(
    private readonly store: ObjectStore,
    private readonly kickAfter: (ms: number) => void,
    private readonly faults: () => V2026_04Faults = () => ({}),
  ) {}

  reconcile(): void {
    const faults = this.faults();
    this.reconcileServices(faults);
    this.reconcileMeshMembers(faults);
  }

  // ---------------------------------------------------------------- LatticeService

  private writeStatus(kind: string, o: KubeObject, status: Record<string, unknown>): void {
    const cur = this.store.get(LATTICE_API, kind, o.metadata.name, o.metadata.namespace);
    if (!cur || JSON.stringify(cur.status ?? null) === JSON.stringify(status)) return;
    try { this.store.updateStatus({ ...cur, status }); } catch (e) { if (!isGone(e)) throw e; }
  }

  /** ServiceStatusUpdate (controller.rs:1364-1430): phase, message, merged condition, observedGeneration on Ready/Failed. */
  private serviceStatus(ls: KubeObject, phase: 'Compiling' | 'Ready' | 'Failed', message: string): void {
    const [type, status, reason] = phase === 'Compiling' ? ['Compiling', 'True', 'DependencyCheck'] : phase === 'Ready' ? ['Ready', 'True', 'ServiceReady'] : ['Ready', 'False', 'ValidationFailed'];
    const conditions = mergeCondition(ls.status?.conditions, type, status, reason, message);
    this.writeStatus('LatticeService', ls, {
      phase, message, conditions, ...(phase !== 'Compiling' && ls.metadata.generation !== undefined ? { observedGeneration: ls.metadata.generation } : {}),
    });
  }

  private volumeOwners(services: KubeObject[]): Map<string, VolumeOwner> {
    const owners = new Map<string, VolumeOwner>();
    for (const s of services) {
      if (s.metadata.deletionTimestamp) continue;
      const ns = s.metadata.namespace ?? 'default';
      for (const v of ownedVolumes(s.spec ?? {})) owners.set(`${ns}/${v.id}`, { namespace: ns, name: s.metadata.name, allowedConsumers: v.allowedConsumers });
    }
    return owners;
  }

  /** Services woken this pass besides their own schedule: every one on a CedarPolicy change, else graph neighbours of what changed. */
  private wokenServices(services: KubeObject[]): Set<string> | 'all' {
    const policies = this.store.typeOf(LATTICE_API, 'CedarPolicy') ? this.store.list(LATTICE_API, 'CedarPolicy', { namespace: 'lattice-system' }).items : [];
    const cedarKey = policies.map((p) => `${p.metadata.name}@${p.metadata.resourceVersion}`).sort().join(',');
    const cedarChanged = cedarKey !== this.cedarKey;
    this.cedarKey = cedarKey;
    // What changed since the last pass: a service's generation (or its arrival or removal), a member's resourceVersion.
    const changed = new Set<string>();
    const gens = new Map(services.map((ls) => [`${ls.metadata.namespace}/${ls.metadata.name}`, ls.metadata.generation ?? 0]));
    for (const [k, g] of gens) if (this.seenServiceGen.get(k) !== g) changed.add(k);
    for (const k of this.seenServiceGen.keys()) if (!gens.has(k)) changed.add(k);
    this.seenServiceGen = gens;
    const members = this.store.list(LATTICE_API, 'LatticeMeshMember').items;
    const rvs = new Map(members.map((m) => [`${m.metadata.namespace}/${m.metadata.name}`, m.metadata.resourceVersion ?? '']));
    for (const [k, rv] of rvs) if (this.seenMemberRv.get(k) !== rv) changed.add(k);
    for (const k of this.seenMemberRv.keys()) if (!rvs.has(k)) changed.add(k);
    this.seenMemberRv = rvs;
    if (cedarChanged) return 'all';
    const woken = new Set<string>();
    for (const ls of services) {
      const ns = ls.metadata.namespace ?? 'default';
      const self = `${ns}/${ls.metadata.name}`;
      for (const dep of declaredServices(ls)) {
        // An edge joins the two: a change of either wakes the other (dependencies and dependents), never itself.
        const other = `${ns}/${dep}`;
        if (other === self) continue;
        if (changed.has(self)) woken.add(other);
        if (changed.has(other)) woken.add(self);
      }
    }
    return woken;
  }

  /** Action::requeue(seconds): the service's next pass, in the target's time. */
  private requeue(ls: KubeObject, seconds: number): void {
    const ms = requeueMs(seconds);
    this.schedule.set(`${ls.metadata.namespace ?? 'default'}/${ls.metadata.name}`, { generation: ls.metadata.generation ?? 0, dueAt: Date.now() + ms });
    this.kickAfter(ms);
  }

  private reconcileServices(faults: V2026_04Faults): void {
    const services = this.store.list(LATTICE_API, 'LatticeService').items;
    const owners = this.volumeOwners(services);
    const names = new Set(services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
    const t = Date.now();
    const live = new Set<string>();
    const woken = this.wokenServices(services);
    for (const ls of services) {
      if (ls.metadata.deletionTimestamp) continue;
      const ns = ls.metadata.namespace ?? 'default';
      const key = `${ns}/${ls.metadata.name}`;
      live.add(key);
      const planned = this.schedule.get(key);
      const due = !planned || planned.generation !== (ls.metadata.generation ?? 0) || t >= planned.dueAt || woken === 'all' || woken.has(key);
      if (!due) continue;
      const refusal = serviceRefusal(ls.spec);
      if (refusal) { this.serviceStatus(ls, 'Failed', refusal); this.requeue(ls, 300); continue; }
      const phase: string | undefined = ls.status?.phase;
      if (phase === undefined || phase === 'Pending') {
        // The first write is Compiling (controller.rs:846-852), after the target's compile delay.
        const since = this.since.get(key) ?? t;
        this.since.set(key, since);
        const left = since + DURATIONS.compile / getSpeed() - t;
        if (left > 0) { this.kickAfter(left); continue; }
        this.serviceStatus(ls, 'Compiling', 'Compiling service dependencies');
        this.requeue(ls, 5); // REQUEUE_PENDING (controller.rs:846-852)
        continue;
      }
      const denied = authorize({
        store: this.store, namespace: ns, name: ls.metadata.name, spec: ls.spec,
        volumeOwner: (vns, id) => owners.get(`${vns}/${id}`), faults,
      });
      if (denied) { this.serviceStatus(ls, 'Failed', denied); this.requeue(ls, 30); continue; }
      const ctx = {
        volumeOwner: (vns: string, id: string) => owners.get(`${vns}/${id}`),
        serviceExists: (sns: string, n: string) => names.has(`${sns}/${n}`),
        imageProvider: (n: string) => !!this.store.get(LATTICE_API, 'ImageProvider', n, 'lattice-system')?.spec?.credentials,
        faults,
      };
      const pullError = imagePullSecretsError(ls.spec, ctx);
      if (pullError) { this.serviceStatus(ls, 'Failed', pullError); this.requeue(ls, 30); continue; }
      const compiled = compileWorkload(ls, ctx);
      for (const o of [...compiled.objects, compiled.meshMember]) this.apply(o);
      const mm = this.store.get(LATTICE_API, 'LatticeMeshMember', ls.metadata.name, ns);
      const mmPhase = mm?.status?.phase;
      // controller.rs:1083-1110, :1151: its own member's progress is seen on these requeues, not through a watch.
      if (mmPhase === 'Ready') { this.serviceStatus(ls, 'Ready', 'Service is operational'); this.requeue(ls, 60); continue; }
      if (mmPhase === 'Failed') {
        this.serviceStatus(ls, 'Failed', `MeshMember failed: ${mm?.status?.message ?? 'MeshMember reconciliation failed'}`);
        this.requeue(ls, 30);
        continue;
      }
      if (phase !== 'Compiling') this.serviceStatus(ls, 'Compiling', 'Compiling service dependencies');
      this.requeue(ls, 5);
    }
    for (const k of [...this.since.keys()]) if (!live.has(k)) this.since.delete(k);
    for (const k of [...this.schedule.keys()]) if (!live.has(k)) this.schedule.delete(k);
  }

  /** Server-side apply of a compiled object; a Service keeps the cluster IP it was given. */
  private apply(o: KubeObject): void {
    const cur = this.store.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
    let next = o;
    if (o.kind === 'Service' && o.apiVersion === 'v1') {
      const ip = cur?.spec?.clusterIP ?? this.allocateIp();
      next = { ...o, spec: { ...o.spec, type: 'ClusterIP', clusterIP: ip, clusterIPs: [ip] } };
    }
    if (cur) {
      const same = (a: KubeObject) => JSON.stringify({ l: a.metadata.labels ?? {}, o: a.metadata.ownerReferences ?? [], s: a.spec ?? null });
      if (same(cur) === same(next)) return;
      next = { ...next, metadata: { ...cur.metadata, labels: next.metadata.labels, ownerReferences: next.metadata.ownerReferences ?? cur.metadata.ownerReferences } };
    }
    // A new waypoint Gateway is accepted at once and programmed once its proxy runs (programWaypoints).
    if (o.kind === 'Gateway' && !cur) next = { ...next, status: { conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted' }, { type: 'Programmed', status: 'False', reason: 'Pending', message: 'Waiting for controller' }] } };
    if (o.kind === 'PersistentVolumeClaim' && !cur) next = { ...next, status: { phase: 'Bound', accessModes: o.spec.accessModes, capacity: { storage: o.spec.resources.requests.storage } } };
    try { this.store.apply(next); } catch (e) { if (!isGone(e)) throw e; }
  }

  private allocateIp(): string { this.ipCounter += 1; return `10.96.${100 + Math.floor(this.ipCounter / 250)}.${this.ipCounter % 250 + 1}`; }

  // ---------------------------------------------------------------- LatticeMeshMember

  /** status_ready / status_progressing / status_failed (mm/controller.rs:1007-1055). */
  private memberStatus(m: KubeObject, phase: 'Ready' | 'Progressing' | 'Failed', message: string, applied?: Array<{ kind: string; name: string }>): void {
    const [status, reason] = phase === 'Ready' ? ['True', 'PoliciesApplied'] : phase === 'Progressing' ? ['False', 'WaypointPending'] : ['False', 'ReconcileFailed'];
    const conditions = [{ type: 'Ready', status, reason, message, lastTransitionTime: now() }];
    const prevCond = (m.status?.conditions ?? [])[0];
    if (prevCond && prevCond.status === status && prevCond.message === message) conditions[0].lastTransitionTime = prevCond.lastTransitionTime;
    this.writeStatus('LatticeMeshMember', m, {
      phase, ...(phase !== 'Failed' ? { scope: m.spec?.target?.namespace ? 'Namespace' : 'Workload' } : {}), message,
      ...(m.metadata.generation !== undefined ? { observedGeneration: m.metadata.generation } : {}), conditions,
      appliedResources: applied ?? [],
    });
  }

  /**
   * Istio's part, played by the target: a waypoint Gateway is Programmed once a waypoint proxy pod
   * is Ready. Returns the namespaces whose waypoint is programmed (is_waypoint_programmed, mm/controller.rs:556-600).
   */
  private programWaypoints(): Set<string> {
    const programmed = new Set<string>();
    for (const gw of this.store.list('gateway.networking.k8s.io/v1', 'Gateway', { labelSelector: 'istio.io/waypoint-for=service' }).items) {
      const ns = gw.metadata.namespace ?? 'default';
      const cond = (gw.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Programmed');
      if (cond?.status === 'True') { programmed.add(ns); continue; }
      const running = this.store.list('v1', 'Pod', { namespace: ns, labelSelector: `${WAYPOINT_POD_LABEL}=${gw.metadata.name}` }).items
        .some((p) => (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));
      if (!running) continue;
      const conditions = [{ type: 'Accepted', status: 'True', reason: 'Accepted' }, { type: 'Programmed', status: 'True', reason: 'Programmed' }];
      try { this.store.updateStatus({ ...gw, status: { ...(gw.status ?? {}), conditions } }); programmed.add(ns); } catch (e) { if (!isGone(e)) throw e; }
    }
    return programmed;
  }

  /** check_cedar_wildcards (mm/controller.rs:334-373), asked only when due. */
  private wildcardDenial(m: KubeObject, faults: V2026_04Faults, t: number): string | undefined {
    const key = `${m.metadata.namespace}/${m.metadata.name}`;
    const gen = m.metadata.generation ?? 0;
    const prev = this.wildcard.get(key);
    const requeue = requeueMs(prev?.denied ? 30 : 60);
    if (prev && prev.generation === gen && t < prev.at + requeue) { this.kickAfter(prev.at + requeue - t); return prev.denied; }
    let denied: string | undefined;
    const ns = m.metadata.namespace ?? 'default';
    const sa = m.spec?.serviceAccount ?? m.metadata.name;
    const checks: Array<[boolean, 'inbound' | 'outbound', string]> = [
      [(m.spec?.allowedCallers ?? []).some((c: any) => c.name === '*'), 'inbound', 'allows_all (wildcard inbound)'],
      [m.spec?.dependsAll === true, 'outbound', 'depends_all (wildcard outbound)'],
    ];
    // Without a wildcard nothing is asked, so no requeue is needed to see a policy change.
    if (!checks.some(([active]) => active)) { this.wildcard.delete(key); return undefined; }
    for (const [active, direction, text] of checks) {
      if (!active || faults.wildcardPermitNotRequired) continue;
      if (!checkWildcard(this.store, ns, sa, direction).allowed) {
        denied = `Cedar policy denied ${text} for ${ns}/${sa}; add a permit policy for Action::"AllowWildcard" on Mesh::"${direction}"`;
        break;
      }
    }
    this.wildcard.set(key, { generation: gen, at: t, denied });
    this.kickAfter(requeueMs(denied ? 30 : 60));
    return denied;
  }

  private reconcileMeshMembers(faults: V2026_04Faults): void {
    const members = this.store.list(LATTICE_API, 'LatticeMeshMember').items;
    const graph = new MeshGraph(members);
    const t = Date.now();
    const waypointsDone = new Set<string>();
    const programmed = this.programWaypoints();
    for (const m of members) {
      if (m.metadata.deletionTimestamp) continue;
      const ns = m.metadata.namespace ?? 'default';
      const invalid = validateMeshMemberSpec(m.spec);
      if (invalid) { this.memberStatus(m, 'Failed', invalid); continue; }
      const denied = this.wildcardDenial(m, faults, t);
      // A failed member keeps what it applied before (nothing is deleted on failure).
      if (denied) { this.memberStatus(m, 'Failed', denied); continue; }
      this.labelAmbient(ns);
      const policies = graph.compile(ns, m.metadata.name);
      if (policies.some((p) => p.kind === 'ServiceEntry') && !faults.waypointMissingWithExternals && !waypointsDone.has(ns)) {
        waypointsDone.add(ns);
        for (const o of [...waypointObjects(ns), ...waypointStandIn(ns)]) this.apply(o);
      }
      // ServiceEntries wait until the waypoint is programmed (mm/controller.rs:456-466); the fault skips both.
      const hasEntries = policies.some((p) => p.kind === 'ServiceEntry');
      const ready = !hasEntries || programmed.has(ns) || !!faults.waypointMissingWithExternals;
      for (const p of policies) if (ready || p.kind !== 'ServiceEntry') this.apply(p);
      const applied = policies.map((p) => ({ kind: p.kind, name: p.metadata.name }));
      const wanted = new Set(applied.map((a) => `${a.kind}/${a.name}`));
      for (const old of (m.status?.appliedResources ?? []) as Array<{ kind: string; name: string }>) {
        const apiVersion = apiVersionOfKind.get(old.kind);
        if (!apiVersion || wanted.has(`${old.kind}/${old.name}`)) continue;
        try { this.store.delete(apiVersion, old.kind, old.name, ns); } catch (e) { if (!isGone(e)) throw e; }
      }
      if (ready) this.memberStatus(m, 'Ready', 'Policies applied successfully', applied);
      else { this.memberStatus(m, 'Progressing', 'Waiting for waypoint to program ServiceEntries', applied); this.kickAfter(requeueMs(10)); }
    }
    for (const k of [...this.wildcard.keys()]) if (!members.some((m) => `${m.metadata.namespace}/${m.metadata.name}` === k)) this.wildcard.delete(k);
  }

  /** ensure_namespace_ambient (mm/controller.rs:515-535). */
  private labelAmbient(ns: string): void {
    const obj = this.store.get('v1', 'Namespace', ns);
    if (!obj || obj.metadata.deletionTimestamp || obj.metadata.labels?.['istio.io/dataplane-mode'] === 'ambient') return;
    try { this.store.mergePatch('v1', 'Namespace', ns, undefined, { metadata: { labels: { 'istio.io/dataplane-mode': 'ambient' } } }); } catch (e) { if (!isGone(e)) throw e; }
  }
}
