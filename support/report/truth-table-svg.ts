/**
 * A traffic verification drawn as an SVG sources × targets table (the picture of
 * support/mesh/truth-table.ts's HTML table): green as expected, red a security violation
 * (allowed but forbidden), yellow an availability failure, grey no result; every mismatch listed below.
 */
import { cellText, describeMismatch, summarizeVerification, type RowStatus, type TrafficVerification, type TruthRow } from '../mesh/index.js';
import { LINE_H, rect, svgDocument, text, textWidth } from './svg.js';

const FILL: Record<RowStatus, string> = { ok: '#e6f4ea', 'security-violation': '#f8d7da', 'availability-failure': '#fff3cd', missing: '#e2e3e5' };
const LEGEND = 'A = allowed, B = blocked, · = not probed; X→Y! = expected X, seen Y (? = no result)';

export function renderTruthTableSvg(v: TrafficVerification, title: string): string {
  const sources: string[] = []; const targets: string[] = [];
  const cells = new Map<string, TruthRow>();
  for (const row of v.rows) {
    if (!sources.includes(row.check.source)) sources.push(row.check.source);
    if (!targets.includes(row.check.target)) targets.push(row.check.target);
    cells.set(`${row.check.source}\u0000${row.check.target}`, row);
  }
  const pad = 8;
  const rowHead = Math.max(60, ...sources.map(textWidth)) + 2 * pad;
  const colW = Math.max(44, ...v.rows.map((r) => textWidth(cellText(r)) + 2 * pad));
  // Column names are written at 45°: their height is about their length.
  const headH = Math.ceil(Math.max(40, ...targets.map(textWidth)) * 0.72) + pad;
  const header = [`${title}: ${summarizeVerification(v)}`, LEGEND];
  const top = header.length * LINE_H + pad;
  const gridTop = top + headH;
  const mismatches = v.mismatches.map((m) => `! ${describeMismatch(m)}`);
  const width = Math.max(rowHead + targets.length * colW + headH, ...[...header, ...mismatches].map(textWidth)) + 2 * pad;
  const height = gridTop + sources.length * LINE_H + (mismatches.length ? pad + mismatches.length * LINE_H : 0) + 2 * pad;
  const b: string[] = [];
  header.forEach((h, i) => b.push(text(pad, (i + 1) * LINE_H, h, i === 0 ? 'font-weight="bold"' : 'fill="#555"')));
  targets.forEach((t, j) => {
    const x = pad + rowHead + j * colW + colW / 2;
    b.push(text(x, gridTop - 4, t, `transform="rotate(-45 ${x} ${gridTop - 4})"`));
  });
  sources.forEach((s, i) => {
    const y = gridTop + i * LINE_H;
    b.push(rect(pad, y, rowHead, LINE_H, '#f4f4f4'), text(pad + 4, y + 13, s, 'font-weight="bold"'));
    targets.forEach((t, j) => {
      const row = cells.get(`${s}\u0000${t}`);
      const x = pad + rowHead + j * colW;
      b.push(rect(x, y, colW, LINE_H, row ? FILL[row.status] : '#fff', row ? `data-status="${row.status}"` : ''));
      b.push(text(x + colW / 2, y + 13, row ? cellText(row) : '·', `text-anchor="middle"${row ? '' : ' fill="#999"'}`));
    });
  });
  const listTop = gridTop + sources.length * LINE_H + pad;
  mismatches.forEach((m, i) => b.push(text(pad, listTop + (i + 1) * LINE_H - 4, m, 'fill="#a00"')));
  return svgDocument(width, height, `${title}: ${summarizeVerification(v)}`, b);
}
