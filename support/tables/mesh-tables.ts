import { SuiteError } from '../errors.js';
import { agreementBetween, deriveFixedMeshChecks, explainAgreement, indexDeclarations, serviceUrl, serviceResources, FIXED_MESH_NAMESPACE, type MeshCheck, type MeshDeclarations } from '../mesh/index.js';
import { listCell, readRows, type RawTable } from './table.js';

export interface DeclaredService { service: string; layer: string; calls: string[]; acceptsFrom: string[] }

/** `| service | layer | calls | accepts calls from |` → declarations (one LatticeService each). */
export function parseDeclarationTable(raw: RawTable, namespace: string): { services: DeclaredService[]; declarations: MeshDeclarations } {
  const rows = readRows(raw, ['service', 'layer', 'calls', 'accepts calls from'] as const, 'service declarations');
  const services = rows.map((r) => ({ service: r.service, layer: r.layer, calls: listCell(r.calls), acceptsFrom: listCell(r['accepts calls from']) }));
  const names = new Set(services.map((s) => s.service));
  for (const s of services) {
    for (const n of [...s.calls, ...s.acceptsFrom]) if (n !== '*' && !names.has(n)) throw new SuiteError(`service ${s.service} names ${n}, which the table does not declare`);
  }
  return {
    services,
    declarations: { namespace, externals: [], services: services.map((s) => ({ name: s.service, resources: serviceResources(s.calls, s.acceptsFrom) })) },
  };
}

export interface ExpectedConnection { from: string; to: string; result: 'allowed' | 'blocked'; because: string }

/** `| from | to | result | because |` → expectations. */
export function parseConnectionTable(raw: RawTable): ExpectedConnection[] {
  return readRows(raw, ['from', 'to', 'result', 'because'] as const, 'expected connections').map((r) => {
    if (r.result !== 'allowed' && r.result !== 'blocked') throw new SuiteError(`result "${r.result}" for ${r.from} -> ${r.to} is neither allowed nor blocked`);
    return { from: r.from, to: r.to, result: r.result, because: r.because };
  });
}

/** Differences between the spec's table and what the agreement function derives; empty when equal. */
export function compareConnections(expected: ExpectedConnection[], derived: MeshCheck[]): string[] {
  const key = (a: string, b: string) => `${a} -> ${b}`;
  const want = new Map(expected.map((e) => [key(e.from, e.to), e]));
  const got = new Map(derived.map((c) => [key(c.source, c.target), c]));
  const diffs: string[] = [];
  for (const [k, e] of want) {
    const c = got.get(k);
    if (!c) { diffs.push(`${k}: in the table, but not probed`); continue; }
    const verdict = c.expected === 'ALLOWED' ? 'allowed' : 'blocked';
    if (verdict !== e.result) diffs.push(`${k}: table says ${e.result}, the agreements give ${verdict}`);
    else if (c.reason !== e.because) diffs.push(`${k}: table says "${e.because}", the agreements give "${c.reason}"`);
  }
  for (const k of got.keys()) if (!want.has(k)) diffs.push(`${k}: probed, but missing from the table`);
  return diffs;
}

/**
 * The probes of a declared mesh: every service of the first layer calls every other service of the
 * table, expected through the agreement function. The fixed mesh keeps upstream's reason wording.
 */
export function deriveTableChecks(services: DeclaredService[], declarations: MeshDeclarations): { checks: MeshCheck[]; sources: string[]; tiers: string[][] } {
  const layers = [...new Set(services.map((s) => s.layer))];
  const sources = services.filter((s) => s.layer === layers[0]).map((s) => s.service);
  const tiers = layers.slice().reverse().map((l) => services.filter((s) => s.layer === l).map((s) => s.service));
  if (declarations.namespace === FIXED_MESH_NAMESPACE) return { checks: deriveFixedMeshChecks(declarations), sources, tiers };
  const index = indexDeclarations(declarations);
  const checks: MeshCheck[] = [];
  for (const source of sources) {
    for (const { service: target } of services) {
      if (target === source) continue;
      const a = agreementBetween(index, source, target);
      checks.push({ source, target, url: serviceUrl(target, declarations.namespace), kind: 'service', expected: a.allowed ? 'ALLOWED' : 'BLOCKED', reason: explainAgreement(a) });
    }
  }
  return { checks, sources, tiers };
}

/** The declarations after `callee` stops accepting `caller` (its inbound entry removed, or narrowed from both). */
export function withdrawAcceptance(declarations: MeshDeclarations, callee: string, caller: string): { declarations: MeshDeclarations; resourceKey: string; newEntry: unknown } {
  const next = structuredClone(declarations);
  const svc = next.services.find((s) => s.name === callee);
  if (!svc) throw new SuiteError(`${callee} is not a declared service`);
  const key = Object.keys(svc.resources).find((k) => (svc.resources[k]!.id ?? k) === caller && svc.resources[k]!.direction !== 'outbound');
  if (!key) throw new SuiteError(`${callee} does not accept calls from ${caller}, so there is nothing to withdraw`);
  const entry = svc.resources[key]!;
  if (entry.direction === 'both') { entry.direction = 'outbound'; return { declarations: next, resourceKey: key, newEntry: entry }; }
  delete svc.resources[key];
  return { declarations: next, resourceKey: key, newEntry: null };
}

/** The declarations after `callee` accepts `caller` again (an outbound entry widened to both, or a new inbound entry). */
export function restoreAcceptance(declarations: MeshDeclarations, callee: string, caller: string): { declarations: MeshDeclarations; resourceKey: string; newEntry: unknown } {
  const next = structuredClone(declarations);
  const svc = next.services.find((s) => s.name === callee);
  if (!svc) throw new SuiteError(`${callee} is not a declared service`);
  const key = Object.keys(svc.resources).find((k) => (svc.resources[k]!.id ?? k) === caller && svc.resources[k]!.type === 'service');
  const entry = key === undefined ? undefined : svc.resources[key]!;
  if (entry && entry.direction !== 'outbound' && entry.direction !== undefined) throw new SuiteError(`${callee} already accepts calls from ${caller}`);
  if (key !== undefined && entry) { entry.direction = 'both'; return { declarations: next, resourceKey: key, newEntry: entry }; }
  const fresh = { type: 'service', direction: 'inbound' as const, id: caller };
  svc.resources[caller] = fresh;
  return { declarations: next, resourceKey: caller, newEntry: fresh };
}
