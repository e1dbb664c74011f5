import { htmlTable } from './html.js';

/** One observed change of a LatticeCluster's phase, as seen by the cluster holding the object. */
export interface PhaseTransition { phase: string; at: Date; reason?: string }

/** Renders a timeline with the offset of each transition from the first one. */
export function renderPhaseTimeline(cluster: string, seenOn: string, transitions: PhaseTransition[]): { text: string; html: string } {
  const t0 = transitions[0]?.at.getTime() ?? 0;
  const rows = transitions.map((t) => [t.phase, t.at.toISOString(), `+${((t.at.getTime() - t0) / 1000).toFixed(2)}s`, t.reason ?? '']);
  const title = `Phases of ${cluster} as seen on ${seenOn}`;
  const text = [title, ...rows.map((r) => `  ${r[2]!.padStart(9)}  ${r[0]!.padEnd(13)} ${r[1]}${r[3] ? `  (${r[3]})` : ''}`)].join('\n');
  return { text, html: htmlTable(['phase', 'at', 'offset', 'condition reason'], rows, { caption: title }) };
}

/** Collapses repeats: a phase written twice (e.g. a status refresh) is one step of the lifecycle. */
export function distinctPhases(seen: string[]): string[] {
  return seen.filter((p, i) => i === 0 || p !== seen[i - 1]);
}

/** True when the distinct phases seen are exactly `expected`: none skipped, none extra, none out of order. */
export function phasesExactly(seen: string[], expected: string[]): boolean {
  const d = distinctPhases(seen);
  return d.length === expected.length && d.every((p, i) => p === expected[i]);
}
