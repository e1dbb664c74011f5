/**
 * "The platform permits <service> to accept any caller": a platform decision, apart from the
 * service's own `*` declaration. Lattice 2026-04 gates a wildcard by Cedar (AllowWildcard on
 * Mesh "inbound", mm/controller.rs:260-272, :334-373 at b5d50e90; without it the service is
 * Failed), so the deploy applies that permit. Lattice 2026-01 has no such gate: the declaration
 * alone accepts any caller, and the statement is a no-op by design there (the spelling's
 * anyCallerPermit gives no object).
 */
import { SuiteError } from '../errors.js';
import type { MeshUnderTest } from './mesh-under-test.js';

export function permitAnyCaller(mesh: MeshUnderTest, service: string): MeshUnderTest {
  if (!mesh.declarations.services.some((s) => s.name === service)) {
    throw new SuiteError(`the platform cannot permit ${service} to accept any caller: ${service} is not declared in ${mesh.declarations.namespace}`, 'name a service of the declaration table');
  }
  const permitted = new Set(mesh.declarations.anyCallerPermitted ?? []);
  permitted.add(service);
  return { ...mesh, declarations: { ...mesh.declarations, anyCallerPermitted: [...permitted] } };
}
