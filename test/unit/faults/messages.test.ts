import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { failedScenarios, firstDetection, firstLine, parseEnvelopes, summarizeMessages } from '../../../scripts/faults/messages.js';

// A minimal but faithful message stream: ids, pickles, gherkin keywords, hooks, timestamps (ms from 0).
const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
type Step = { text?: string; keyword?: string; hook?: string; status: string; message?: string; startMs: number; endMs: number };
function stream(scenarios: Array<{ name: string; tags?: string[]; startMs: number; steps: Step[] }>, extra: object[] = []): object[] {
  const env: object[] = [{ meta: { protocolVersion: '32.2.0' } }];
  const children: object[] = [];
  const hooks = new Map<string, string>();
  scenarios.forEach((sc, i) => {
    const steps = sc.steps.filter((s) => !s.hook).map((s, j) => ({ id: `g${i}-${j}`, keyword: `${s.keyword ?? 'Given'} `, text: s.text }));
    children.push({ scenario: { id: `sc${i}`, steps } });
  });
  env.push({ gherkinDocument: { uri: 'features/x.feature', feature: { children } } });
  scenarios.forEach((sc, i) => {
    let j = 0;
    env.push({ pickle: { id: `p${i}`, uri: '../../features/x.feature', location: { line: 10 + i }, name: sc.name, tags: (sc.tags ?? []).map((name) => ({ name })),
      steps: sc.steps.filter((s) => !s.hook).map((s) => ({ id: `ps${i}-${j}`, text: s.text, astNodeIds: [`g${i}-${j++}`] })) } });
    for (const s of sc.steps) if (s.hook && !hooks.has(s.hook)) { hooks.set(s.hook, `h${hooks.size}`); env.push({ hook: { id: `h${hooks.size - 1}`, type: s.hook, sourceReference: { uri: '../../support/cucumber/hooks.ts', location: { line: 51 } } } }); }
  });
  env.push({ testRunStarted: { id: 'run', timestamp: at(0) } });
  scenarios.forEach((sc, i) => {
    let j = 0;
    env.push({ testCase: { id: `tc${i}`, pickleId: `p${i}`, testSteps: sc.steps.map((s, k) => (s.hook ? { id: `ts${i}-${k}`, hookId: hooks.get(s.hook) } : { id: `ts${i}-${k}`, pickleStepId: `ps${i}-${j++}` })) } });
  });
  scenarios.forEach((sc, i) => {
    env.push({ testCaseStarted: { id: `tcs${i}`, testCaseId: `tc${i}`, attempt: 0, timestamp: at(sc.startMs) } });
    sc.steps.forEach((s, k) => {
      env.push({ testStepStarted: { testCaseStartedId: `tcs${i}`, testStepId: `ts${i}-${k}`, timestamp: at(s.startMs) } });
      env.push({ testStepFinished: { testCaseStartedId: `tcs${i}`, testStepId: `ts${i}-${k}`, timestamp: at(s.endMs), testStepResult: { status: s.status, duration: at(s.endMs - s.startMs), ...(s.message ? { message: s.message } : {}) } } });
    });
    env.push({ testCaseFinished: { testCaseStartedId: `tcs${i}`, timestamp: at(sc.steps.at(-1)?.endMs ?? sc.startMs), willBeRetried: false } });
  });
  env.push(...extra);
  return env;
}

test('a failed step is named with its keyword, its message\'s first line and its timings', () => {
  const run = summarizeMessages(stream([
    { name: 'passes', startMs: 1000, steps: [{ text: 'a cluster', status: 'PASSED', startMs: 1000, endMs: 5000 }] },
    { name: 'fails', tags: ['@mesh'], startMs: 6000, steps: [
      { text: 'a cluster', status: 'PASSED', startMs: 6000, endMs: 8000 },
      { text: 'the services are deployed', keyword: 'When', status: 'FAILED', message: '\n  SecurityViolationError: 3 got through\n    at x (y.ts:1)', startMs: 8000, endMs: 20_500 },
      { text: 'traffic shows', keyword: 'Then', status: 'SKIPPED', startMs: 20_500, endMs: 20_500 },
    ] },
  ]));
  assert.deepEqual(run.scenarios.map((s) => [s.name, s.status, s.durationMs]), [['passes', 'PASSED', 4000], ['fails', 'FAILED', 14_500]]);
  assert.deepEqual(failedScenarios(run)[0]!.failure, {
    step: 'When the services are deployed', status: 'FAILED', firstLine: 'SecurityViolationError: 3 got through',
    sinceRunStartMs: 20_500, sinceScenarioStartMs: 14_500, stepMs: 12_500,
  });
  assert.deepEqual(failedScenarios(run)[0]!.tags, ['@mesh']);
  assert.equal(firstDetection(run)?.scenario?.name, 'fails');
});

