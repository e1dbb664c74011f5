/**
 * The 2026-04 media stack: fixtures/2026-04/services/ (upstream b5d50e90's e2e/fixtures/services
 * with the differences each file comments), checked for the 2026-04 shape: a `spec.workload` with
 * containers that all have limits (crd/workload/container.rs:408-417), integer `replicas`.
 */
import { resolve } from 'node:path';
import { repoRoot } from '../../../config/repo-root.js';
import { FixtureError } from '../../../errors.js';
import { displayPath, readManifestFile } from '../../../fixtures/index.js';
import type { LatticeObject } from '../../service-spelling.js';

export const MEDIA_FIXTURES_2026_04 = resolve(repoRoot, 'fixtures', '2026-04', 'services');
export const MEDIA_SERVICE_NAMES = ['jellyfin', 'nzbget', 'sonarr'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One line naming the file and the field when a manifest is not a 2026-04 LatticeService. */
export function assertLatticeService2026_04(manifest: Obj, shown: string): LatticeObject {
  const fail = (field: string, what: string): never => { throw new FixtureError(`${shown}: ${field} ${what} (Lattice API 2026-04)`, 'write the service in the 2026-04 shape: spec.workload.{containers,resources,service}'); };
  const spec = isObj(manifest.spec) ? manifest.spec : fail('spec', 'is missing');
  if ('containers' in spec) fail('spec.containers', 'is the 2026-01 spelling; 2026-04 has spec.workload.containers');
  const workload = isObj(spec.workload) ? spec.workload : fail('spec.workload', 'is missing');
  const containers = isObj(workload.containers) && Object.keys(workload.containers).length > 0 ? workload.containers : fail('spec.workload.containers', 'is missing or empty');
  for (const [name, c] of Object.entries(containers)) {
    if (!isObj(c) || !isObj(c.resources) || !isObj(c.resources.limits)) fail(`spec.workload.containers.${name}.resources.limits`, 'is missing: every container must have resource limits');
  }
  if (spec.replicas !== undefined && !Number.isInteger(spec.replicas)) fail('spec.replicas', `is ${JSON.stringify(spec.replicas)}, not a whole number`);
  return manifest as unknown as LatticeObject;
}

export function loadMediaServices2026_04(dir: string = MEDIA_FIXTURES_2026_04): LatticeObject[] {
  return MEDIA_SERVICE_NAMES.map((n) => {
    const path = resolve(dir, `${n}.yaml`);
    return assertLatticeService2026_04(readManifestFile(path, 'LatticeService'), displayPath(path));
  });
}
