/**
 * Draws a verification as a sources × targets truth table: text for the scenario log, HTML (every
 * name escaped) for the report. A cell shows the expected verdict (A/B); a mismatch shows
 * expected→seen and is marked with `!`.
 */
import type { RowStatus, TrafficVerification, TruthRow } from './verify.js';
import { summarizeVerification } from './verify.js';

const letter = (v: string | undefined): string => (v === 'ALLOWED' ? 'A' : v === 'BLOCKED' ? 'B' : '?');

/** Cell text: `A`, `B`, or `B→A!` / `A→B!` / `A→?!` for mismatches. */
export function cellText(row: TruthRow): string {
  return row.status === 'ok' ? letter(row.check.expected) : `${letter(row.check.expected)}→${letter(row.actual)}!`;
}

function grid(v: TrafficVerification): { sources: string[]; targets: string[]; cells: Map<string, TruthRow> } {
  const sources: string[] = []; const targets: string[] = [];
  const s = new Set<string>(); const t = new Set<string>();
  const cells = new Map<string, TruthRow>();
  for (const row of v.rows) {
    if (!s.has(row.check.source)) { s.add(row.check.source); sources.push(row.check.source); }
    if (!t.has(row.check.target)) { t.add(row.check.target); targets.push(row.check.target); }
    cells.set(`${row.check.source}\u0000${row.check.target}`, row);
  }
  return { sources, targets, cells };
}

const LEGEND = 'A = allowed, B = blocked, · = not probed; X→Y! = expected X, seen Y (? = no result)';
/** Beyond this many targets a matrix is unreadable in a log; list per source instead. */
export const MAX_TEXT_COLUMNS = 40;

export function renderTruthTableText(v: TrafficVerification): string {
  const { sources, targets, cells } = grid(v);
  const out: string[] = [summarizeVerification(v), LEGEND];
  if (targets.length <= MAX_TEXT_COLUMNS) {
    const w0 = Math.max(4, ...sources.map((s) => s.length));
    const widths = targets.map((t) => Math.max(4, t.length));
    out.push([''.padEnd(w0), ...targets.map((t, i) => t.padEnd(widths[i]!))].join(' | '));
    out.push(['-'.repeat(w0), ...widths.map((w) => '-'.repeat(w))].join('-+-'));
    for (const s of sources) {
      out.push([s.padEnd(w0), ...targets.map((t, i) => {
        const row = cells.get(`${s}\u0000${t}`);
        return (row ? cellText(row) : '·').padEnd(widths[i]!);
      })].join(' | '));
    }
  } else {
    for (const s of sources) {
      const parts = targets.flatMap((t) => { const row = cells.get(`${s}\u0000${t}`); return row ? [`${t}=${cellText(row)}`] : []; });
      out.push(`${s}: ${parts.join(' ')}`);
    }
  }
  for (const m of v.mismatches) {
    out.push(`! ${m.kind} ${m.source} -> ${m.target}: expected ${m.expected} (${m.reason}), ${m.actual ? `seen ${m.actual} HTTP ${m.code} cycle ${m.cycle}` : 'no result'}`);
  }
  return out.join('\n') + '\n';
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const COLOURS: Record<RowStatus, string> = {
  ok: '#e6f4ea',
  'security-violation': '#f8d7da',
  'availability-failure': '#fff3cd',
  missing: '#e2e3e5',
};

export function renderTruthTableHtml(v: TrafficVerification, title = 'Traffic truth table'): string {
  const { sources, targets, cells } = grid(v);
  const h: string[] = [];
  h.push(`<table class="lattice-truth-table" style="border-collapse:collapse;font-family:monospace;font-size:12px">`);
  h.push(`<caption style="text-align:left">${escapeHtml(title)}: ${escapeHtml(summarizeVerification(v))}<br>${escapeHtml(LEGEND)}</caption>`);
  h.push('<thead><tr><th></th>' + targets.map((t) => `<th scope="col" style="border:1px solid #999;padding:2px 4px">${escapeHtml(t)}</th>`).join('') + '</tr></thead><tbody>');
  for (const s of sources) {
    h.push(`<tr><th scope="row" style="border:1px solid #999;padding:2px 4px;text-align:left">${escapeHtml(s)}</th>` + targets.map((t) => {
      const row = cells.get(`${s}\u0000${t}`);
      if (!row) return '<td style="border:1px solid #999;text-align:center;color:#999">·</td>';
      const tip = `expected ${row.check.expected} (${row.check.reason}); ${row.actual ? `seen ${row.actual}, HTTP ${row.code}, cycle ${row.cycle}` : 'no result'}`;
      return `<td class="${row.status}" title="${escapeHtml(tip)}" style="border:1px solid #999;text-align:center;background:${COLOURS[row.status]}">${escapeHtml(cellText(row))}</td>`;
    }).join('') + '</tr>');
  }
  h.push('</tbody></table>');
  return h.join('\n');
}
