/** Minimal HTML building for report attachments; every value is escaped. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function htmlTable(headers: string[], rows: string[][], opts: { caption?: string; rowClass?: (row: string[], i: number) => string | undefined } = {}): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r, i) => {
    const cls = opts.rowClass?.(r, i);
    return `<tr${cls ? ` class="${escapeHtml(cls)}"` : ''}>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  }).join('\n');
  const caption = opts.caption ? `<caption>${escapeHtml(opts.caption)}</caption>` : '';
  return `<table border="1" cellpadding="4" style="border-collapse:collapse">${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
