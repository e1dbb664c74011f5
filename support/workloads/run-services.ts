/**
 * The service spelling of the run's Lattice API version: the run's own (`run.spelling.services`,
 * support/versions/index.ts) once it is wired, else chosen by the run's version; a run that names
 * no version speaks 2026-01, as the suite did before versions existed.
 */
import { currentRun, type RunContext } from '../run/run-context.js';
import type { ServiceApiVersion, ServiceSpelling } from '../versions/service-spelling.js';
import { services2026_01 } from '../versions/v2026-01/service/index.js';
import { services2026_04 } from '../versions/v2026-04/service/index.js';

const BY_VERSION: Record<ServiceApiVersion, ServiceSpelling> = { '2026-01': services2026_01, '2026-04': services2026_04 };

export function serviceSpellingOf(run: RunContext = currentRun()): ServiceSpelling {
  const r = run as unknown as { version?: string; spelling?: { version?: string; services?: Partial<ServiceSpelling> } };
  const own = r.spelling?.services;
  if (own && typeof own.meshService === 'function') return own as ServiceSpelling;
  const version = r.spelling?.version ?? r.version ?? '2026-01';
  return BY_VERSION[version as ServiceApiVersion] ?? services2026_01;
}
