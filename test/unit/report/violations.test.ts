import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeKey, verdictForHttpCode, type MeshCheck } from '../../../support/mesh/checks.js';
import { buildFixedMesh } from '../../../support/mesh/fixed-mesh.js';
import { verifyTraffic } from '../../../support/mesh/verify.js';
import type { ProbeResult } from '../../../support/mesh/probe-log.js';
import { assertEveryConnectionAsAgreed, assertNoProblems } from '../../../support/report/violations.js';
import { renderTruthTableSvg } from '../../../support/report/truth-table-svg.js';

const result = (c: MeshCheck, code: string): ProbeResult => ({ source: c.source, target: c.target, code, verdict: verdictForHttpCode(code), cycle: 1, at: 0 });

/** The fixed mesh with every forbidden connection seen allowed (what a one-sided-outbound regression shows). */
function allForbiddenAllowed() {
  const { checks } = buildFixedMesh();
  const seen = new Map(checks.map((c) => [edgeKey(c.source, c.target), result(c, '200')]));
  return { checks, v: verifyTraffic(checks, seen) };
}

test('a failed mesh check names every security violation, one per line, not only the first', () => {
  const { checks, v } = allForbiddenAllowed();
  const forbidden = checks.filter((c) => c.expected === 'BLOCKED');
  assert.ok(forbidden.length > 5, 'more forbidden connections than a list assertion shows');
  assert.throws(() => assertEveryConnectionAsAgreed(v, 'traffic in mesh-test'), (err: Error) => {
    for (const c of forbidden) assert.ok(err.message.includes(`security-violation: ${c.source} -> ${c.target} `), `${c.source} -> ${c.target} named in:\n${err.message}`);
    assert.equal(err.message.split('\n').length, forbidden.length + 1);
    return true;
  });
});

test('a passing verification does not throw; an empty list of problems does not either, a long one is listed whole', () => {
  const { checks } = buildFixedMesh();
  const seen = new Map(checks.map((c) => [edgeKey(c.source, c.target), result(c, c.expected === 'ALLOWED' ? '200' : '000')]));
  assertEveryConnectionAsAgreed(verifyTraffic(checks, seen), 'ok');
  assertNoProblems([], 'checks');
  const problems = Array.from({ length: 12 }, (_, i) => `problem ${i}`);
  assert.throws(() => assertNoProblems(problems, 'checks'), (e: Error) => problems.every((p) => e.message.includes(`  - ${p}\n`) || e.message.endsWith(`  - ${p}`)));
});

test('the truth table SVG has a cell per check coloured by its status, lists every mismatch and escapes names', () => {
  const { checks, v } = allForbiddenAllowed();
  const svg = renderTruthTableSvg(v, 'Traffic in <mesh-test>');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal((svg.match(/data-status="/g) ?? []).length, checks.length);
  assert.equal((svg.match(/data-status="security-violation"/g) ?? []).length, checks.filter((c) => c.expected === 'BLOCKED').length);
  assert.equal((svg.match(/>! security-violation: /g) ?? []).length, checks.filter((c) => c.expected === 'BLOCKED').length);
  assert.ok(svg.includes('Traffic in &lt;mesh-test&gt;'));
  assert.ok(!svg.includes('<mesh-test>'));
});
