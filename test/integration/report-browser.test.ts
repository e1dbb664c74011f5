// The HTML report as a reader sees it: a real run of the suite against the embedded target with a
// seeded data-plane regression (forbidden connections get through), its cucumber.html opened in
// headless Chromium (Debian's; .ci/run installs it), checked on the rendered page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJson, sandbox, startSuite } from './helpers.js';

const CHROMIUM = process.env.LATTICE_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** Chromium renders a report in seconds; beyond this it hangs. */
const CHROMIUM_LIMIT_MS = 90_000;

// Runs in the page after Cucumber's report has rendered: opens every attachment, waits for its
// images to decode and writes what a reader would see into the DOM for --dump-dom.
const PROBE = `(async () => {
  // Each wait that ends unmet says what it waited for and what it last saw (reported in 'unmet').
  const unmet = [];
  const until = async (what, f, seen, ms) => { const end = Date.now() + ms; while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 50)); if (!f()) unmet.push(what + ' not within ' + ms + ' ms; last seen: ' + seen()); };
  const detailsCount = () => document.querySelectorAll('#content details').length;
  await until('the scenarios of the report', () => detailsCount() > 0, () => detailsCount() + ' details', 10000);
  // Passed hooks (where the diagnostics link is attached) sit behind an "N hooks" button.
  const hookButtons = () => [...document.querySelectorAll('#content button')].filter((b) => /^\\s*\\d+ hooks\\s*$/.test(b.innerText));
  hookButtons().forEach((b) => b.click());
  const diagnosticsLinks = () => [...document.querySelectorAll('#content a[href]')].filter((a) => /^diagnostics\\//.test(a.getAttribute('href'))).length;
  await until('a diagnostics link among the revealed hooks', () => diagnosticsLinks() > 0, () => hookButtons().length + ' hook buttons, ' + diagnosticsLinks() + ' diagnostics links', 5000);
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const imgs = [...document.querySelectorAll('#content img')];
  await Promise.all(imgs.map((i) => i.decode().catch(() => undefined)));
  const out = document.createElement('pre'); out.id = 'probe-result';
  out.textContent = JSON.stringify({ title: document.title, header: document.querySelector('#lattice-run')?.innerText ?? null,
    images: imgs.map((i) => ({ name: i.closest('details')?.querySelector('summary')?.innerText ?? '', src: i.src, width: i.naturalWidth, height: i.naturalHeight })),
    links: [...document.querySelectorAll('#content a[href]')].map((a) => ({ href: a.getAttribute('href'), resolved: a.href })),
    text: document.querySelector('#content')?.innerText ?? '', unmet });
  document.body.appendChild(out);
})();`;

interface Seen { title: string; header: string | null; images: Array<{ name: string; src: string; width: number; height: number }>; links: Array<{ href: string; resolved: string }>; text: string; unmet: string[] }

function openInChromium(htmlFile: string, profileDir: string): Promise<Seen> {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profileDir}`, '--virtual-time-budget=20000', '--dump-dom', `file://${htmlFile}`];
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let dom = ''; let err = '';
    child.stdout.on('data', (d) => { dom += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHROMIUM_LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const m = dom.match(/<pre id="probe-result">([\s\S]*?)<\/pre>/);
      if (!m) { reject(new Error(`chromium (exit ${code}) dumped no probe result; stderr: ${err.slice(-500)}`)); return; }
      const unescaped = m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
      resolve(JSON.parse(unescaped) as Seen);
    });
  });
}

const svgOf = (src: string): string => Buffer.from(src.slice(src.indexOf(',') + 1), 'base64').toString('utf8');

