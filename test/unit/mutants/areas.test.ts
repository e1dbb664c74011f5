import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '@cucumber/tag-expressions';
import { profileTags, repoRoot } from '../../../scripts/faults/cucumber-run.js';
import { readFeatureScenarios } from '../../../scripts/faults/feature-tags.js';
import { AREAS, AreaError, NOT_MUTATED, areaNamed, areaOf, globMatches, inArea, mutantRunTags, mutantRunVersionEnv } from '../../../scripts/mutants/areas.js';
import { VERSIONS } from '../../../support/versions/tag-filter.mjs';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : n.endsWith('.ts') ? [relative(repoRoot, p)] : [];
  });
}

const featuresDir = join(repoRoot, 'features');
const scenarios = readdirSync(featuresDir).filter((f) => f.endsWith('.feature')).flatMap((f) => readFeatureScenarios(readFileSync(join(featuresDir, f), 'utf8')));

test('every target source is in exactly one area or deliberately not mutated', () => {
  const files = sources(join(repoRoot, 'sim', 'src'));
  assert.ok(files.length > 40, `only ${files.length} sources found`);
  for (const f of files) {
    const areas = AREAS.filter((a) => inArea(a, f));
    const skipped = Object.keys(NOT_MUTATED).some((g) => globMatches(g, f));
    assert.equal(areas.length + (skipped ? 1 : 0), 1, `${f}: in ${areas.map((a) => a.name).join(', ') || 'no area'}${skipped ? ' and NOT_MUTATED' : ''}`);
  }
  assert.equal(areaOf('sim/src/services/policy.ts')?.name, 'dataplane');
  assert.equal(areaOf('sim/src/services/compile.ts')?.name, 'services-2026-01');
  assert.equal(areaOf('sim/src/versions/v2026-04/cedar/evaluate.ts')?.name, 'services-2026-04');
  assert.equal(areaOf('sim/src/versions/v2026-04/lifecycle/deletion.ts')?.name, 'lifecycle-2026-04');
  assert.equal(areaOf('sim/src/versions/v2026-04/proxy/server.ts')?.name, 'access-2026-04');
  assert.equal(areaOf('./sim/src/cli/main.ts')?.name, 'lifecycle');
  assert.equal(areaOf('sim/src/cli/sim-main.ts'), undefined);
});

test('each area runs at a version the suite speaks, and a version\'s own code at that version', () => {
  for (const a of AREAS) {
    assert.ok(VERSIONS.includes(a.version), `${a.name}: version ${a.version} is not one of ${VERSIONS.join(', ')}`);
    assert.deepEqual(mutantRunVersionEnv(a), { LATTICE_VERSION: a.version });
  }
  for (const f of sources(join(repoRoot, 'sim', 'src', 'versions', 'v2026-04'))) {
    assert.equal(areaOf(f)?.version, '2026-04', `${f}: 2026-04 code mutated at ${areaOf(f)?.version ?? 'no version'}`);
  }
  // The 2026-01 compiler and CRDs are reached only by a cluster that serves 2026-01.
  for (const f of ['sim/src/services/compile.ts', 'sim/src/services/controller.ts', 'sim/src/services/model.ts', 'sim/src/kinds/lattice.ts']) assert.equal(areaOf(f)?.version, '2026-01', f);
});

const picks = async (a: (typeof AREAS)[number]) => {
  const expression = parse(mutantRunTags(await profileTags('default', repoRoot, a.version), a));
  return scenarios.filter((s) => expression.evaluate(s.tags));
};

test('each area runs at least one default-profile scenario of its version, and never a cloud example', async () => {
  for (const a of AREAS) {
    const picked = await picks(a);
    assert.ok(picked.length >= 1, `${a.name}: "${a.tags}" selects no default-profile scenario`);
    assert.ok(picked.every((s) => !s.tags.some((t) => ['@aws', '@openstack', '@proxmox'].includes(t))), `${a.name}: a cloud example`);
    assert.ok(a.reason.length > 40, `${a.name}: a reason`);
    // A later version's scenarios never run: the profile at the area's version leaves them out.
    const later = VERSIONS.filter((v) => v > a.version).map((v) => `@lattice-${v}`);
    assert.ok(picked.every((s) => !s.tags.some((t) => later.includes(t))), `${a.name}: a scenario of a version later than ${a.version}`);
  }
  // The policy compilers and the data plane are seen by the mesh and media scenarios, the lifecycle by pivot and independence.
  const names = async (area: string) => (await picks(areaNamed(area))).map((s) => s.feature);
  for (const area of ['services-2026-01', 'services-2026-04', 'dataplane']) {
    assert.ok((await names(area)).some((f) => /mesh/i.test(f)) && (await names(area)).some((f) => /Media/.test(f)), area);
  }
  for (const area of ['lifecycle', 'lifecycle-2026-04']) {
    assert.ok((await names(area)).some((f) => /outlives its parent/.test(f)) && !(await names(area)).some((f) => /Media/.test(f)), area);
  }
  // 2026-04's own scenarios reach the 2026-04 code: the upgrade rolls nodes through the data plane, Cedar gates services, deletion from the parent.
  assert.ok((await names('dataplane')).some((f) => /Upgrade/.test(f)));
  assert.ok((await names('services-2026-04')).some((f) => /Security exceptions/.test(f)));
  assert.ok((await names('lifecycle-2026-04')).some((f) => /Deleting a cluster/.test(f)));
  assert.ok((await names('access-2026-04')).some((f) => /through the hierarchy/.test(f)));
});

test('an area naming every scenario names every default-profile scenario of its version', async () => {
  for (const a of AREAS.filter((x) => ['apiserver', 'kinds', 'access-2026-04', 'kinds-2026-01'].includes(x.name))) {
    const all = parse(await profileTags('default', repoRoot, a.version));
    assert.deepEqual((await picks(a)).map((s) => s.name), scenarios.filter((s) => all.evaluate(s.tags)).map((s) => s.name), a.name);
  }
});

test('globs: ** spans folders, * stays within one name', () => {
  assert.ok(globMatches('sim/src/services/**/*.ts', 'sim/src/services/policy.ts'));
  assert.ok(globMatches('sim/src/services/**/*.ts', 'sim/src/services/deep/x.ts'));
  assert.ok(!globMatches('sim/src/services/**/*.ts', 'sim/src/servicesx/policy.ts'));
  assert.ok(!globMatches('sim/src/cli/main.ts', 'sim/src/cli/mainxts'));
  assert.ok(globMatches('sim/src/daemon/**', 'sim/src/daemon/client.ts'));
  assert.ok(globMatches('sim/src/cli/*.ts', 'sim/src/cli/sim-main.ts') && !globMatches('sim/src/cli/*.ts', 'sim/src/cli/x/y.ts'));
  assert.ok(!inArea(areaNamed('lifecycle'), 'sim/src/cli/sim-main.ts') && inArea(areaNamed('lifecycle'), 'sim/src/cli/private-file.ts'));
  assert.ok(!inArea(areaNamed('dataplane'), 'sim/src/services/compile.ts') && inArea(areaNamed('dataplane'), 'sim/src/services/policy.ts'));
});

test('an unknown area is one line naming the known ones', () => {
  assert.throws(() => areaNamed('policy'), (e: unknown) => e instanceof AreaError && /unknown area "policy"; use one of services-2026-01, kinds-2026-01, dataplane, services-2026-04, lifecycle, lifecycle-2026-04, access-2026-04, apiserver, kinds$/.test((e as Error).message));
});
