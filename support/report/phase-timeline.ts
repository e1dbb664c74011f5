import { htmlTable } from './html.js';
import { LINE_H, rect, svgDocument, text, textWidth } from './svg.js';

/** One observed change of a LatticeCluster's phase, as seen by the cluster holding the object. */
export interface PhaseTransition { phase: string; at: Date; reason?: string }

/** Renders a timeline with the offset of each transition from the first one. */
export function renderPhaseTimeline(cluster: string, seenOn: string, transitions: PhaseTransition[]): { text: string; html: string; svg: string } {
  const t0 = transitions[0]?.at.getTime() ?? 0;
  const rows = transitions.map((t) => [t.phase, t.at.toISOString(), `+${((t.at.getTime() - t0) / 1000).toFixed(2)}s`, t.reason ?? '']);
  const title = `Phases of ${cluster} as seen on ${seenOn}`;
  const text = [title, ...rows.map((r) => `  ${r[2]!.padStart(9)}  ${r[0]!.padEnd(13)} ${r[1]}${r[3] ? `  (${r[3]})` : ''}`)].join('\n');
  return { text, html: htmlTable(['phase', 'at', 'offset', 'condition reason'], rows, { caption: title }), svg: renderPhaseTimelineSvg(title, transitions) };
}

const PHASE_FILL: Record<string, string> = { Pending: '#e2e3e5', Provisioning: '#cfe2ff', Pivoting: '#e0cffc', Ready: '#d1e7dd', Deleting: '#fff3cd', Unpivoting: '#ffe5d0', Failed: '#f8d7da' };

/**
 * The timeline as an SVG picture: one bar per phase from the moment it was seen to the next one
 * (the last phase gets a short bar), labelled with the phase and its offset.
 */
export function renderPhaseTimelineSvg(title: string, transitions: PhaseTransition[]): string {
  const pad = 8; const labelW = Math.max(90, ...transitions.map((t) => textWidth(t.phase))) + 2 * pad;
  const plotW = 480;
  const t0 = transitions[0]?.at.getTime() ?? 0;
  const end = transitions.at(-1)?.at.getTime() ?? t0;
  const span = Math.max(1, end - t0);
  const lastBar = 24;
  const x = (t: number) => pad + labelW + ((t - t0) / span) * (plotW - lastBar);
  const b: string[] = [text(pad, LINE_H, title, 'font-weight="bold"')];
  const top = LINE_H + pad;
  transitions.forEach((t, i) => {
    const y = top + i * LINE_H;
    const start = x(t.at.getTime());
    const stop = i + 1 < transitions.length ? x(transitions[i + 1]!.at.getTime()) : start + lastBar;
    const offset = `+${((t.at.getTime() - t0) / 1000).toFixed(2)}s`;
    b.push(text(pad, y + 13, t.phase, 'font-weight="bold"'));
    b.push(rect(start, y + 2, Math.max(3, stop - start), LINE_H - 4, PHASE_FILL[t.phase] ?? '#eee', `data-phase="${t.phase.replace(/[^A-Za-z]/g, '')}"`));
    b.push(text(Math.max(start, stop) + 4, y + 13, `${offset}${t.reason ? ` ${t.reason}` : ''}`, 'fill="#555"'));
  });
  const width = pad + labelW + plotW + Math.max(120, ...transitions.map((t) => textWidth(`+000.00s ${t.reason ?? ''}`))) + pad;
  const height = top + transitions.length * LINE_H + pad;
  return svgDocument(width, height, title, b);
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
