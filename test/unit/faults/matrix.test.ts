import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunOutcome, ScenarioOutcome } from '../../../scripts/faults/messages.js';
import {
  classifyCleanRun, classifyFaultRun, exitCodeOf, renderCleanRuns, renderFaultMatrix, renderTable, scenarioPlace, tally, truncate, type RunFacts,
} from '../../../scripts/faults/matrix.js';

const scenario = (name: string, failure?: ScenarioOutcome['failure']): ScenarioOutcome => ({
  name, uri: '../../features/x.feature', line: 1, tags: [], status: failure ? 'FAILED' : 'PASSED', startedAtMs: 0, durationMs: 1, ...(failure ? { failure } : {}),
});
const outcome = (scenarios: ScenarioOutcome[]): RunOutcome => ({ startedAtMs: 1000, finishedAtMs: 9000, success: scenarios.every((s) => s.status === 'PASSED'), scenarios, runHookFailures: [] });
const facts = (o: RunOutcome | undefined, exitCode: number | null = o?.success === false ? 1 : 0, extra: Partial<RunFacts> = {}): RunFacts => ({ exitCode, timedOut: false, wallMs: 42_000, stderrTail: '', ...(o ? { outcome: o } : {}), ...extra });
const failure = (step: string) => ({ step, status: 'FAILED', firstLine: 'AssertionError: claim vol-media-storage', sinceRunStartMs: 17_700, sinceScenarioStartMs: 15_000, stepMs: 100 });

test('a failing run is a catch, flagged when the failing step is not the expected one', () => {
  const caught = classifyFaultRun('pvc-missing', '@media', 'volume claims exist', facts(outcome([scenario('media', failure('And these volume claims exist:'))])));
  assert.deepEqual([caught.verdict, caught.scenario, caught.detectedAfterMs, caught.stepMs, caught.expectedStep], ['caught', 'media', 17_700, 100, true]);
  const elsewhere = classifyFaultRun('pvc-missing', '@media', 'volume claims exist', facts(outcome([scenario('media', failure('Given a workload cluster managed by Lattice'))])));
  assert.equal(elsewhere.expectedStep, false);
  assert.match(renderFaultMatrix([elsewhere]), /caught\*[\s\S]*not by the step sim\/FAULTS\.md points to/);
});

test('a passing run is a miss; a run that never ran a scenario is an error, not a miss or a catch', () => {
  assert.equal(classifyFaultRun('f', '@x', 's', facts(outcome([scenario('a'), scenario('b')]))).verdict, 'missed');
  const none = classifyFaultRun('f', '@nothing', 's', facts(outcome([])));
  assert.deepEqual([none.verdict, none.note], ['error', 'no scenario matched the tags']);
  const crashed = classifyFaultRun('f', '@x', 's', facts(undefined, 2, { stderrTail: 'boom\nlattice-acceptance: bad config' }));
  assert.equal(crashed.verdict, 'error');
  assert.match(crashed.note!, /never started.*bad config/);
  const killed = classifyFaultRun('f', '@x', 's', facts(outcome([scenario('a')]), null, { timedOut: true }));
  assert.equal(killed.verdict, 'error');
  const oddExit = classifyFaultRun('f', '@x', 's', facts(outcome([scenario('a')]), 1));
  assert.equal(oddExit.verdict, 'error', 'exit 1 with nothing failed is not counted as a catch');
});

test('a clean run with a failure is a false alarm and names it', () => {
  const ok = classifyCleanRun('clean-1', 7, facts(outcome([scenario('a'), scenario('b')])));
  assert.deepEqual([ok.verdict, ok.passed, ok.scenariosRun, ok.seed], ['clean', 2, 2, 7]);
  const alarm = classifyCleanRun('clean-2', 8, facts(outcome([scenario('a'), scenario('b', failure('Then x'))])));
  assert.equal(alarm.verdict, 'false alarm');
  assert.deepEqual(alarm.failures, [{ scenario: 'b', step: 'Then x', firstLine: 'AssertionError: claim vol-media-storage', atMs: 17_700 }]);
  assert.match(renderCleanRuns([ok, alarm]), /clean-2: b › Then x: AssertionError/);
  assert.equal(classifyCleanRun('c', undefined, facts(outcome([]))).verdict, 'error');
});

test('exit code: zero only when every fault is caught and every clean run is clean', () => {
  const caught = classifyFaultRun('a', '@x', 'x', facts(outcome([scenario('s', failure('Then x'))])));
  const missed = classifyFaultRun('b', '@x', 'x', facts(outcome([scenario('s')])));
  const clean = classifyCleanRun('clean-1', 1, facts(outcome([scenario('s')])));
  const alarm = classifyCleanRun('clean-2', 2, facts(outcome([scenario('s', failure('Then x'))])));
  assert.equal(exitCodeOf(tally([caught], [clean])), 0);
  assert.equal(exitCodeOf(tally([caught, missed], [clean])), 1);
  assert.equal(exitCodeOf(tally([caught], [clean, alarm])), 1);
  assert.deepEqual(tally([caught, missed], [clean, alarm]), { caught: 1, missed: ['b'], errors: [], falseAlarms: ['clean-2'], cleanErrors: [] });
});

test('the matrix has one row per fault with its verdict and detection time', () => {
  const rows = [
    classifyFaultRun('pvc-missing', '@media', 'claims', facts(outcome([scenario('media', failure('And these volume claims exist:'))]))),
    classifyFaultRun('stale-policy-kept', '@mesh or @media', 'x', facts(outcome([scenario('a'), scenario('b')]))),
  ];
  const text = renderFaultMatrix(rows);
  const lines = text.split('\n');
  assert.match(lines.find((l) => l.startsWith('pvc-missing'))!, /caught\s+17\.7s\s+0\.1s\s+x:1\s+And these volume claims exist:/);
  assert.match(lines.find((l) => l.startsWith('stale-policy-kept'))!, /MISSED.*2 passed\s+\[@mesh or @media\]/);
  assert.equal(scenarioPlace('../../features/independence.feature', 20), 'independence:20');
  assert.match(text, /pvc-missing: AssertionError: claim vol-media-storage/);
});

test('tables pad every column but the last; truncation marks the cut', () => {
  assert.equal(renderTable(['A', 'BB'], [['xxx', 'y'], ['z', 'long last']]), 'A    BB\n---  ---------\nxxx  y\nz    long last');
  assert.equal(truncate('abcdef', 4), 'abc…');
  assert.equal(truncate('abc', 4), 'abc');
});
