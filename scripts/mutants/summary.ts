/**
 * Reads Stryker's JSON report (mutation-testing-report-schema) into a score per area and the list
 * of survivors, and renders both. Score as Stryker computes it: detected (killed, timed out) over
 * valid (detected, survived, no coverage); ignored mutants and compile/runtime errors do not count.
 */
import { areaOf, type Area, AREAS } from './areas.js';

interface Position { line: number; column: number }
export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  location: { start: Position; end: Position };
  status: string;
  statusReason?: string;
}
export interface MutationReport { files: Record<string, { source: string; mutants: ReportMutant[] }> }

export interface Survivor { file: string; line: number; column: number; mutator: string; original: string; replacement: string; status: string }
export interface AreaScore {
  area: string;
  total: number; killed: number; timeout: number; survived: number; noCoverage: number; ignored: number; errors: number;
  /** Percent, one decimal; undefined when no mutant counts. */
  score?: number;
  survivors: Survivor[];
}

export class ReportError extends Error {}

export function parseReport(text: string, origin: string): MutationReport {
  let data: unknown;
  try { data = JSON.parse(text); } catch (err) { throw new ReportError(`${origin} is not JSON (${(err as Error).message}); rerun npm run mutants`); }
  const files = (data as { files?: unknown })?.files;
  if (!files || typeof files !== 'object') throw new ReportError(`${origin} has no "files": not a Stryker JSON report`);
  return data as MutationReport;
}

/** The source text between two 1-based positions, on one line, shortened to `max` characters. */
export function snippet(source: string, start: Position, end: Position, max = 60): string {
  const lines = source.split('\n');
  const parts: string[] = [];
  for (let l = start.line; l <= end.line && l <= lines.length; l++) {
    const text = lines[l - 1] ?? '';
    parts.push(text.slice(l === start.line ? start.column - 1 : 0, l === end.line ? end.column - 1 : undefined));
  }
  return shorten(parts.join('\n'), max);
}

export function shorten(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const UNDETECTED = new Set(['Survived', 'NoCoverage']);

export function scoreByArea(report: MutationReport, areas: readonly Area[] = AREAS): AreaScore[] {
  const byArea = new Map<string, AreaScore>();
  const entry = (name: string) => {
    let s = byArea.get(name);
    if (!s) byArea.set(name, s = { area: name, total: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0, survivors: [] });
    return s;
  };
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const s = entry(areaOf(file, areas)?.name ?? 'other');
    for (const m of mutants) {
      s.total++;
      switch (m.status) {
        case 'Killed': s.killed++; break;
        case 'Timeout': s.timeout++; break;
        case 'Survived': s.survived++; break;
        case 'NoCoverage': s.noCoverage++; break;
        case 'Ignored': s.ignored++; break;
        default: s.errors++;
      }
      if (UNDETECTED.has(m.status)) {
        s.survivors.push({
          file, line: m.location.start.line, column: m.location.start.column, mutator: m.mutatorName,
          original: snippet(source, m.location.start, m.location.end), replacement: shorten(m.replacement ?? ''), status: m.status,
        });
      }
    }
  }
  const order = areas.map((a) => a.name);
  return [...byArea.values()].map((s) => {
    const valid = s.killed + s.timeout + s.survived + s.noCoverage;
    s.survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    return valid ? { ...s, score: Math.round(((s.killed + s.timeout) / valid) * 1000) / 10 } : s;
  }).sort((a, b) => (order.indexOf(a.area) + 1 || 99) - (order.indexOf(b.area) + 1 || 99));
}

export function renderScores(scores: readonly AreaScore[]): string {
  const head = ['area', 'score', 'killed', 'timeout', 'survived', 'no cov.', 'ignored', 'errors', 'total'];
  const rows = scores.map((s) => [s.area, s.score === undefined ? 'n/a' : `${s.score.toFixed(1)} %`, s.killed, s.timeout, s.survived, s.noCoverage, s.ignored, s.errors, s.total].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

export function renderSurvivors(scores: readonly AreaScore[]): string {
  const out: string[] = [];
  for (const s of scores) {
    if (!s.survivors.length) continue;
    out.push(`survivors in ${s.area} (${s.survivors.length}):`);
    for (const v of s.survivors) {
      out.push(`  ${v.file}:${v.line}:${v.column}  ${v.mutator}${v.status === 'NoCoverage' ? ' (no coverage)' : ''}  ${v.original} → ${v.replacement}`);
    }
  }
  return out.join('\n');
}
