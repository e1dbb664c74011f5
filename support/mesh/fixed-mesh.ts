/**
 * The fixed 9-service mesh of lattice-facts §4.4 (namespace `mesh-test`): declarations only;
 * the 24 expectations are derived from them through the agreement function.
 */
import { agreementBetween, indexDeclarations, serviceResources, type Agreement, type MeshDeclarations, type ServiceDeclaration } from './agreement.js';
import { serviceUrl, type MeshCheck } from './checks.js';

export const FIXED_MESH_NAMESPACE = 'mesh-test';

export const FIXED_FRONTENDS = ['frontend-web', 'frontend-mobile', 'frontend-admin'] as const;
export const FIXED_APIS = ['api-gateway', 'api-users', 'api-orders'] as const;
export const FIXED_BACKENDS = ['db-users', 'db-orders', 'cache'] as const;

/** Probe order per frontend, as upstream's table reads: APIs, stores, then the two peers. */
const PROBE_ORDER = [...FIXED_APIS, ...FIXED_BACKENDS, ...FIXED_FRONTENDS];

type Role = 'frontend' | 'api' | 'db' | 'cache';
const ROLE: Record<string, Role> = {
  'frontend-web': 'frontend', 'frontend-mobile': 'frontend', 'frontend-admin': 'frontend',
  'api-gateway': 'api', 'api-users': 'api', 'api-orders': 'api',
  'db-users': 'db', 'db-orders': 'db', cache: 'cache',
};

/** §4.4 table: outbound and inbound-from lists per service. */
const DECLARED: Record<string, { outbound: readonly string[]; inbound: readonly string[] }> = {
  'frontend-web': { outbound: others('frontend-web'), inbound: [] },
  'frontend-mobile': { outbound: others('frontend-mobile'), inbound: [] },
  'frontend-admin': { outbound: others('frontend-admin'), inbound: [] },
  'api-gateway': { outbound: ['db-users', 'db-orders', 'cache'], inbound: [...FIXED_FRONTENDS] },
  'api-users': { outbound: ['db-users', 'cache'], inbound: ['frontend-web', 'frontend-admin'] },
  'api-orders': { outbound: ['db-orders', 'cache'], inbound: ['frontend-mobile', 'frontend-admin'] },
  'db-users': { outbound: [], inbound: ['api-gateway', 'api-users'] },
  'db-orders': { outbound: [], inbound: ['api-gateway', 'api-orders'] },
  cache: { outbound: [], inbound: ['api-gateway', 'api-users', 'api-orders'] },
};

function others(name: string): string[] {
  return [...FIXED_FRONTENDS, ...FIXED_APIS, ...FIXED_BACKENDS].filter((n) => n !== name);
}

export interface FixedMesh {
  declarations: MeshDeclarations;
  /** Probing services (curl images, no Service). */
  sources: string[];
  /** Deploy order, deepest first: stores, APIs, frontends (§4.4). */
  tiers: string[][];
  checks: MeshCheck[];
}

/** Upstream's reason wording for a fixed-mesh check. */
export function fixedMeshReason(a: Agreement): string {
  if (a.allowed) return 'bilateral agreement';
  const role = ROLE[a.callee];
  if (role === 'frontend') return 'no peer access';
  if (role === 'db') return 'no direct DB access';
  if (role === 'cache') return 'no direct cache access';
  const short = (n: string): string => n.replace(/^(frontend|api)-/, '');
  return `${short(a.caller)} not allowed by ${short(a.callee)}`;
}

/** The §4.4 declarations, as LatticeService resource maps. */
export function fixedMeshDeclarations(): MeshDeclarations {
  const services: ServiceDeclaration[] = Object.entries(DECLARED).map(([name, d]) => ({ name, resources: serviceResources(d.outbound, d.inbound) }));
  return { namespace: FIXED_MESH_NAMESPACE, services, externals: [] };
}

/** Each frontend probes every other service; expectations come from the declarations given. */
export function deriveFixedMeshChecks(declarations: MeshDeclarations): MeshCheck[] {
  const index = indexDeclarations(declarations);
  const checks: MeshCheck[] = [];
  for (const source of FIXED_FRONTENDS) {
    for (const target of PROBE_ORDER) {
      if (target === source) continue;
      const a = agreementBetween(index, source, target);
      checks.push({ source, target, url: serviceUrl(target, declarations.namespace), kind: 'service', expected: a.allowed ? 'ALLOWED' : 'BLOCKED', reason: fixedMeshReason(a) });
    }
  }
  return checks;
}

export function buildFixedMesh(): FixedMesh {
  const declarations = fixedMeshDeclarations();
  return { declarations, sources: [...FIXED_FRONTENDS], tiers: [[...FIXED_BACKENDS], [...FIXED_APIS], [...FIXED_FRONTENDS]], checks: deriveFixedMeshChecks(declarations) };
}
