/** Which Stryker runs `npm run mutants` makes for its `--area` and `--file` choices. */
import { join, relative } from 'node:path';
import { repoRoot } from '../faults/cucumber-run.js';
import { AREAS, AreaError, areaNamed, areaOf, type Area, type AreaVersion } from './areas.js';

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

/** The test command of a run's mutants: that area's scenarios (run-scenarios.ts) at the area's Lattice API version. */
export function commandFor(area: Area): string {
  return `node --no-warnings --import ./scripts/faults/register.mjs scripts/mutants/run-scenarios.ts ${area.name} ${area.version}`;
}

/**
 * `--lattice-version V`: the runs' areas at V instead of their own version, under their own key (own
 * report and incremental file). For branches of shared code that only the other version takes, e.g.
 * the 2026-01 waypoint path of services/policy.ts.
 */
export function atVersion(runs: readonly MutantRun[], version: AreaVersion): MutantRun[] {
  return runs.map((r) => (r.area.version === version ? r : { key: `${r.key}-at-${version}`, area: { ...r.area, version }, mutate: r.mutate }));
}

/** A mutant's place, as the `--count` listing gives it. */
export interface MutantPlace { file: string; line: number }

/**
 * `--sample N`: N distinct source lines drawn at random (seeded) among the lines that carry a
 * mutant, as Stryker `mutate` ranges (`file:L-L`). Every mutant on a drawn line is tested, so the
 * sample is of lines, not of single mutants; sorted by file and line.
 */
export function sampleLines(places: readonly MutantPlace[], n: number, seed: number): string[] {
  const lines = [...new Set(places.map((p) => `${p.file}:${p.line}`))].sort();
  let state = seed >>> 0 || 1;
  // xorshift32: the same seed gives the same sample on every machine.
  const next = () => { state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0; return state / 0x1_0000_0000; };
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  const byPlace = (s: string) => { const i = s.lastIndexOf(':'); return [s.slice(0, i), Number(s.slice(i + 1))] as const; };
  return lines.slice(0, n).map(byPlace).sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]).map(([f, l]) => `${f}:${l}-${l}`);
}
