import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AreaError } from '../../../scripts/mutants/areas.js';
import { atVersion, commandFor, planRuns, sampleLines } from '../../../scripts/mutants/plan.js';

test('no choice means one run per area, each with its own files', () => {
  assert.deepEqual(planRuns([], []).map((r) => [r.key, r.area.name, r.mutate[0]]), [
    ['services-2026-01', 'services-2026-01', 'sim/src/services/compile.ts'], ['kinds-2026-01', 'kinds-2026-01', 'sim/src/kinds/lattice.ts'],
    ['dataplane', 'dataplane', 'sim/src/services/**/*.ts'], ['services-2026-04', 'services-2026-04', 'sim/src/versions/v2026-04/services/**/*.ts'],
    ['lifecycle', 'lifecycle', 'sim/src/lifecycle/**/*.ts'], ['lifecycle-2026-04', 'lifecycle-2026-04', 'sim/src/versions/v2026-04/lifecycle/**/*.ts'],
    ['access-2026-04', 'access-2026-04', 'sim/src/versions/v2026-04/proxy/**/*.ts'],
    ['apiserver', 'apiserver', 'sim/src/apiserver/**/*.ts'], ['kinds', 'kinds', 'sim/src/kinds/core.ts'],
  ]);
});

test('files are grouped by area, keep their line ranges, and get their own incremental key', () => {
  const runs = planRuns(['kinds-2026-01'], ['sim/src/services/policy.ts:10-20', './sim/src/services/proxy.ts', 'sim/src/lifecycle/operator.ts', 'sim/src/services/compile.ts']);
  assert.deepEqual(runs.map((r) => [r.key, r.area.name, r.mutate]), [
    ['kinds-2026-01', 'kinds-2026-01', ['sim/src/kinds/lattice.ts']],
    ['file-services-policy-ts-10-20+services-proxy-ts', 'dataplane', ['sim/src/services/policy.ts:10-20', 'sim/src/services/proxy.ts']],
    ['file-lifecycle-operator-ts', 'lifecycle', ['sim/src/lifecycle/operator.ts']],
    ['file-services-compile-ts', 'services-2026-01', ['sim/src/services/compile.ts']],
  ]);
});

test('a file outside every area, or an unknown area, is refused with the reason', () => {
  assert.throws(() => planRuns([], ['sim/src/daemon/client.ts']), (e: unknown) => e instanceof AreaError && /sim\/src\/daemon\/client.ts is in no area/.test((e as Error).message));
  assert.throws(() => planRuns(['nope'], []), AreaError);
});

test('the command runs the area\'s scenarios through the sandbox\'s own scripts', () => {
  assert.equal(commandFor(planRuns(['lifecycle'], [])[0]!.area), 'node --no-warnings --import ./scripts/faults/register.mjs scripts/mutants/run-scenarios.ts lifecycle 2026-04');
  assert.match(commandFor(planRuns(['services-2026-01'], [])[0]!.area), / services-2026-01 2026-01$/);
});

test('--lattice-version runs an area at another version under its own key, and leaves runs already at it alone', () => {
  const runs = atVersion(planRuns(['kinds-2026-01'], ['sim/src/services/policy.ts:224-236']), '2026-01');
  assert.deepEqual(runs.map((r) => [r.key, r.area.name, r.area.version, r.mutate]), [
    ['kinds-2026-01', 'kinds-2026-01', '2026-01', ['sim/src/kinds/lattice.ts']],
    ['file-services-policy-ts-224-236-at-2026-01', 'dataplane', '2026-01', ['sim/src/services/policy.ts:224-236']],
  ]);
  assert.match(commandFor(runs[1]!.area), / dataplane 2026-01$/);
});

test('a sample draws distinct lines that carry mutants, the same for the same seed, as single-line ranges', () => {
  const places = [...Array.from({ length: 30 }, (_, i) => ({ file: 'sim/src/services/policy.ts', line: i + 1 })), { file: 'sim/src/services/policy.ts', line: 3 }, { file: 'sim/src/services/proxy.ts', line: 7 }];
  const a = sampleLines(places, 5, 42);
  assert.equal(a.length, 5);
  assert.equal(new Set(a).size, 5);
  for (const r of a) assert.match(r, /^sim\/src\/services\/(policy|proxy)\.ts:(\d+)-\2$/);
  assert.deepEqual(sampleLines(places, 5, 42), a);
  assert.notDeepEqual(sampleLines(places, 5, 43), a);
  assert.equal(sampleLines(places, 100, 1).length, 31);
});
