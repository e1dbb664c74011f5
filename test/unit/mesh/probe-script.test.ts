import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { EMBEDDED_PROBE_TIMING, renderProbeScript, shQuote, UPSTREAM_PROBE_TIMING, type ProbeTarget, type ProbeTiming } from '../../../support/mesh/probe-script.js';
import { formatCycle } from '../../../support/mesh/probe-log-format.js';
import { latestVerdicts, readProbeLogs } from '../../../support/mesh/probe-log.js';
import { buildFixedMesh } from '../../../support/mesh/fixed-mesh.js';
import { generateRandomMesh } from '../../../support/mesh/random-mesh.js';
import { DEFAULT_RANDOM_MESH_CONFIG } from '../../../support/mesh/random-mesh-config.js';
import { checksBySource } from '../../../support/mesh/checks.js';
import { SuiteError } from '../../../support/errors.js';

const hasBusybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).status === 0;
/** Shells every script must satisfy; busybox only where installed (CI installs busybox-static). */
const SHELLS: { name: string; argv: string[] }[] = [
  { name: 'dash', argv: ['/usr/bin/dash'] },
  ...(hasBusybox ? [{ name: 'busybox sh', argv: ['busybox', 'sh'] }] : []),
];

function syntaxCheck(script: string): void {
  for (const sh of [{ name: 'sh', argv: ['sh'] }, ...SHELLS]) {
    const r = spawnSync(sh.argv[0]!, [...sh.argv.slice(1), '-n', '-c', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${sh.name} -n: ${r.stderr}`);
  }
}

const FAST: ProbeTiming = { intervalSeconds: 0.05, connectTimeoutSeconds: 1, maxTimeSeconds: 2, policyWait: { tries: 2, intervalSeconds: 0.01, settleSeconds: 0 } };

/** A fake `curl` that answers from a URL→code table, logs its arguments, and fails like curl for 000. */
function fakeCurl(dir: string, codes: Record<string, string>): string {
  const calls = join(dir, 'calls');
  const cases = Object.entries(codes).map(([url, code]) => `  ${shQuote(url)}) code=${code} ;;`).join('\n');
  writeFileSync(join(dir, 'curl'), `#!/bin/sh
printf '%s\\n' "$*" >> ${shQuote(calls)}
for a in "$@"; do url=$a; done
case $url in
${cases}
  *) code=000 ;;
esac
printf '%s' "$code"
[ "$code" = 000 ] && exit 7
exit 0
`);
  chmodSync(join(dir, 'curl'), 0o755);
  return calls;
}

/** Runs the script until `cycles` end markers are printed, then kills its process group. */
async function runCycles(argv: string[], script: string, dir: string, cycles: number, timeoutMs = 30_000): Promise<string> {
  const child = spawn(argv[0]!, [...argv.slice(1), '-c', script], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = ''; let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${cycles} complete cycles within ${timeoutMs} ms; stdout: ${out.slice(-2000)} stderr: ${err}`)), timeoutMs);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if ((out.match(/ end src=/g) ?? []).length >= cycles) { clearTimeout(timer); resolve(out); }
      });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`probe exited (${code}) early; stdout: ${out} stderr: ${err}`)); });
    });
  } finally {
    child.removeAllListeners('exit');
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  }
}

