import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '@cucumber/tag-expressions';
import { profileTags, repoRoot } from '../../../scripts/faults/cucumber-run.js';
import { readFeatureScenarios } from '../../../scripts/faults/feature-tags.js';
import { AREAS, AreaError, NOT_MUTATED, areaNamed, areaOf, globMatches, inArea, mutantRunTags } from '../../../scripts/mutants/areas.js';

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
  assert.equal(areaOf('sim/src/services/policy.ts')?.name, 'services');
  assert.equal(areaOf('./sim/src/cli/main.ts')?.name, 'lifecycle');
  assert.equal(areaOf('sim/src/cli/sim-main.ts'), undefined);
});

test('each area runs at least one default-profile scenario, and never a cloud example', async () => {
  const profile = await profileTags('default');
  for (const a of AREAS) {
    const picked = scenarios.filter((s) => parse(mutantRunTags(profile, a)).evaluate(s.tags));
    assert.ok(picked.length >= 1, `${a.name}: "${a.tags}" selects no default-profile scenario`);
    assert.ok(picked.every((s) => !s.tags.some((t) => ['@aws', '@openstack', '@proxmox'].includes(t))), `${a.name}: a cloud example`);
    assert.ok(a.reason.length > 40, `${a.name}: a reason`);
  }
  // The policy compiler and data plane are seen by the mesh and media scenarios, the lifecycle by pivot and independence.
  const names = (area: string) => scenarios.filter((s) => parse(mutantRunTags(profile, areaNamed(area))).evaluate(s.tags)).map((s) => s.feature);
  assert.ok(names('services').some((f) => /mesh/i.test(f)) && names('services').some((f) => /Media/.test(f)));
  assert.ok(names('lifecycle').some((f) => /outlives its parent/.test(f)) && !names('lifecycle').some((f) => /Media/.test(f)));
});

test('globs: ** spans folders, * stays within one name', () => {
  assert.ok(globMatches('sim/src/services/**/*.ts', 'sim/src/services/policy.ts'));
  assert.ok(globMatches('sim/src/services/**/*.ts', 'sim/src/services/deep/x.ts'));
  assert.ok(!globMatches('sim/src/services/**/*.ts', 'sim/src/servicesx/policy.ts'));
  assert.ok(!globMatches('sim/src/cli/main.ts', 'sim/src/cli/mainxts'));
  assert.ok(globMatches('sim/src/daemon/**', 'sim/src/daemon/client.ts'));
  assert.ok(globMatches('sim/src/cli/*.ts', 'sim/src/cli/sim-main.ts') && !globMatches('sim/src/cli/*.ts', 'sim/src/cli/x/y.ts'));
  assert.ok(!inArea(areaNamed('lifecycle'), 'sim/src/cli/sim-main.ts') && inArea(areaNamed('lifecycle'), 'sim/src/cli/private-file.ts'));
});

test('an unknown area is one line naming the known ones', () => {
  assert.throws(() => areaNamed('policy'), (e: unknown) => e instanceof AreaError && /unknown area "policy"; use one of services, lifecycle, apiserver, kinds/.test((e as Error).message));
});
