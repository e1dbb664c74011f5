import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cucumber/tag-expressions';
import { parseFaultsMarkdown } from '../../../scripts/faults/faults-md.js';
import { FAULT_SCENARIOS, checkCoverage, runTags } from '../../../scripts/faults/fault-scenarios.js';
import { readFeatureScenarios } from '../../../scripts/faults/feature-tags.js';
import { profileTags, repoRoot } from '../../../scripts/faults/cucumber-run.js';

const faults = parseFaultsMarkdown(readFileSync(join(repoRoot, 'sim', 'FAULTS.md'), 'utf8'));
const versionOf = new Map(faults.map((f) => [f.name, f.version]));
const featuresDir = join(repoRoot, 'features');
const scenarios = readdirSync(featuresDir).filter((f) => f.endsWith('.feature')).flatMap((f) => readFeatureScenarios(readFileSync(join(featuresDir, f), 'utf8')));

test('every fault of sim/FAULTS.md has scenarios, and every entry names a catalogued fault', () => {
  const coverage = checkCoverage(faults);
  assert.deepEqual({ unmapped: coverage.unmapped, stale: coverage.stale }, { unmapped: [], stale: [] });
  // Faults of a version still being mapped may wait; they must be of such a version.
  for (const f of coverage.notYetMapped) assert.notEqual(versionOf.get(f), '2026-01', `${f} is a 2026-01 fault and must be mapped`);
  for (const [fault, e] of Object.entries(FAULT_SCENARIOS)) {
    assert.ok(e.reason.length > 20, `${fault}: a reason`);
    assert.doesNotThrow(() => new RegExp(e.expectStep), `${fault}: expectStep compiles`);
  }
});

test('the coverage check reports unmapped faults and stale entries', () => {
  const map = { a: { tags: '@x', reason: 'r', expectStep: 's' }, gone: { tags: '@y', reason: 'r', expectStep: 's' } };
  assert.deepEqual(checkCoverage(['a', 'b'], map), { unmapped: ['b'], stale: ['gone'], notYetMapped: [] });
  // Every fault of 2026-01 and 2026-04 must be mapped; one of a version still being mapped waits.
  assert.deepEqual(checkCoverage([{ name: 'a', version: '2026-01' }, { name: 'c', version: '2026-07' }, { name: 'd', version: '2026-04' }], map),
    { unmapped: ['d'], stale: ['gone'], notYetMapped: ['c'] });
});

test('each fault\'s tags select at least one default-profile scenario of its version, which has the step expected to fail', async () => {
  const profile01 = await profileTags('default', repoRoot, '2026-01');
  const inProfile = scenarios.filter((s) => parse(profile01).evaluate(s.tags));
  assert.ok(inProfile.length >= 6, `the 2026-01 default profile selects ${inProfile.length} scenarios`);
  for (const [fault, e] of Object.entries(FAULT_SCENARIOS)) {
    // A fault runs at the version of its FAULTS.md section, with that version's default profile.
    const profile = await profileTags('default', repoRoot, versionOf.get(fault));
    const selected = scenarios.filter((s) => parse(runTags(profile, e.tags)).evaluate(s.tags));
    assert.ok(selected.length >= 1, `${fault}: "${e.tags}" selects no default-profile scenario`);
    const re = new RegExp(e.expectStep, 'i');
    assert.ok(selected.some((s) => s.steps.some((t) => re.test(t))), `${fault}: no selected scenario has a step matching /${e.expectStep}/`);
  }
});

test('the fault run stays within the profile: a cloud example never runs', async () => {
  const tags = runTags(await profileTags('default'), FAULT_SCENARIOS['pivoting-skipped']!.tags);
  const picked = scenarios.filter((s) => parse(tags).evaluate(s.tags));
  // Every pivot scenario picked is a Docker one (the outline's example and the refused install), never a cloud example.
  assert.ok(picked.length >= 1);
  for (const s of picked) assert.deepEqual(s.tags.filter((t) => ['@docker', '@aws', '@openstack', '@proxmox'].includes(t)), ['@docker'], s.name);
});

test('the feature reader gives outline examples their own tags and background steps to every scenario', () => {
  const text = [
    '@f', 'Feature: F', '  Background:', '    Given a base', '', '  @s', '  Scenario: plain', '    When x', '    Then y',
    '  Scenario Outline: outline <p>', '    Given <p> thing', '    @docker', '    Examples: D', '      | p |', '      | d |', '    @aws', '    Examples: A', '      | p |', '      | a |',
  ].join('\n');
  const got = readFeatureScenarios(text);
  assert.deepEqual(got.map((s) => [s.name, s.tags, s.steps]), [
    ['plain', ['@f', '@s'], ['a base', 'x', 'y']],
    ['outline <p> (examples 1)', ['@f', '@docker'], ['a base', '<p> thing']],
    ['outline <p> (examples 2)', ['@f', '@aws'], ['a base', '<p> thing']],
  ]);
});
