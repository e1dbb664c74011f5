/** The 2026-01 media stack: fixtures/services/ (upstream 1236706e's shapes), checked against the 2026-01 schema. */
import { loadServiceFixture, serviceFixturePath, SERVICE_FIXTURE_NAMES } from '../../../fixtures/index.js';
import type { LatticeObject } from '../../service-spelling.js';

export function loadMediaServices2026_01(): LatticeObject[] {
  return SERVICE_FIXTURE_NAMES.map((n) => loadServiceFixture(serviceFixturePath(n)).manifest as unknown as LatticeObject);
}
