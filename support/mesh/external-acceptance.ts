/**
 * Where Lattice has no acceptance on the external's side (2026-04: the caller owns the inline
 * endpoint and the platform permits it; an unpermitted endpoint fails the whole service, so
 * upstream permits every declaration, mesh_random.rs:394-401, :567-590 at b5d50e90), every caller
 * that declares an external is accepted. The wiring stays the seed's; only the external checks'
 * verdicts follow from the new acceptance.
 */
import { agreementBetween, explainAgreement, indexDeclarations, type MeshDeclarations } from './agreement.js';
import type { MeshCheck } from './checks.js';

export function acceptEveryDeclaredExternal<M extends { declarations: MeshDeclarations; checks: MeshCheck[] }>(mesh: M): M {
  const declarations = structuredClone(mesh.declarations);
  for (const ext of declarations.externals) {
    const declarers = declarations.services
      .filter((s) => Object.entries(s.resources).some(([k, e]) => e.type === 'external-service' && e.direction !== 'inbound' && (e.id ?? k) === ext.name))
      .map((s) => s.name);
    ext.allowedRequesters = [...new Set([...ext.allowedRequesters, ...declarers])];
  }
  const index = indexDeclarations(declarations);
  const checks = mesh.checks.map((c) => {
    if (c.kind !== 'external') return c;
    const a = agreementBetween(index, c.source, c.target);
    return { ...c, expected: a.allowed ? 'ALLOWED' as const : 'BLOCKED' as const, reason: explainAgreement(a) };
  });
  return { ...mesh, declarations, checks };
}
