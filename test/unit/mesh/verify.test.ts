import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { edgeKey, verdictForHttpCode, type MeshCheck } from '../../../support/mesh/checks.js';
import { buildFixedMesh } from '../../../support/mesh/fixed-mesh.js';
import { generateRandomMesh } from '../../../support/mesh/random-mesh.js';
import { DEFAULT_RANDOM_MESH_CONFIG } from '../../../support/mesh/random-mesh-config.js';
import { assertTrafficAsExpected, describeMismatch, verifyTraffic } from '../../../support/mesh/verify.js';
import { escapeHtml, renderTruthTableHtml, renderTruthTableText } from '../../../support/mesh/truth-table.js';
import type { ProbeResult } from '../../../support/mesh/probe-log.js';
import { readProbeLogs } from '../../../support/mesh/probe-log.js';
import { formatCycle } from '../../../support/mesh/probe-log-format.js';
import { SuiteError } from '../../../support/errors.js';

const result = (c: MeshCheck, code: string, cycle = 1): ProbeResult => ({ source: c.source, target: c.target, code, verdict: verdictForHttpCode(code), cycle, at: 0 });
const asExpected = (checks: MeshCheck[]): Map<string, ProbeResult> => new Map(checks.map((c) => [edgeKey(c.source, c.target), result(c, c.expected === 'ALLOWED' ? '200' : '000')]));

test('the code rule: 200/201/204/301/302 allowed, anything else (and 000) blocked', () => {
  for (const c of ['200', '201', '204', '301', '302']) assert.equal(verdictForHttpCode(c), 'ALLOWED');
  for (const c of ['000', '100', '202', '303', '403', '404', '500', '503']) assert.equal(verdictForHttpCode(c), 'BLOCKED');
});

test('all as expected passes; each kind of mismatch is classified with the code seen', () => {
  const { checks } = buildFixedMesh();
  assert.equal(verifyTraffic(checks, asExpected(checks)).passed, true);
  const seen = asExpected(checks);
  const web = (t: string) => checks.find((c) => c.source === 'frontend-web' && c.target === t)!;
  seen.set(edgeKey('frontend-web', 'db-users'), result(web('db-users'), '200', 4));
  seen.set(edgeKey('frontend-web', 'api-users'), result(web('api-users'), '403', 4));
  seen.delete(edgeKey('frontend-web', 'cache'));
  seen.set(edgeKey('frontend-web', 'somewhere'), { source: 'frontend-web', target: 'somewhere', code: '200', verdict: 'ALLOWED', cycle: 4, at: 0 });
  const v = verifyTraffic(checks, seen);
  assert.equal(v.passed, false);
  assert.deepEqual(v.counts, { checks: 24, ok: 21, securityViolations: 1, availabilityFailures: 1, missing: 1 });
  assert.equal(v.unplannedResults, 1);
  assert.deepEqual(v.mismatches.map((m) => [m.kind, m.target, m.code ?? '-']), [
    ['availability-failure', 'api-users', '403'], ['security-violation', 'db-users', '200'], ['missing', 'cache', '-'],
  ]);
  assert.equal(describeMismatch(v.mismatches[1]!), 'security-violation: frontend-web -> db-users expected BLOCKED (no direct DB access), seen ALLOWED (HTTP 200, cycle 4)');
  assert.equal(describeMismatch(v.mismatches[2]!), 'missing: frontend-web -> cache expected BLOCKED (no direct cache access), no result in the latest complete cycle');
});

test('nothing to check is never a pass', () => {
  assert.equal(verifyTraffic([], new Map()).passed, false);
});

test('verification reads the parsed logs directly', () => {
  const { checks } = buildFixedMesh();
  const logs = ['frontend-web', 'frontend-mobile', 'frontend-admin'].map((src) => formatCycle(src, 1, 1, checks.filter((c) => c.source === src), (c) => (c.expected === 'ALLOWED' ? '200' : '000')));
  assert.equal(verifyTraffic(checks, readProbeLogs(logs)).passed, true);
  assert.equal(verifyTraffic(checks, readProbeLogs(logs.slice(1))).counts.missing, 8);
});

