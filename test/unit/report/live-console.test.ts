import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Envelope } from '@cucumber/messages';
import { LiveConsole } from '../../../support/report/live-console.js';

const ts = (s: number) => ({ seconds: s, nanos: 0 });
const dur = (s: number) => ({ seconds: Math.floor(s), nanos: Math.round((s % 1) * 1e9) });

const setup: Envelope[] = [
  { gherkinDocument: { uri: 'features/pivot.feature', comments: [], feature: { location: { line: 1 }, tags: [], language: 'en', keyword: 'Feature', name: 'Pivot', description: '', children: [{ scenario: { id: 'sc', location: { line: 2 }, tags: [], keyword: 'Scenario', name: 'pivot', description: '', examples: [], steps: [
    { id: 'a1', location: { line: 3 }, keyword: 'Given ', keywordType: 'Context', text: 'a cluster' },
    { id: 'a2', location: { line: 4 }, keyword: 'Then ', keywordType: 'Outcome', text: 'it is Ready' },
  ] } }] } } },
  { pickle: { id: 'p', uri: 'features/pivot.feature', name: 'pivot', language: 'en', tags: [], astNodeIds: ['sc'], steps: [{ id: 'ps1', text: 'a cluster', astNodeIds: ['a1'] }, { id: 'ps2', text: 'it is Ready', astNodeIds: ['a2'] }] } },
  { testRunStarted: { timestamp: ts(100) } },
  { testCase: { id: 'tc', pickleId: 'p', testSteps: [{ id: 'h', hookId: 'hook' }, { id: 's1', pickleStepId: 'ps1', stepDefinitionIds: [], stepMatchArgumentsLists: [] }, { id: 's2', pickleStepId: 'ps2', stepDefinitionIds: [], stepMatchArgumentsLists: [] }] } },
] as Envelope[];

function feed(con: LiveConsole, envs: Envelope[]): string[] {
  return envs.map((e) => con.update(e));
}

const log = (body: string): Envelope => ({ attachment: { body, contentEncoding: 'IDENTITY', mediaType: 'text/x.cucumber.log+plain', testCaseStartedId: 'tcs', testStepId: 's1' } } as Envelope);

test('each step is printed as it starts and as it ends, with its duration; notes stream in between; empty log lines are not shown', () => {
  const con = new LiveConsole({ tty: false, colour: false });
  const out = feed(con, [...setup,
    { testCaseStarted: { id: 'tcs', testCaseId: 'tc', attempt: 0, timestamp: ts(101) } },
    { testStepStarted: { testCaseStartedId: 'tcs', testStepId: 'h', timestamp: ts(101) } },
    { testStepFinished: { testCaseStartedId: 'tcs', testStepId: 'h', timestamp: ts(101), testStepResult: { status: 'PASSED', duration: dur(0) } } },
    { testStepStarted: { testCaseStartedId: 'tcs', testStepId: 's1', timestamp: ts(101) } },
    log('e2e-workload on e2e-mgmt: Provisioning'),
    log(''),
    log('  \n'),
    { testStepFinished: { testCaseStartedId: 'tcs', testStepId: 's1', timestamp: ts(113), testStepResult: { status: 'PASSED', duration: dur(12.34) } } },
  ] as Envelope[]);
  // What was printed at each message: the note appears while the step runs, before its end.
  const at = (i: number) => out[setup.length + i]!;
  assert.match(at(0), /Feature: Pivot {2}features\/pivot\.feature\n {2}Scenario: pivot\n/);
  assert.equal(at(2), '', 'a passing hook is not shown');
  assert.equal(at(3), '', 'off a terminal, the start line waits for a note');
  assert.equal(at(4), '    ▶ Given a cluster\n      │ e2e-workload on e2e-mgmt: Provisioning\n');
  assert.equal(at(5) + at(6), '', 'empty log attachments print nothing');
  assert.equal(at(7), '    ✔ Given a cluster (12.3s)\n');
});

test('a failure is shown under its step at once and again at the end with Cucumber\'s totals lines', () => {
  const con = new LiveConsole({ tty: true, colour: false });
  const out = feed(con, [...setup,
    { testCaseStarted: { id: 'tcs', testCaseId: 'tc', attempt: 0, timestamp: ts(101) } },
    { testStepStarted: { testCaseStartedId: 'tcs', testStepId: 's1', timestamp: ts(101) } },
    { testStepFinished: { testCaseStartedId: 'tcs', testStepId: 's1', timestamp: ts(102), testStepResult: { status: 'FAILED', duration: dur(1), message: 'traffic: 2 problem(s)\n  - a -> b\n  - c -> d' } } },
    { testStepStarted: { testCaseStartedId: 'tcs', testStepId: 's2', timestamp: ts(102) } },
    { testStepFinished: { testCaseStartedId: 'tcs', testStepId: 's2', timestamp: ts(102), testStepResult: { status: 'SKIPPED', duration: dur(0) } } },
    { testCaseFinished: { testCaseStartedId: 'tcs', timestamp: ts(102), willBeRetried: false } },
    { testRunFinished: { success: false, timestamp: ts(161) } },
  ] as Envelope[]).join('');
  assert.match(out, /▶ Given a cluster\n\u001b\[1A\u001b\[2K {4}✖ Given a cluster \(1\.0s\)\n {6}traffic: 2 problem\(s\)\n {8}- a -> b\n {8}- c -> d\n/, 'on a terminal the start line is replaced by the result');
  assert.match(out, /Failures:\n\n1\) pivot \(features\/pivot\.feature\)\n {3}Given a cluster: failed\n {3}traffic: 2 problem\(s\)\n {5}- a -> b\n {5}- c -> d\n/);
  assert.match(out, /\n1 scenario \(1 failed\)\n2 steps \(1 failed, 1 skipped\)\n1m01s\n$/);
});

test('no scenario gives Cucumber\'s "0 scenarios" line (scripts/test.mjs and the wrapper read it)', () => {
  const con = new LiveConsole({ tty: false, colour: false });
  const out = feed(con, [{ testRunStarted: { timestamp: ts(1) } }, { testRunFinished: { success: true, timestamp: ts(1) } }] as Envelope[]).join('');
  assert.match(out, /^\n0 scenarios\n0 steps\n0\.0s\n$/);
});