const TARGETS: ProbeTarget[] = [
  { target: 'api-gateway', url: 'http://api-gateway.mesh-test.svc.cluster.local/', expected: 'ALLOWED', reason: 'bilateral agreement' },
  { target: 'api-orders', url: 'http://api-orders.mesh-test.svc.cluster.local/', expected: 'BLOCKED', reason: 'web not allowed by orders' },
  { target: 'cache', url: 'http://cache.mesh-test.svc.cluster.local/', expected: 'BLOCKED', reason: "it's $HOME at 100% (sic) `x`" },
  { target: 'db-users', url: 'http://db-users.mesh-test.svc.cluster.local/', expected: 'ALLOWED', reason: 'bilateral agreement' },
  { target: 'httpbin', url: 'https://httpbin.org/status/200', expected: 'BLOCKED', reason: 'not an allowed requester' },
  { target: 'example', url: 'https://example.com', expected: 'ALLOWED', reason: 'bilateral agreement' },
];
// 200 allowed; 403 blocked at L7; 000 dropped; 302 counts as allowed; db-users answers 503 (blocked).
const CODES: Record<string, string> = {
  'http://api-gateway.mesh-test.svc.cluster.local/': '200',
  'http://api-orders.mesh-test.svc.cluster.local/': '403',
  'http://db-users.mesh-test.svc.cluster.local/': '503',
  'https://httpbin.org/status/200': '200',
  'https://example.com': '302',
};

for (const sh of SHELLS) {
  test(`the probe runs under ${sh.name}: markers, one line per target, codes and verdicts, upstream forms`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const calls = fakeCurl(dir, CODES);
    const script = renderProbeScript({ source: 'frontend-web', targets: TARGETS, timing: FAST });
    const out = await runCycles(sh.argv, script, dir, 2);
    const lines = out.split('\n');
    // Policy wait: httpbin (expected blocked) answers 200, so both tries see policy open, then it proceeds.
    assert.deepEqual(lines.filter((l) => l.includes('policy-wait')), [
      '[probe] policy-wait src=frontend-web try=1/2 open',
      '[probe] policy-wait src=frontend-web try=2/2 open',
      '[probe] policy-wait src=frontend-web proceeding after 2 tries',
    ]);
    // Cycles 1 and 2 are byte-identical to the TypeScript formatter, given the probe's own clock.
    for (const cycle of [1, 2]) {
      const start = lines.find((l) => l.startsWith(`[probe] cycle=${cycle} start `))!;
      const at = Number(/at=(\d+)$/.exec(start)![1]);
      assert.ok(at > 1_700_000_000, `clock: ${start}`);
      const expected = formatCycle('frontend-web', cycle, at, TARGETS, (x) => CODES[x.url] ?? '000');
      assert.ok(out.includes(expected), `cycle ${cycle} differs:\n${out}\n--- expected ---\n${expected}`);
    }
    assert.ok(out.includes("cache: BLOCKED (it's $HOME at 100% (sic) `x`)"), 'reason printed verbatim');
    assert.ok(out.includes('httpbin: ALLOWED (UNEXPECTED - not an allowed requester)') && out.includes('frontend-web->httpbin:ALLOWED (UNEXPECTED)'));
    assert.ok(out.includes('frontend-web->api-orders:BLOCKED'));
    const seen = latestVerdicts(readProbeLogs(out));
    assert.deepEqual([...seen.values()].map((r) => `${r.target}=${r.code}/${r.verdict}@${r.cycle}`).sort(), [
      'api-gateway=200/ALLOWED@2', 'api-orders=403/BLOCKED@2', 'cache=000/BLOCKED@2', 'db-users=503/BLOCKED@2', 'example=302/ALLOWED@2', 'httpbin=200/ALLOWED@2',
    ]);
    // curl got the connect timeout and a max time.
    const firstCall = readFileSync(calls, 'utf8').split('\n')[0]!;
    assert.match(firstCall, /--connect-timeout 1 --max-time 2 /);
  });

  test(`under ${sh.name} the policy wait ends as soon as every expected-blocked URL is closed`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    fakeCurl(dir, { ...CODES, 'https://httpbin.org/status/200': '000', 'http://api-orders.mesh-test.svc.cluster.local/': '302' });
    const script = renderProbeScript({ source: 'frontend-web', targets: TARGETS, timing: { ...FAST, policyWait: { tries: 5, intervalSeconds: 0.01, settleSeconds: 0 } } });
    const out = await runCycles(sh.argv, script, dir, 1);
    // 302 is "allowed" for verdicts but not "open" for the policy wait (upstream's rule).
    assert.deepEqual(out.split('\n').filter((l) => l.includes('policy-wait')), ['[probe] policy-wait src=frontend-web try=1/5 closed']);
  });
}