test('a failing After hook is named as a hook; undefined steps count as failures', () => {
  const run = summarizeMessages(stream([
    { name: 'hooked', startMs: 0, steps: [{ text: 'ok', status: 'PASSED', startMs: 0, endMs: 10 }, { hook: 'AFTER_TEST_CASE', status: 'FAILED', message: 'cleanup broke', startMs: 10, endMs: 40 }] },
    { name: 'undefined', startMs: 50, steps: [{ text: 'nobody wrote this', status: 'UNDEFINED', startMs: 50, endMs: 50 }] },
  ]));
  assert.deepEqual(failedScenarios(run).map((s) => [s.name, s.failure?.step, s.failure?.firstLine]), [
    ['hooked', 'After hook (hooks.ts:51)', 'cleanup broke'], ['undefined', 'Given nobody wrote this', 'undefined step'],
  ]);
});

test('BeforeAll/AfterAll failures and the run\'s end are read; a run hook is a detection when no scenario failed', () => {
  const run = summarizeMessages(stream([{ name: 'fine', startMs: 0, steps: [{ text: 'ok', status: 'PASSED', startMs: 0, endMs: 10 }] }], [
    { hook: { id: 'ha', type: 'AFTER_TEST_RUN', sourceReference: { uri: 'support/cucumber/hooks.ts', location: { line: 72 } } } },
    { testRunHookStarted: { id: 'rh', hookId: 'ha', testRunStartedId: 'run', timestamp: at(100) } },
    { testRunHookFinished: { testRunHookStartedId: 'rh', timestamp: at(900), result: { status: 'FAILED', message: 'teardown failed\nmore' } } },
    { testRunFinished: { testRunStartedId: 'run', timestamp: at(1000), success: false } },
  ]));
  assert.deepEqual(run.runHookFailures, [{ hook: 'AfterAll hook (hooks.ts:72)', status: 'FAILED', firstLine: 'teardown failed', sinceRunStartMs: 900 }]);
  assert.deepEqual([run.success, run.finishedAtMs], [false, 1000]);
  assert.deepEqual(firstDetection(run), { step: 'AfterAll hook (hooks.ts:72)', firstLine: 'teardown failed', sinceRunStartMs: 900 });
});

test('the earliest failure in time is the detection, whatever the scenario order', () => {
  fc.assert(fc.property(fc.array(fc.record({ fail: fc.boolean(), len: fc.integer({ min: 1, max: 5000 }) }), { minLength: 1, maxLength: 8 }), (specs) => {
    let t = 0;
    const scs = specs.map((s, i) => {
      const start = t; t += s.len + 1;
      return { name: `s${i}`, startMs: start, steps: [{ text: `step ${i}`, status: s.fail ? 'FAILED' : 'PASSED', message: `m${i}`, startMs: start, endMs: start + s.len }] };
    });
    const run = summarizeMessages(parseEnvelopes(stream(scs).map((e) => JSON.stringify(e)).join('\n')));
    const first = specs.findIndex((s) => s.fail);
    const d = firstDetection(run);
    if (first < 0) return d === undefined && failedScenarios(run).length === 0;
    return d?.scenario?.name === `s${first}` && d.firstLine === `m${first}` && d.sinceRunStartMs === scs[first]!.steps[0]!.endMs;
  }));
});

test('NDJSON: blank lines skipped, a torn last line ignored, a bad middle line an error', () => {
  assert.equal(parseEnvelopes('{"a":1}\n\n{"b":2}\n{"c":').length, 2);
  assert.throws(() => parseEnvelopes('{"a":1}\nnot json\n{"b":2}'), /line 2 is not JSON/);
  assert.equal(firstLine('\n\n   x y  \nz'), 'x y');
  assert.equal(firstLine(undefined), '');
});

test('a stream without testRunStarted (Cucumber never started) has no start and no scenarios', () => {
  const run = summarizeMessages([{ meta: {} }]);
  assert.equal(run.startedAtMs, undefined);
  assert.deepEqual(run.scenarios, []);
});
