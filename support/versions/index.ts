/**
 * The registry of Lattice API versions the suite speaks. `spellingFor(version)` is the one way
 * support/ learns a version's spelling; the run's version is `currentRun().version` and its
 * spelling `currentRun().spelling`. A third version: one folder (vYYYY-MM/) registered below, plus
 * its fixtures (fixtures/YYYY-MM/).
 */
import { spelling2026_01 } from './v2026-01/index.js';
import { spelling2026_04 } from './v2026-04/index.js';
import { LATTICE_API_VERSIONS, type LatticeApiVersion, type LatticeVersionSpelling } from './types.js';

export type { AccessSpelling, ClusterSpelling, DetectionSpelling, LatticeApiVersion, LatticeVersionSpelling } from './types.js';
export { LATTICE_API_VERSIONS } from './types.js';

const REGISTRY: Record<LatticeApiVersion, LatticeVersionSpelling> = {
  '2026-01': spelling2026_01,
  '2026-04': spelling2026_04,
};

/**
 * The version a run speaks when none is named: current Lattice (issue 15), since the default run
 * passes at 2026-04 on the embedded target. support/versions/tag-filter.mjs holds the same value for
 * cucumber.js (a unit test compares them).
 */
export const DEFAULT_LATTICE_VERSION: LatticeApiVersion = '2026-04';

export function isLatticeApiVersion(text: string): text is LatticeApiVersion {
  return (LATTICE_API_VERSIONS as readonly string[]).includes(text);
}

export function spellingFor(version: LatticeApiVersion): LatticeVersionSpelling {
  return REGISTRY[version];
}

export function allSpellings(): LatticeVersionSpelling[] {
  return LATTICE_API_VERSIONS.map((v) => REGISTRY[v]);
}

/** `use 2026-01 or 2026-04` for messages. */
export const VERSIONS_ACCEPTED = `is not a Lattice API version; use ${LATTICE_API_VERSIONS.join(' or ')}`;