test('the HTML report in Chromium: identity on top, truth tables and phase timelines render as images, a failed mesh check shows every violation', { timeout: 600_000 }, async (t) => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  const box = sandbox(t, 'report-browser');
  // The pivot scenario first: it draws the phase timelines on fresh clusters, before the mesh
  // scenarios (a pivot after them must first tear their workload cluster down).
  const run = startSuite(t, ['features/pivot.feature', 'features/mesh.feature', '--tags', '(@mesh and not @random-mesh) or (@pivot and @docker)'], {
    LATTICE_SIM_HOME: box.home, LATTICE_E2E_WORK_DIR: join(box.workRoot, 'run'), LATTICE_E2E_REPORTS_DIR: box.reports,
    // A seeded regression of the target: one-sided outbound declarations compile into allowed edges.
    LATTICE_SIM_FAULTS: 'one-sided-outbound-allowed',
  });
  const { code } = await run.exited;
  assert.equal(code, 1, `the faulted run fails; stderr:\n${run.err().slice(-2000)}`);

  const identity = readJson(join(box.reports, 'run-identity.json')) as { runId: string; seed: string; target: string };
  // Next to the report, so its relative links resolve as they do for a reader.
  const page = join(box.reports, 'report-probe.html');
  writeFileSync(page, readFileSync(join(box.reports, 'cucumber.html'), 'utf8').replace('</body>', `<script>${PROBE}</script></body>`));
  const seen = await openInChromium(page, mkdtempSync(join(box.dir, 'chromium-')));

  // The run's identity: title and banner.
  assert.equal(identity.target, 'embedded');
  assert.match(seen.title, new RegExp(`embedded target, API 2026-01, run ${identity.runId}, seed ${identity.seed}`));
  // The version, how it was chosen and how the management cluster confirmed it (support/run/run-version.ts).
  assert.match(seen.header ?? '', new RegExp(`embedded target · Lattice API 2026-01 \\([^)]*asked of the embedded target at install; confirmed: e2e-mgmt serves latticeexternalservices\\.lattice\\.dev\\) · .*run ${identity.runId} · seed ${identity.seed}`));

  // Pictures, not markup: every truth table and timeline is a decoded SVG image.
  const tables = seen.images.filter((i) => /truth-table\.svg$/.test(i.name));
  const timelines = seen.images.filter((i) => /phase-timeline\.svg$/.test(i.name));
  assert.ok(tables.length >= 1, `a truth table image; images: ${seen.images.map((i) => i.name).join(', ')}`);
  assert.ok(timelines.length >= 1, `a phase timeline image; images: ${seen.images.map((i) => i.name).join(', ')}; console:\n${run.out().slice(-3000)}`);
  for (const i of [...tables, ...timelines]) {
    assert.match(i.src, /^data:image\/svg\+xml;base64,/);
    assert.ok(i.width > 100 && i.height > 50, `${i.name} rendered (${i.width}x${i.height})`);
  }
  assert.doesNotMatch(seen.text, /<table|<td|<svg/, 'no attachment shown as raw markup');
  assert.match(svgOf(timelines[0]!.src), /Pending[\s\S]*Provisioning[\s\S]*Pivoting[\s\S]*Ready/);

  // The failed fixed-mesh check: every violation named in the failure and drawn in the table.
  const m = seen.text.match(/(\d+) forbidden connection\(s\) got through:/);
  assert.ok(m, `the failure is on the page:\n${seen.text.slice(0, 3000)}`);
  const count = Number(m[1]);
  // The fault opens 11 of the fixed mesh's forbidden connections; the check waits for a complete
  // cycle from every source before failing, so it names them all (it named 2 when it stopped at the
  // first reading with a violation).
  assert.ok(count >= 11, `every forbidden connection named (${count})`);
  const listed = seen.text.slice(m.index).split('\n').slice(1, count + 1);
  assert.equal(listed.filter((l) => /security violation at .* -> .* answered HTTP 200/.test(l)).length, count, `all ${count} violations listed:\n${listed.join('\n')}`);
  const violated = tables.map((i) => svgOf(i.src)).find((s) => /when the violation was seen/.test(s));
  assert.ok(violated, 'the truth table as read when the violation was seen is attached');
  assert.ok((violated.match(/data-status="security-violation"/g) ?? []).length >= count, 'every violation is a red cell of the table');

  // The failed scenario's diagnostics: a relative link to its attempt's index, which exists, with
  // the Cluster API objects and Nodes of each cluster beside it.
  const link = seen.links.find((l) => /^diagnostics\/mesh-[^/]+\/attempt-1\/index\.html$/.test(l.href));
  assert.ok(link, `a relative link to the diagnostics; links: ${seen.links.map((l) => l.href).join(', ')}; unmet waits: ${seen.unmet.join('; ') || 'none'}`);
  const folder = dirname(fileURLToPath(link.resolved));
  assert.ok(existsSync(join(folder, 'index.html')), `${link.resolved} exists`);
  const files = readdirSync(folder);
  for (const kind of ['cluster-api.yaml', 'nodes.yaml', 'latticeclusters.yaml', 'events.txt']) {
    assert.ok(files.some((f) => f.startsWith('workload-') && f.endsWith(kind)), `workload cluster's ${kind} in ${files.join(', ')}`);
  }
  assert.match(readFileSync(join(folder, files.find((f) => f.endsWith('cluster-api.yaml'))!), 'utf8'), /kind: (Cluster|Machine)/);
});