test('property: the verifier passes iff every expected result is present and equal', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'flip', 'code')), { maxLength: 6 }), (seed, edits) => {
    const { checks } = generateRandomMesh({ ...DEFAULT_RANDOM_MESH_CONFIG }, seed);
    const seen = asExpected(checks);
    let broken = 0;
    const touched = new Set<string>();
    for (const [i, kind] of edits) {
      const c = checks[i % checks.length]!;
      const key = edgeKey(c.source, c.target);
      if (touched.has(key)) continue;
      touched.add(key);
      if (kind === 'drop') { seen.delete(key); broken++; }
      else if (kind === 'flip') { seen.set(key, result(c, c.expected === 'ALLOWED' ? '403' : '204')); broken++; }
      else seen.set(key, result(c, c.expected === 'ALLOWED' ? '301' : '404')); // same verdict, other code
    }
    const v = verifyTraffic(checks, seen);
    assert.equal(v.passed, broken === 0);
    assert.equal(v.mismatches.length, broken);
    assert.equal(v.counts.ok + v.counts.missing + v.counts.securityViolations + v.counts.availabilityFailures, checks.length);
    for (const m of v.mismatches) {
      if (m.kind === 'security-violation') assert.ok(m.expected === 'BLOCKED' && m.actual === 'ALLOWED');
      if (m.kind === 'availability-failure') assert.ok(m.expected === 'ALLOWED' && m.actual === 'BLOCKED');
      if (m.kind === 'missing') assert.ok(m.actual === undefined && m.code === undefined);
    }
  }), { numRuns: 300 });
});

test('the text truth table shows sources × targets with mismatches marked', () => {
  const { checks } = buildFixedMesh();
  const seen = asExpected(checks);
  const c = checks.find((x) => x.source === 'frontend-mobile' && x.target === 'api-users')!;
  seen.set(edgeKey(c.source, c.target), result(c, '200', 3));
  const text = renderTruthTableText(verifyTraffic(checks, seen));
  const lines = text.split('\n');
  assert.match(lines[0]!, /^FAIL: 23\/24 as expected; 1 security violation/);
  const header = lines.find((l) => l.includes('api-gateway'))!;
  const cols = header.split('|').map((s) => s.trim());
  const row = lines.find((l) => l.startsWith('frontend-mobile'))!.split('|').map((s) => s.trim());
  assert.equal(row[cols.indexOf('api-users')], 'B→A!');
  assert.equal(row[cols.indexOf('api-gateway')], 'A');
  assert.equal(row[cols.indexOf('frontend-mobile')], '·', 'a source does not probe itself');
  assert.ok(text.includes('! security-violation frontend-mobile -> api-users: expected BLOCKED (mobile not allowed by users), seen ALLOWED HTTP 200 cycle 3'));
});

test('wide tables are listed per source instead of drawn', () => {
  const { checks } = generateRandomMesh({ ...DEFAULT_RANDOM_MESH_CONFIG, minServices: 200, maxServices: 200 }, 3);
  const text = renderTruthTableText(verifyTraffic(checks, asExpected(checks)));
  assert.ok(text.split('\n').some((l) => /^frontend-0: \S+=(A|B) /.test(l)));
});

test('the HTML truth table escapes every name and marks cells by status', () => {
  const checks: MeshCheck[] = [
    { source: 'a<script>', target: 'b"&\'', url: 'http://x/', kind: 'service', expected: 'BLOCKED', reason: '<img src=x onerror=alert(1)>' },
    { source: 'a<script>', target: 'ok', url: 'http://y/', kind: 'service', expected: 'ALLOWED', reason: 'bilateral agreement' },
  ];
  const seen = new Map([[edgeKey(checks[0]!.source, checks[0]!.target), result(checks[0]!, '200')]]);
  const html = renderTruthTableHtml(verifyTraffic(checks, seen), 'Mesh <1>');
  assert.ok(!html.includes('<script>') && !html.includes('<img'));
  assert.ok(html.includes('a&lt;script&gt;') && html.includes('b&quot;&amp;&#39;') && html.includes('Mesh &lt;1&gt;'));
  assert.match(html, /<td class="security-violation" title="expected BLOCKED \(&lt;img[^"]*; seen ALLOWED, HTTP 200, cycle 1"[^>]*>B→A!<\/td>/);
  assert.match(html, /<td class="missing"[^>]*>A→\?!<\/td>/);
  assert.equal(escapeHtml(`<&>"'`), '&lt;&amp;&gt;&quot;&#39;');
});

test('assertTrafficAsExpected: silent on a pass, one line with security violations first otherwise', () => {
  const { checks } = buildFixedMesh();
  assertTrafficAsExpected(verifyTraffic(checks, asExpected(checks)));
  const seen = asExpected(checks);
  for (const c of checks.filter((x) => x.source === 'frontend-admin')) seen.delete(edgeKey(c.source, c.target));
  const leak = checks.find((x) => x.source === 'frontend-web' && x.target === 'cache')!;
  seen.set(edgeKey(leak.source, leak.target), result(leak, '200', 9));
  assert.throws(() => assertTrafficAsExpected(verifyTraffic(checks, seen), 'fixed mesh'), (e: unknown) => e instanceof SuiteError
    && !e.message.includes('\n')
    && /^fixed mesh: FAIL: 15\/24 as expected; 1 security violation\(s\), 0 availability failure\(s\), 8 missing — security-violation: frontend-web -> cache .* \(and 4 more\)$/.test(e.message));
  assert.throws(() => assertTrafficAsExpected(verifyTraffic([], new Map())), /no checks planned/);
});
