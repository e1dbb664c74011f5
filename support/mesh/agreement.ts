/**
 * Lattice's bilateral agreement (lattice-facts §6), the single source of every mesh expectation:
 * caller→callee flows iff the caller declares the callee `outbound`/`both` AND the callee declares
 * the caller `inbound`/`both` (or `*`). For an external service: the caller declares it as an
 * `external-service` dependency AND is among its `allowedRequesters` (or `*`).
 */

export type Direction = 'outbound' | 'inbound' | 'both';

/** One `spec.resources` entry of a LatticeService, as Lattice reads it (§1.3). */
export interface ResourceEntry {
  type: string;
  /** Omitted ⇒ `outbound`. */
  direction?: Direction;
  /** Target name; omitted ⇒ the map key. */
  id?: string;
  namespace?: string;
  params?: Record<string, unknown>;
}

/** What one LatticeService declares about its neighbours. */
export interface ServiceDeclaration {
  name: string;
  resources: Record<string, ResourceEntry>;
}

/** One LatticeExternalService: a single `default` endpoint and who may call it. */
export interface ExternalDeclaration {
  name: string;
  url: string;
  allowedRequesters: string[];
}

/** Everything declared in one namespace. */
export interface MeshDeclarations {
  namespace: string;
  services: ServiceDeclaration[];
  externals: ExternalDeclaration[];
  /**
   * Services the platform lets accept any caller (a `*` inbound declaration). Where Lattice gates
   * wildcards by policy (2026-04: Cedar AllowWildcard) a `*` without it fails the service; where it
   * does not (2026-01) the list changes nothing.
   */
  anyCallerPermitted?: string[];
}

export type AgreementKind = 'service' | 'external' | 'unknown';

/** Both halves of an edge and their conjunction. */
export interface Agreement {
  caller: string;
  callee: string;
  kind: AgreementKind;
  /** The caller declares the callee as an outbound dependency. */
  callerDeclares: boolean;
  /** The callee accepts the caller (inbound entry, `*`, or allowedRequesters). */
  calleeAccepts: boolean;
  allowed: boolean;
}

interface ServiceIndex {
  outboundServices: Set<string>;
  outboundExternals: Set<string>;
  inboundCallers: Set<string>;
}

/** Declarations indexed for O(1) agreement look-ups (meshes of thousands of services). */
export interface AgreementIndex {
  readonly namespace: string;
  readonly services: ReadonlyMap<string, ServiceIndex>;
  readonly externals: ReadonlyMap<string, ReadonlySet<string>>;
}

const isOutbound = (d: Direction | undefined): boolean => d === undefined || d === 'outbound' || d === 'both';
const isInbound = (d: Direction | undefined): boolean => d === 'inbound' || d === 'both';

/** Builds the look-up index; entries naming another namespace do not count for same-namespace peers. */
export function indexDeclarations(mesh: MeshDeclarations): AgreementIndex {
  const services = new Map<string, ServiceIndex>();
  for (const svc of mesh.services) {
    const idx: ServiceIndex = { outboundServices: new Set(), outboundExternals: new Set(), inboundCallers: new Set() };
    for (const [key, entry] of Object.entries(svc.resources)) {
      if (entry.namespace !== undefined && entry.namespace !== mesh.namespace) continue;
      const target = entry.id ?? key;
      if (entry.type === 'service') {
        if (isOutbound(entry.direction)) idx.outboundServices.add(target);
        if (isInbound(entry.direction)) idx.inboundCallers.add(target);
      } else if (entry.type === 'external-service' && isOutbound(entry.direction)) {
        idx.outboundExternals.add(target);
      }
    }
    services.set(svc.name, idx);
  }
  const externals = new Map<string, ReadonlySet<string>>();
  for (const ext of mesh.externals) externals.set(ext.name, new Set(ext.allowedRequesters));
  return { namespace: mesh.namespace, services, externals };
}

/** The agreement for caller→callee. A callee that is neither a service nor an external is never reached. */
export function agreementBetween(index: AgreementIndex, caller: string, callee: string): Agreement {
  const from = index.services.get(caller);
  const toService = index.services.get(callee);
  if (toService) {
    const callerDeclares = from?.outboundServices.has(callee) ?? false;
    const calleeAccepts = toService.inboundCallers.has(caller) || toService.inboundCallers.has('*');
    return { caller, callee, kind: 'service', callerDeclares, calleeAccepts, allowed: callerDeclares && calleeAccepts };
  }
  const requesters = index.externals.get(callee);
  if (requesters) {
    const callerDeclares = from?.outboundExternals.has(callee) ?? false;
    const calleeAccepts = requesters.has(caller) || requesters.has('*');
    return { caller, callee, kind: 'external', callerDeclares, calleeAccepts, allowed: callerDeclares && calleeAccepts };
  }
  return { caller, callee, kind: 'unknown', callerDeclares: from?.outboundServices.has(callee) ?? false, calleeAccepts: false, allowed: false };
}

/** Whether Lattice lets caller reach callee. */
export function isAllowed(index: AgreementIndex, caller: string, callee: string): boolean {
  return agreementBetween(index, caller, callee).allowed;
}

/**
 * Resource entries from name lists: services called, callers accepted (`*` = anyone) and externals
 * called. A service on both sides becomes one `both` entry; keys are the target names (`id` repeats
 * them, so a clashing key can be renamed without changing the meaning).
 */
export function serviceResources(outbound: readonly string[], inbound: readonly string[], externals: readonly string[] = []): Record<string, ResourceEntry> {
  const resources: Record<string, ResourceEntry> = {};
  for (const t of outbound) resources[t] = { type: 'service', direction: 'outbound', id: t };
  for (const c of inbound) {
    const existing = resources[c];
    if (existing) existing.direction = 'both';
    else resources[c] = c === '*' ? { type: 'service', direction: 'inbound' } : { type: 'service', direction: 'inbound', id: c };
  }
  for (const e of externals) {
    const key = resources[e] ? `external-${e}` : e;
    resources[key] = { type: 'external-service', direction: 'outbound', id: e };
  }
  return resources;
}

/** A generic human reason for an agreement's outcome (used where upstream gives none). */
export function explainAgreement(a: Agreement): string {
  if (a.allowed) return 'bilateral agreement';
  if (a.kind === 'unknown') return `${a.callee} is not declared in the namespace`;
  if (a.callerDeclares) return a.kind === 'external' ? `${a.caller} not in allowedRequesters of ${a.callee}` : `${a.callee} does not accept ${a.caller}`;
  if (a.calleeAccepts) return `${a.caller} does not declare ${a.callee}`;
  return 'no declaration on either side';
}
