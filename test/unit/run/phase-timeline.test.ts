import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctPhases, phasesExactly, renderPhaseTimeline } from '../../../support/report/phase-timeline.js';

const LIFECYCLE = ['Pending', 'Provisioning', 'Pivoting', 'Ready'];

test('the lifecycle order is exact: repeats collapse, nothing skipped, nothing extra, nothing out of order', () => {
  assert.deepEqual(distinctPhases(['Pending', 'Pending', 'Provisioning', 'Provisioning', 'Pivoting', 'Ready']), LIFECYCLE);
  assert.equal(phasesExactly(['Pending', 'Provisioning', 'Provisioning', 'Pivoting', 'Ready'], LIFECYCLE), true);
  assert.equal(phasesExactly(['Pending', 'Provisioning', 'Ready'], LIFECYCLE), false, 'Pivoting skipped');
  assert.equal(phasesExactly(['Pending', 'Provisioning', 'Failed', 'Pivoting', 'Ready'], LIFECYCLE), false, 'a Failed in between');
  assert.equal(phasesExactly(['Pending', 'Pivoting', 'Provisioning', 'Ready'], LIFECYCLE), false, 'out of order');
  assert.equal(phasesExactly(['Provisioning', 'Pivoting', 'Ready'], LIFECYCLE), false, 'Pending never seen');
});

test('the timeline shows offsets from the first transition and escapes HTML', () => {
  const t0 = new Date('2026-01-01T00:00:00.000Z');
  const r = renderPhaseTimeline('e2e-<w>', 'e2e-mgmt', [
    { phase: 'Pending', at: t0, reason: 'AwaitingProvisioning' },
    { phase: 'Ready', at: new Date(t0.getTime() + 1500) },
  ]);
  assert.match(r.text, /\+1\.50s\s+Ready/);
  assert.match(r.html, /e2e-&lt;w&gt;/);
  assert.doesNotMatch(r.html, /e2e-<w>/);
});
