import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildFixedMesh } from '../../../support/mesh/fixed-mesh.js';
import { FailClosedMonitor, type FailClosedViolation } from '../../../support/mesh/fail-closed-monitor.js';
import { formatCycle, formatCycleStart, formatResultLine } from '../../../support/mesh/probe-log-format.js';
import type { MeshCheck } from '../../../support/mesh/checks.js';
import { readProbeLogs } from '../../../support/mesh/probe-log.js';

const { checks } = buildFixedMesh();
const web = checks.filter((c) => c.source === 'frontend-web');
const honest = (c: MeshCheck): string => (c.expected === 'ALLOWED' ? '200' : '000');
const cycleText = (n: number, at: number, codeOf: (c: MeshCheck) => string = honest): string => formatCycle('frontend-web', n, at, web, codeOf);

test('a wrongly allowed connection is recorded at once, with its cycle and times; repeats are not re-counted', () => {
  const heard: FailClosedViolation[] = [];
  const m = new FailClosedMonitor(checks, (v) => heard.push(v));
  assert.deepEqual(m.observe(cycleText(1, 100), new Date('2026-01-01T00:00:00Z')), []);
  const leaky = cycleText(2, 130, (c) => (c.target === 'db-users' ? '200' : honest(c)));
  const t2 = new Date('2026-01-01T00:00:30Z');
  const fresh = m.observe(cycleText(1, 100) + leaky, t2);
  assert.equal(fresh.length, 1);
  assert.deepEqual({ ...fresh[0]!, observedAt: fresh[0]!.observedAt.toISOString() }, {
    source: 'frontend-web', target: 'db-users', url: 'http://db-users.mesh-test.svc.cluster.local/', code: '200', cycle: 2, cycleAt: 130,
    observedAt: t2.toISOString(), reason: 'no direct DB access',
  });
  assert.equal(heard.length, 1, 'callback fired');
  // The same log read again (kubectl logs returns the whole tail each time): nothing new.
  assert.deepEqual(m.observe(cycleText(1, 100) + leaky, new Date('2026-01-01T00:01:00Z')), []);
  // A later cycle leaking the same connection again is another violation.
  assert.equal(m.observe(leaky + cycleText(3, 160, (c) => (c.target === 'db-users' ? '302' : honest(c)))).length, 1);
  assert.equal(m.violations.length, 2);
  assert.throws(() => m.assertNoViolation(), /^SuiteError: policy failed open: security violation at .*frontend-web -> db-users .* \(and 1 more\)$/);
  new FailClosedMonitor(checks).assertNoViolation();
});

test('drops are tolerated and counted, never violations', () => {
  const m = new FailClosedMonitor(checks);
  assert.deepEqual(m.observe(cycleText(1, 100, () => '000')), []);
  assert.deepEqual(m.observe(cycleText(2, 130, () => '503')), []);
  const s = m.summary();
  assert.equal(s.violations.length, 0);
  assert.equal(s.drops, 4, 'two expected-allowed targets dropped in two cycles');
  assert.deepEqual(s.droppedConnections.sort(), ['frontend-web->api-gateway', 'frontend-web->api-users']);
  assert.match(s.text, /^fail-closed held: 2 sample\(s\), 2 cycle\(s\), 16 result\(s\) judged; 0 violation/);
});

test('a violation in a cycle still running (no end marker yet) is caught without waiting for the end', () => {
  const m = new FailClosedMonitor(checks);
  const running = formatCycleStart('frontend-web', 5, 200, 8) + '\n' + formatResultLine('frontend-web', 5, web.find((c) => c.target === 'cache')!, '204') + '\n';
  const v = m.observe(running);
  assert.equal(v.length, 1);
  assert.equal(v[0]!.cycle, 5);
  // Its completion later does not count it twice.
  assert.equal(m.observe(running.split('\n').slice(0, 1).join('\n') + '\n' + cycleText(5, 200, (c) => (c.target === 'cache' ? '204' : honest(c))).split('\n').slice(1).join('\n')).length, 0);
  const s = m.summary();
  assert.match(s.text, /^FAIL-OPEN: .* 1 violation\(s\) on 1 connection\(s\)/);
  assert.match(s.text, /security violation at .*: frontend-web -> cache \(http:\/\/cache\.mesh-test\.svc\.cluster\.local\/\) answered HTTP 204 in cycle 5/);
});

test('a latest-only reading is refused: it would hide leaks in partial and older cycles', () => {
  const leaky = cycleText(1, 100, (c) => (c.target === 'db-users' ? '200' : honest(c))) + cycleText(2, 130);
  assert.throws(() => new FailClosedMonitor(checks).observe(readProbeLogs(leaky, { latestOnly: true })), /needs every cycle/);
  assert.equal(new FailClosedMonitor(checks).observe(readProbeLogs(leaky)).length, 1, 'the older cycle\'s leak is found');
});

test('results for connections outside the plan, and broken lines, are not judged', () => {
  const m = new FailClosedMonitor(checks.filter((c) => c.target !== 'db-users'));
  const leaky = cycleText(1, 100, (c) => (c.target === 'db-users' ? '200' : honest(c)));
  assert.deepEqual(m.observe(leaky), []);
  assert.deepEqual(new FailClosedMonitor(checks).observe(leaky.replace('code=200 verdict=ALLOWED :: db-users', 'code=000 verdict=ALLOWED :: db-users')), []);
});

test('property: over any sequence of samples, violations = distinct wrongly-allowed results seen', () => {
  fc.assert(fc.property(fc.array(fc.array(fc.constantFrom('200', '000', '403', '302'), { minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 6 }), fc.nat(), (cycles, split) => {
    const texts = cycles.map((codes, i) => cycleText(i + 1, 100 + 30 * i, (c) => codes[web.indexOf(c)]!));
    const m = new FailClosedMonitor(checks);
    // Samples overlap: each sample re-reads everything so far, split into two observations.
    const cut = split % texts.length;
    m.observe(texts.slice(0, cut).join(''));
    m.observe(texts.join(''));
    let expected = 0;
    cycles.forEach((codes) => web.forEach((c, j) => { if (c.expected === 'BLOCKED' && ['200', '302'].includes(codes[j]!)) expected++; }));
    assert.equal(m.violations.length, expected);
  }), { numRuns: 200 });
});
