/**
 * The Lattice API version a management cluster serves, chosen when `lattice install` runs (a real
 * Lattice is one version or the other; the target plays either). Children inherit their parent's.
 * 2026-01 = upstream 1236706e, 2026-04 = upstream b5d50e90 (docs/LATTICE-2026-04.md).
 */
export const API_VERSIONS = ['2026-01', '2026-04'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** What `lattice install` serves when nothing is asked for: current Lattice. */
export const DEFAULT_API_VERSION: ApiVersion = '2026-04';
/**
 * What the target's internals (a bare store, an Infrastructure without an install) assume when no
 * version is passed: the version they were built for. Everything a user starts goes through
 * `lattice install`, which always passes one.
 */
export const INTERNAL_API_VERSION: ApiVersion = '2026-01';

/** The environment variable of `lattice` (and the daemon's install job) that picks the version. */
export const API_VERSION_ENV = 'LATTICE_SIM_API_VERSION';

export class ApiVersionError extends Error {}

/** The version named by `text` (undefined or empty = the default); one clear line otherwise. */
export function parseApiVersion(text: string | undefined, source = API_VERSION_ENV): ApiVersion {
  if (text === undefined || text.trim() === '') return DEFAULT_API_VERSION;
  const v = text.trim();
  if ((API_VERSIONS as readonly string[]).includes(v)) return v as ApiVersion;
  throw new ApiVersionError(`unknown Lattice API version "${v}" in ${source}; known versions: ${API_VERSIONS.join(', ')} (unset means ${DEFAULT_API_VERSION})`);
}
