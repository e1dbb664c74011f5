import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { completeStream, mergeStreams, parseNdjson } from '../../../support/report/messages.js';
import { rebuildReports } from '../../../support/report/rebuild.js';
import { writeIdentity, type RunIdentity } from '../../../support/report/run-identity.js';
import { scratch } from '../../helpers/scratch.js';

const ts = (s: number) => ({ seconds: s, nanos: 0 });

/** A minimal run of one scenario with one step, as Cucumber writes it; `finished` false = killed. */
function run(tag: string, status: 'PASSED' | 'FAILED', finished = true): Envelope[] {
  const uri = `features/${tag}.feature`;
  const envs: Envelope[] = [
    { meta: { protocolVersion: '27.0.0', implementation: { name: 'cucumber-js', version: '12' }, runtime: { name: 'node' }, os: { name: 'linux' }, cpu: { name: 'x64' } } },
    { source: { uri, data: `Feature: ${tag}\n  Scenario: s ${tag}\n    Given a step\n`, mediaType: 'text/x.cucumber.gherkin+plain' } },
    { gherkinDocument: { uri, comments: [], feature: { location: { line: 1 }, tags: [], language: 'en', keyword: 'Feature', name: tag, description: '', children: [{ scenario: { id: `${tag}-sc`, location: { line: 2 }, tags: [], keyword: 'Scenario', name: `s ${tag}`, description: '', examples: [], steps: [{ id: `${tag}-st`, location: { line: 3 }, keyword: 'Given ', keywordType: 'Context', text: 'a step' }] } }] } } },
    { pickle: { id: `${tag}-p`, uri, name: `s ${tag}`, language: 'en', tags: [], astNodeIds: [`${tag}-sc`], steps: [{ id: `${tag}-ps`, text: 'a step', astNodeIds: [`${tag}-st`], type: 'Context' }] } },
    { stepDefinition: { id: `${tag}-sd`, pattern: { source: 'a step', type: 'CUCUMBER_EXPRESSION' }, sourceReference: { uri: 'x.ts', location: { line: 1 } } } },
    { testRunStarted: { timestamp: ts(100), id: `${tag}-run` } },
    { testCase: { id: `${tag}-tc`, pickleId: `${tag}-p`, testRunStartedId: `${tag}-run`, testSteps: [{ id: `${tag}-ts`, pickleStepId: `${tag}-ps`, stepDefinitionIds: [`${tag}-sd`], stepMatchArgumentsLists: [{ stepMatchArguments: [] }] }] } },
    { testCaseStarted: { id: `${tag}-tcs`, testCaseId: `${tag}-tc`, attempt: 0, timestamp: ts(101) } },
    { testStepStarted: { testCaseStartedId: `${tag}-tcs`, testStepId: `${tag}-ts`, timestamp: ts(101) } },
  ] as Envelope[];
  if (!finished) return envs;
  return [...envs,
    { testStepFinished: { testCaseStartedId: `${tag}-tcs`, testStepId: `${tag}-ts`, timestamp: ts(102), testStepResult: { status, duration: ts(1), ...(status === 'FAILED' ? { message: `boom in ${tag}` } : {}) } } },
    { testCaseFinished: { testCaseStartedId: `${tag}-tcs`, timestamp: ts(102), willBeRetried: false } },
    { testRunFinished: { success: status === 'PASSED', timestamp: ts(103), testRunStartedId: `${tag}-run` } },
  ] as Envelope[];
}

const ndjson = (envs: Envelope[]) => envs.map((e) => JSON.stringify(e)).join('\n') + '\n';
const identity = (runId: string, seed: string): RunIdentity => ({ target: 'embedded', apiVersion: '2026-01', image: 'img', cli: 'sim/bin/lattice', runId, seed });

test('two shards merge into one run: one meta, one start, every scenario, one end that fails if a shard failed', () => {
  const merged = mergeStreams([run('mesh', 'PASSED'), run('pivot', 'FAILED')]);
  assert.equal(merged.filter((e) => e.meta).length, 1);
  assert.equal(merged.filter((e) => e.testRunStarted).length, 1);
  assert.equal(merged.filter((e) => e.testRunFinished).length, 1);
  assert.equal(merged.at(-1)!.testRunFinished!.success, false);
  assert.equal(merged.filter((e) => e.testCaseStarted).length, 2);
  const start = merged.find((e) => e.testRunStarted)!.testRunStarted!.id;
  assert.deepEqual(merged.filter((e) => e.testCase).map((e) => e.testCase!.testRunStartedId), [start, start]);
});

test('a killed run\'s stream (no end, a half-written last line) is completed: its open scenario ends, the run ends unsuccessful', () => {
  const text = ndjson(run('mesh', 'PASSED', false)) + '{"testStepFinished":{"testCase';
  const parsed = parseNdjson(text);
  assert.equal(parsed.badLines, 1);
  const { envelopes, completed } = completeStream(parsed.envelopes);
  assert.equal(completed, true);
  assert.deepEqual(envelopes.filter((e) => e.testCaseFinished).map((e) => e.testCaseFinished!.testCaseStartedId), ['mesh-tcs']);
  assert.equal(envelopes.at(-1)!.testRunFinished!.success, false);
  assert.equal(completeStream(run('mesh', 'PASSED')).completed, false, 'a finished stream is left as it is');
});

test('the merge step: two shards\' folders give one HTML report with both identities and one JUnit file with both scenarios', async (t) => {
  const dir = scratch(t, 'lattice-merge-');
  const shards = ['a', 'b'].map((n) => join(dir, n));
  shards.forEach((s) => mkdirSync(s));
  writeFileSync(join(shards[0]!, 'cucumber.ndjson'), ndjson(run('mesh', 'PASSED')));
  writeFileSync(join(shards[1]!, 'cucumber.ndjson'), ndjson(run('pivot', 'FAILED')));
  writeIdentity(shards[0]!, identity('ra', '1'));
  writeIdentity(shards[1]!, identity('rb', '2'));
  const out = join(dir, 'merged');
  const r = await rebuildReports(shards, out);
  assert.equal(r.scenarios, 2);
  const xml = readFileSync(join(out, 'cucumber.xml'), 'utf8');
  assert.match(xml, /<testsuite name="lattice-acceptance \(2 runs: embedded seed 1, embedded seed 2\)"[^>]* tests="2"[^>]* failures="1"/);
  assert.match(xml, /name="s mesh"/);
  assert.match(xml, /name="s pivot"/);
  assert.match(xml, /boom in pivot/);
  const html = readFileSync(join(out, 'cucumber.html'), 'utf8');
  assert.match(html, /<title>Lattice acceptance: 2 runs merged/);
  assert.match(html, /<header id="lattice-run"[\s\S]*run ra · seed 1[\s\S]*run rb · seed 2[\s\S]*<\/header>\n<div id="content">/);
  assert.ok(html.includes('"name":"s pivot"') && html.includes('"name":"s mesh"'), 'both shards\' scenarios are in the page\'s messages');
});

test('a source without messages is refused in one line naming it', async (t) => {
  const dir = scratch(t, 'lattice-merge-bad-');
  await assert.rejects(rebuildReports([join(dir, 'nowhere')], join(dir, 'out')), /nowhere: no such file; give a reports folder/);
});
