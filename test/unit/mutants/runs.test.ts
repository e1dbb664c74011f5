import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateSeconds, parseRunRecords, renderTiming, timing } from '../../../scripts/mutants/runs.js';

const lines = [
  { area: 'services', mutant: null, passed: true, wallMs: 33_000 },
  { area: 'services', mutant: '0', passed: false, wallMs: 18_000, scenario: 'features/media.feature:11', step: 'sonarr may call' },
  { area: 'services', mutant: '1', passed: false, wallMs: 20_000, scenario: 'features/mesh.feature:11', step: 'traffic shows' },
  { area: 'services', mutant: '2', passed: true, wallMs: 28_000 },
  { area: 'services', mutant: '3', passed: false, wallMs: 4_000, stderrTail: 'Cannot find module', stopProblem: 'daemon 42 still ran; killed it' },
].map((r) => JSON.stringify(r)).join('\n');

test('run records give the mean time per mutant, killed and survived apart, and the clean run', () => {
  const t = timing(parseRunRecords(`${lines}\nnot json\n{"x":1}\n`));
  assert.equal(t.mutantRuns, 4);
  assert.equal(t.meanMutantSeconds, 17.5);
  assert.equal(t.meanKilledSeconds, 14);
  assert.equal(t.meanSurvivedSeconds, 28);
  assert.equal(t.cleanRunSeconds, 33);
});

test('a mutant counted killed without a failing scenario, and a daemon that had to be killed, are warned about', () => {
  const text = renderTiming(timing(parseRunRecords(lines)));
  assert.match(text, /^4 mutants run: mean 17.5 s per mutant \(killed 14 s, survived 28 s\); clean run 33 s$/m);
  assert.match(text, /^warning: mutant 3 counted as killed but no scenario failed \(Cannot find module\)/m);
  assert.match(text, /^warning: daemon 42 still ran; killed it$/m);
  assert.equal(renderTiming(timing([])), 'no mutant was run (all results came from the incremental file)');
});

test('full-run estimate: mutants × mean seconds ÷ concurrency', () => {
  assert.equal(estimateSeconds(3730, 25, 1), 93_250);
  assert.equal(estimateSeconds(3730, 25, 2), 46_625);
});
