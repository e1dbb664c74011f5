/**
 * Which scenarios a run leaves out for its Lattice API version: those tagged @lattice-<later version>
 * (on the scenario or its feature), promises Lattice makes only since then. Read from the feature files, so the run can say so at its start
 * whatever the entry point (npm run e2e, cucumber-js, the fault matrix).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LatticeApiVersion } from './types.js';

const VERSION_TAG = /^@lattice-(\d{4}-\d{2})$/;

export interface LeftOutScenario {
  /** `features/admission.feature: Scenario name`. */
  where: string;
  /** The versions its tags name. */
  versions: string[];
}

/** The version tags among `tags` (`@lattice-2026-04` → `2026-04`). */
export function versionTags(tags: readonly string[]): string[] {
  return tags.map((t) => VERSION_TAG.exec(t)?.[1]).filter((v): v is string => v !== undefined);
}

/**
 * Whether a scenario with these tags runs at `version`: a version tag names the API version a promise
 * holds since, so it runs at that version and every later one; untagged ones run everywhere.
 */
export function runsAt(tags: readonly string[], version: LatticeApiVersion): boolean {
  return versionTags(tags).every((since) => since <= version);
}

/** Scenarios of `featuresDir` that do not run at `version`, in file order. */
export function scenariosLeftOut(featuresDir: string, repoRoot: string, version: LatticeApiVersion): LeftOutScenario[] {
  const out: LeftOutScenario[] = [];
  const files = readdirSync(featuresDir, { recursive: true }).map(String).filter((f) => f.endsWith('.feature')).sort();
  for (const file of files) {
    const path = join(featuresDir, file);
    let pending: string[] = [];
    let featureTags: string[] = [];
    for (const raw of readFileSync(path, 'utf8').split('\n')) {
      const line = raw.trim();
      if (line.startsWith('@')) { pending.push(...line.split(/\s+/).filter((t) => t.startsWith('@'))); continue; }
      const m = /^(Feature|Scenario Outline|Scenario Template|Scenario|Example):\s*(.*)$/.exec(line);
      if (!m) { if (line && !line.startsWith('#')) pending = []; continue; }
      if (m[1] === 'Feature') { featureTags = pending; pending = []; continue; }
      const tags = [...featureTags, ...pending];
      pending = [];
      if (!runsAt(tags, version)) out.push({ where: `${relative(repoRoot, path)}: ${m[2]}`, versions: versionTags(tags) });
    }
  }
  return out;
}

/** Lines for the console and the run log. */
export function describeLeftOut(left: readonly LeftOutScenario[], version: LatticeApiVersion): string[] {
  if (left.length === 0) return [`every scenario runs at Lattice API ${version}`];
  return [
    `left out at Lattice API ${version}: ${left.length} scenario(s) of promises Lattice makes only since a later version`,
    ...left.map((s) => `  ${s.where} (since ${s.versions.join(', ')})`),
  ];
}
