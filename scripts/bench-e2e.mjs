#!/usr/bin/env node
// `npm run bench:e2e`: runs the default profile once against the embedded target and prints
//  - the wall time of the whole run and of each feature (from Cucumber's message stream);
//  - the suite's detection latency: for every wait that was satisfied by a change it watched,
//    the time between the target writing that change (the target's own record, joined on
//    cluster + resourceVersion) and the wait noticing it; median and p95.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const out = resolve('.tmp', 'bench-e2e');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const messages = join(out, 'messages.ndjson');
const detections = join(out, 'detections.ndjson');
const writes = join(out, 'writes.ndjson');

const started = Date.now();
const run = spawnSync('npx', ['cucumber-js', '--format', `message:${messages}`, ...process.argv.slice(2)], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, LATTICE_E2E_DETECTIONS_FILE: detections, LATTICE_SIM_RECORD_WRITES: writes },
});
const wall = (Date.now() - started) / 1000;

const lines = (f) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
const ts = (t) => t.seconds * 1000 + t.nanos / 1e6;

// Per-feature time from the message stream.
const pickleUri = new Map(); const caseToPickle = new Map(); const startedAt = new Map(); const perFeature = new Map();
let runStart; let runEnd; let passed = 0; let failed = 0;
// A scenario passed only when every step did (UNDEFINED, AMBIGUOUS, PENDING or FAILED do not).
const notPassed = new Set();
for (const m of lines(messages)) {
  if (m.pickle) pickleUri.set(m.pickle.id, m.pickle.uri);
  else if (m.testCase) caseToPickle.set(m.testCase.id, m.testCase.pickleId);
  else if (m.testRunStarted) runStart = ts(m.testRunStarted.timestamp);
  else if (m.testRunFinished) runEnd = ts(m.testRunFinished.timestamp);
  else if (m.testCaseStarted) startedAt.set(m.testCaseStarted.id, { at: ts(m.testCaseStarted.timestamp), tc: m.testCaseStarted.testCaseId });
  else if (m.testStepFinished) {
    if (m.testStepFinished.testStepResult.status !== 'PASSED') notPassed.add(m.testStepFinished.testCaseStartedId);
  } else if (m.testCaseFinished) {
    const st = startedAt.get(m.testCaseFinished.testCaseStartedId);
    const uri = pickleUri.get(caseToPickle.get(st.tc)) ?? '?';
    perFeature.set(uri, (perFeature.get(uri) ?? 0) + (ts(m.testCaseFinished.timestamp) - st.at));
    if (notPassed.has(m.testCaseFinished.testCaseStartedId)) failed++; else passed++;
  }
}

// Detection latency: join on (cluster, resourceVersion).
// A cluster re-created during the run starts its resourceVersions again: take the latest write of
// that (cluster, resourceVersion) made before the wait noticed it.
const writeAt = new Map();
for (const w of lines(writes)) { const k = `${w.cluster}@${w.rv}`; writeAt.set(k, [...(writeAt.get(k) ?? []), w.at]); }
const lat = []; let unmatched = 0; let initial = 0;
const byCondition = new Map();
for (const d of lines(detections)) {
  if (d.initial) { initial++; continue; }
  const w = (writeAt.get(`${d.cluster}@${d.resourceVersion}`) ?? []).filter((at) => at <= d.noticedAt).pop();
  if (w === undefined) { unmatched++; continue; }
  const ms = d.noticedAt - w;
  lat.push(ms);
  const k = d.condition.replace(/\d+/g, 'N');
  byCondition.set(k, [...(byCondition.get(k) ?? []), ms]);
}
const pct = (xs, p) => { if (!xs.length) return NaN; const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))]; };

console.log(`\nlattice-acceptance bench:e2e (default profile, embedded target)`);
console.log(`scenarios: ${passed} passed, ${failed} failed; cucumber exit ${run.status}`);
console.log(`wall time: ${wall.toFixed(1)}s (test run ${runStart && runEnd ? ((runEnd - runStart) / 1000).toFixed(1) : '?'}s, start-up ${runStart ? ((runStart - started) / 1000).toFixed(1) : '?'}s)`);
for (const [uri, ms] of [...perFeature].sort((a, b) => b[1] - a[1])) console.log(`  ${uri.padEnd(32)} ${(ms / 1000).toFixed(1)}s`);
console.log(`detection latency over ${lat.length} watched changes (${initial} already true at first read, ${unmatched} without a target record):`);
console.log(`  median ${pct(lat, 0.5).toFixed(1)} ms, p95 ${pct(lat, 0.95).toFixed(1)} ms, max ${lat.length ? Math.max(...lat).toFixed(1) : 'NaN'} ms`);
for (const [k, xs] of [...byCondition].sort((a, b) => b[1].length - a[1].length).slice(0, 8)) console.log(`  ${k.slice(0, 48).padEnd(48)} n=${String(xs.length).padStart(3)} median ${pct(xs, 0.5).toFixed(1)} ms`);
process.exit(run.status === 0 ? 0 : 1);
