// The fault matrix is per Lattice API version: each fault of sim/FAULTS.md belongs to the version its
// `## API version <v>: ...` section names (older sections without one are 2026-01), runs at that version
// with that version's default profile, and a 2026-04 fault without a scenario yet waits as "not yet mapped".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cucumber/tag-expressions';
import { parseFaultsMarkdown, sectionVersion } from '../../../scripts/faults/faults-md.js';
import { profileTags, repoRoot } from '../../../scripts/faults/cucumber-run.js';
import { withoutVersionFilter, withVersionFilter } from '../../../support/versions/tag-filter.mjs';

const TABLE = '| Fault | What | Observe |\n|---|---|---|\n';

test('a fault belongs to the version of its ## section; sections without one, and their subsections, are 2026-01', () => {
  const md = [
    '# Faults', '## Cluster lifecycle', TABLE + '| `old-a` | x | y |', '### detail', TABLE + '| `old-b` | x | y |',
    '## API version 2026-04: Cedar', TABLE + '| `new-a` | x | y |', '### more', TABLE + '| `new-b` | x | y |', '## Services', TABLE + '| `old-c` | x | y |',
  ].join('\n');
  assert.deepEqual(parseFaultsMarkdown(md).map((f) => [f.name, f.version]), [['old-a', '2026-01'], ['old-b', '2026-01'], ['new-a', '2026-04'], ['new-b', '2026-04'], ['old-c', '2026-01']]);
  assert.equal(sectionVersion('API version 2026-04: access'), '2026-04');
  assert.equal(sectionVersion('Cluster lifecycle'), undefined);
});

test('sim/FAULTS.md has faults at both versions', () => {
  const faults = parseFaultsMarkdown(readFileSync(join(repoRoot, 'sim', 'FAULTS.md'), 'utf8'));
  assert.ok(faults.filter((f) => f.version === '2026-01').length >= 10);
  assert.ok(faults.filter((f) => f.version === '2026-04').length >= 10);
});

test('a fault run at a version uses that version\'s profile whatever this process\'s LATTICE_VERSION', async () => {
  const at04 = await profileTags('default', repoRoot, '2026-04');
  const at01 = await profileTags('default', repoRoot, '2026-01');
  assert.equal(parse(at04).evaluate(['@cedar-gates', '@lattice-2026-04']), true);
  assert.equal(parse(at01).evaluate(['@cedar-gates', '@lattice-2026-04']), false);
  assert.equal(parse(at04).evaluate(['@pivot', '@docker']), true);
  assert.equal(parse(at04).evaluate(['@pivot', '@aws']), false, 'the profile\'s own filter is kept');
  assert.equal(withoutVersionFilter(withVersionFilter('not @wip', { LATTICE_VERSION: '2026-04' })), 'not @wip');
  assert.equal(withoutVersionFilter('@a and (not @b)'), '@a and (not @b)');
});
