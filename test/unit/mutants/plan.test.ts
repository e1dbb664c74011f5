import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AreaError } from '../../../scripts/mutants/areas.js';
import { commandFor, planRuns } from '../../../scripts/mutants/plan.js';

test('no choice means one run per area, each with its own files', () => {
  assert.deepEqual(planRuns([], []).map((r) => [r.key, r.area.name, r.mutate[0]]), [
    ['services', 'services', 'sim/src/services/**/*.ts'], ['lifecycle', 'lifecycle', 'sim/src/lifecycle/**/*.ts'],
    ['apiserver', 'apiserver', 'sim/src/apiserver/**/*.ts'], ['kinds', 'kinds', 'sim/src/kinds/**/*.ts'],
  ]);
});

test('files are grouped by area, keep their line ranges, and get their own incremental key', () => {
  const runs = planRuns(['kinds'], ['sim/src/services/policy.ts:10-20', './sim/src/services/proxy.ts', 'sim/src/lifecycle/operator.ts']);
  assert.deepEqual(runs.map((r) => [r.key, r.area.name, r.mutate]), [
    ['kinds', 'kinds', ['sim/src/kinds/**/*.ts']],
    ['file-services-policy-ts-10-20+services-proxy-ts', 'services', ['sim/src/services/policy.ts:10-20', 'sim/src/services/proxy.ts']],
    ['file-lifecycle-operator-ts', 'lifecycle', ['sim/src/lifecycle/operator.ts']],
  ]);
});

test('a file outside every area, or an unknown area, is refused with the reason', () => {
  assert.throws(() => planRuns([], ['sim/src/daemon/client.ts']), (e: unknown) => e instanceof AreaError && /sim\/src\/daemon\/client.ts is in no area/.test((e as Error).message));
  assert.throws(() => planRuns(['nope'], []), AreaError);
});

test('the command runs the area\'s scenarios through the sandbox\'s own scripts', () => {
  assert.equal(commandFor(planRuns(['lifecycle'], [])[0]!.area), 'node --no-warnings --import ./scripts/faults/register.mjs scripts/mutants/run-scenarios.ts lifecycle');
});
