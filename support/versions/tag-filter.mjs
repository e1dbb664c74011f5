// The run's Lattice API version as a Cucumber tag filter. Plain JavaScript: cucumber.js and
// scripts/e2e.mjs load it before any TypeScript loader. A scenario tagged @lattice-<version> states
// a promise Lattice makes since that API version: a run leaves out those of later versions only, so
// a new version runs every earlier promise without a feature file being touched.
import { readdirSync } from 'node:fs';

/**
 * Every version the suite speaks: one folder `v<version>` each beside this file (support/versions/types.ts
 * registers the same list; a unit test compares).
 */
export const VERSIONS = readdirSync(new URL('.', import.meta.url))
  .map((name) => /^v(\d{4}-\d{2})$/.exec(name)?.[1])
  .filter((v) => v !== undefined)
  .sort();

/** The version a run speaks when none is named (support/versions/index.ts DEFAULT_LATTICE_VERSION; compared by a unit test). */
export const DEFAULT_VERSION = '2026-04';

/** The run's version from the environment (LATTICE_VERSION), the default when unset or unknown (the hooks refuse a bad one in one line). */
export function versionOf(env = process.env) {
  const v = env.LATTICE_VERSION?.trim();
  return v && VERSIONS.includes(v) ? v : DEFAULT_VERSION;
}

/** `not @lattice-2026-04` for a 2026-01 run: the promises of every later version (YYYY-MM compares as text). */
export function versionTagFilter(version) {
  return VERSIONS.filter((v) => v > version).map((v) => `not @lattice-${v}`).join(' and ');
}

/** A tag expression without the version filter withVersionFilter added (the expression itself when it has none). */
export function withoutVersionFilter(tags) {
  const m = /^\((.*)\) and not @lattice-\d{4}-\d{2}(?: and not @lattice-\d{4}-\d{2})*$/.exec(tags);
  if (m) return m[1];
  return /^not @lattice-\d{4}-\d{2}(?: and not @lattice-\d{4}-\d{2})*$/.test(tags) ? '' : tags;
}

/** A profile's tag expression with the run's version filter ANDed to it. */
export function withVersionFilter(tags, env = process.env) {
  const filter = versionTagFilter(versionOf(env));
  if (!filter) return tags;
  return tags ? `(${tags}) and ${filter}` : filter;
}
