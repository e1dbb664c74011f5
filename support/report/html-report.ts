/**
 * The HTML report: Cucumber's own html formatter (@cucumber/html-formatter) with the run's identity
 * in its title and in a banner above the results, so a report is never mistaken for another run's.
 */
import { CucumberHtmlStream } from '@cucumber/html-formatter';
import type { Envelope } from '@cucumber/messages';
import { escapeHtml } from './html.js';
import { describeIdentity, type RunIdentity } from './run-identity.js';

export function reportTitle(ids: RunIdentity[]): string {
  if (ids.length === 0) return 'Lattice acceptance';
  if (ids.length > 1) return `Lattice acceptance: ${ids.length} runs merged (${[...new Set(ids.map((i) => `${i.target} target, API ${i.apiVersion}`))].join('; ')})`;
  const id = ids[0]!;
  return `Lattice acceptance: ${id.target} target, API ${id.apiVersion}, run ${id.runId}, seed ${id.seed}`;
}

function banner(ids: RunIdentity[]): string {
  const rows = ids.map((id) => `<li>${escapeHtml(describeIdentity(id))}</li>`).join('');
  return `<header id="lattice-run" style="font-family:sans-serif;padding:8px 16px;background:#eef3f8;border-bottom:1px solid #b6c6d6">`
    + `<strong>${escapeHtml(reportTitle(ids))}</strong>`
    + (rows ? `<ul style="margin:4px 0 0 0">${rows}</ul>` : '<p style="margin:4px 0 0 0">run identity unknown (no run-identity.json)</p>')
    + '</header>\n';
}

/** Puts the title and banner into the html formatter's page (its template has one title and one content div). */
export function withIdentity(html: string, ids: RunIdentity[]): string {
  return html
    .replace('<title>Cucumber</title>', `<title>${escapeHtml(reportTitle(ids))}</title>`)
    .replace('<div id="content">', `${banner(ids)}<div id="content">`);
}

/** Renders envelopes with Cucumber's html formatter. */
export function renderCucumberHtml(envelopes: Envelope[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream = new CucumberHtmlStream();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer | string) => chunks.push(String(c)));
    stream.on('end', () => resolve(chunks.join('')));
    stream.on('error', reject);
    for (const e of envelopes) stream.write(e);
    stream.end();
  });
}

export async function renderHtmlReport(envelopes: Envelope[], ids: RunIdentity[]): Promise<string> {
  return withIdentity(await renderCucumberHtml(envelopes), ids);
}