test('without curl every probe reads 000 and BLOCKED', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'curl'), '#!/bin/sh\nexit 127\n');
  chmodSync(join(dir, 'curl'), 0o755);
  const out = await runCycles(['/usr/bin/dash'], renderProbeScript({ source: 'frontend-web', targets: TARGETS, timing: { ...FAST, policyWait: { tries: 0, intervalSeconds: 0, settleSeconds: 0 } } }), dir, 1);
  const seen = latestVerdicts(readProbeLogs(out));
  assert.equal(seen.size, TARGETS.length);
  assert.ok([...seen.values()].every((r) => r.code === '000' && r.verdict === 'BLOCKED'));
});

test('the upstream timing is the default: 30 s cycles, 3 s connect timeout, 30 tries 2 s apart, 5 s settle', () => {
  const script = renderProbeScript({ source: 'frontend-web', targets: TARGETS });
  for (const line of ['INTERVAL=30', 'CONNECT_TIMEOUT=3', 'WAIT_TRIES=30', 'WAIT_INTERVAL=2', 'SETTLE=5']) assert.ok(script.includes(`\n${line}\n`), line);
  assert.deepEqual(UPSTREAM_PROBE_TIMING.policyWait, { tries: 30, intervalSeconds: 2, settleSeconds: 5 });
  assert.ok(EMBEDDED_PROBE_TIMING.intervalSeconds < 5);
  syntaxCheck(script);
});

test('inputs that could break the script are refused', () => {
  const ok = TARGETS[0]!;
  const cases: [string, () => string][] = [
    ['source', () => renderProbeScript({ source: 'Bad Name', targets: [ok] })],
    ['target', () => renderProbeScript({ source: 'a', targets: [{ ...ok, target: 'x;rm -rf' }] })],
    ['url', () => renderProbeScript({ source: 'a', targets: [{ ...ok, url: "http://x/'; reboot" }] })],
    ['url', () => renderProbeScript({ source: 'a', targets: [{ ...ok, url: 'http://x y/' }] })],
    ['reason', () => renderProbeScript({ source: 'a', targets: [{ ...ok, reason: 'two\nlines' }] })],
    ['reason', () => renderProbeScript({ source: 'a', targets: [{ ...ok, reason: 'a :: b' }] })],
    ['targets', () => renderProbeScript({ source: 'a', targets: [] })],
    ['twice', () => renderProbeScript({ source: 'a', targets: [ok, ok] })],
    ['timing', () => renderProbeScript({ source: 'a', targets: [ok], timing: { ...FAST, intervalSeconds: Number.NaN } })],
    ['timing', () => renderProbeScript({ source: 'a', targets: [ok], timing: { ...FAST, connectTimeoutSeconds: -1 } })],
  ];
  for (const [what, f] of cases) assert.throws(f, SuiteError, what);
});

test('property: every generated script (fixed mesh, random meshes) passes sh -n, dash -n and busybox sh -n', () => {
  for (const src of buildFixedMesh().sources) {
    const fixed = buildFixedMesh();
    syntaxCheck(renderProbeScript({ source: src, targets: fixed.checks.filter((c) => c.source === src) }));
  }
  fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(UPSTREAM_PROBE_TIMING, EMBEDDED_PROBE_TIMING), (seed, timing) => {
    const mesh = generateRandomMesh({ ...DEFAULT_RANDOM_MESH_CONFIG, minServices: 10, maxServices: 40 }, seed);
    for (const [source, checks] of checksBySource(mesh.checks)) syntaxCheck(renderProbeScript({ source, targets: checks, timing }));
  }), { numRuns: 8 });
});
