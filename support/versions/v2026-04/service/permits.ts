/**
 * The CedarPolicy objects a 2026-04 scenario needs before its services compile (docs §4.2, §5.3),
 * written as upstream's e2e writes them (helpers/cedar.rs:134-170, :241-304; helpers/services.rs:
 * 997-1050; mesh_random.rs:560-590; media_server_e2e.rs:37-106): in `lattice-system` (the only
 * namespace Lattice loads them from, cedar/engine.rs:476-520), enabled, with a priority, labelled
 * with the run id so a later run can sweep what a killed one left.
 */
import { LATTICE_API_VERSION, RUN_ID_LABEL } from '../../../mesh/lattice-objects.js';
import type { LatticeObject } from '../../service-spelling.js';
import { endpointId } from './endpoint.js';
import { securityOverridesOf } from './security-overrides.js';

export const CEDAR_POLICY_NAMESPACE = 'lattice-system';
/** Blanket permits upstream applies before any service (helpers/services.rs:1022-1041): Docker nodes have no AppArmor; shells start binaries nobody can list. */
export const BASELINE_OVERRIDES = ['allowedBinary:*', 'apparmor:Unconfined'] as const;
const BASELINE_NAMES: Record<(typeof BASELINE_OVERRIDES)[number], string> = { 'allowedBinary:*': 'permit-binary-wildcard', 'apparmor:Unconfined': 'permit-apparmor-unconfined' };

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

export function cedarPolicy(name: string, runId: string, priority: number, policies: string): LatticeObject {
  return {
    apiVersion: LATTICE_API_VERSION, kind: 'CedarPolicy',
    metadata: { name, namespace: CEDAR_POLICY_NAMESPACE, labels: { [RUN_ID_LABEL]: runId, 'lattice.dev/test': 'e2e' } },
    spec: { enabled: true, priority, policies },
  };
}

const principal = (ns: string, svc: string): string => `principal == Lattice::Service::"${ns}/${svc}"`;
const anyOf = (kind: string, ids: readonly string[]): string => ids.map((id) => `resource == Lattice::${kind}::"${id}"`).join(' ||\n  ');

/** `permit` for one action on a list of resources, for one service or (no service) everyone. */
function permit(action: string, kind: string, ids: readonly string[], who?: { ns: string; svc: string }): string {
  const p = who ? principal(who.ns, who.svc) : 'principal';
  if (ids.length === 1) return `permit(\n  ${p},\n  action == Lattice::Action::"${action}",\n  resource == Lattice::${kind}::"${ids[0]}"\n);`;
  return `permit(\n  ${p},\n  action == Lattice::Action::"${action}",\n  resource\n) when {\n  ${anyOf(kind, ids)}\n};`;
}

/** Endpoints of the service's outbound inline externals (every one is an AccessExternalEndpoint check, external_endpoints.rs:13-66). */
export function externalEndpointsOf(service: LatticeObject): string[] {
  const ids: string[] = [];
  for (const raw of Object.values(asObj(asObj(service.spec.workload).resources))) {
    const e = asObj(raw);
    if (e.type !== 'external-service' || e.direction === 'inbound') continue;
    for (const url of Object.values(asObj(asObj(e.params).endpoints))) ids.push(endpointId(String(url)));
  }
  return [...new Set(ids)];
}

/** Baseline permits (shared), then per service its other overrides and its external endpoints. */
export function permitsFor2026_04(services: readonly LatticeObject[], runId: string): LatticeObject[] {
  const baseline = new Set<string>();
  const own: LatticeObject[] = [];
  for (const svc of services) {
    const who = { ns: svc.metadata.namespace ?? 'default', svc: svc.metadata.name };
    const overrides = securityOverridesOf(svc);
    for (const b of BASELINE_OVERRIDES) if (overrides.includes(b)) baseline.add(b);
    const rest = overrides.filter((o) => !(BASELINE_OVERRIDES as readonly string[]).includes(o));
    if (rest.length) own.push(cedarPolicy(`permit-security-${who.ns}-${who.svc}`, runId, 50, permit('OverrideSecurity', 'SecurityOverride', rest, who)));
    const endpoints = externalEndpointsOf(svc);
    if (endpoints.length) own.push(cedarPolicy(`permit-ext-${who.ns}-${who.svc}`, runId, 100, permit('AccessExternalEndpoint', 'ExternalEndpoint', endpoints, who)));
  }
  const shared = BASELINE_OVERRIDES.filter((b) => baseline.has(b)).map((b) => cedarPolicy(BASELINE_NAMES[b], runId, 50, permit('OverrideSecurity', 'SecurityOverride', [b])));
  return [...shared, ...own];
}

/** AllowWildcard on Mesh "inbound" for one service (helpers/cedar.rs:241-258; the principal is the service account, named after the service). */
export function anyCallerPermit2026_04(namespace: string, service: string, runId: string): LatticeObject[] {
  return [cedarPolicy(`permit-wildcard-inbound-${namespace}-${service}`, runId, 50, permit('AllowWildcard', 'Mesh', ['inbound'], { ns: namespace, svc: service }))];
}
