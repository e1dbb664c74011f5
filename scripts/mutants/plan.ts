/** Which Stryker runs `npm run mutants` makes for its `--area` and `--file` choices. */
import { join, relative } from 'node:path';
import { repoRoot } from '../faults/cucumber-run.js';
import { AREAS, AreaError, areaNamed, areaOf, type Area } from './areas.js';

/** One Stryker run: the files it mutates and the area whose scenarios test them. */
export interface MutantRun { key: string; area: Area; mutate: string[] }

/** `--area` and `--file` choices as Stryker runs (one per area, files grouped by their area). */
export function planRuns(areaNames: readonly string[], files: readonly string[], areas: readonly Area[] = AREAS): MutantRun[] {
  const runs: MutantRun[] = areaNames.map((n) => { const area = areaNamed(n, areas); return { key: area.name, area, mutate: [...area.files] }; });
  const byArea = new Map<string, string[]>();
  for (const f of files) {
    const path = relative(repoRoot, join(repoRoot, f.replace(/:\d+-\d+$/, '')));
    const area = areaOf(path, areas);
    if (!area) throw new AreaError(`${f} is in no area (areas mutate ${areas.flatMap((a) => a.files).join(', ')})`);
    byArea.set(area.name, [...(byArea.get(area.name) ?? []), `${path}${/:\d+-\d+$/.exec(f)?.[0] ?? ''}`]);
  }
  for (const [name, mutate] of byArea) {
    const slug = mutate.map((m) => m.replace(/^sim\/src\//, '').replace(/[^A-Za-z0-9]+/g, '-')).join('+').slice(0, 120);
    runs.push({ key: `file-${slug}`, area: areaNamed(name, areas), mutate });
  }
  return runs.length ? runs : areas.map((area) => ({ key: area.name, area, mutate: [...area.files] }));
}

/** The test command of a run's mutants: that area's scenarios (run-scenarios.ts). */
export function commandFor(area: Area): string {
  return `node --no-warnings --import ./scripts/faults/register.mjs scripts/mutants/run-scenarios.ts ${area.name}`;
}
