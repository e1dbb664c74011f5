import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareCatalogues, parseFaultsMarkdown, parseKnownFaults, tableCells } from '../../../scripts/faults/faults-md.js';
import { catalogueProblems } from '../../../scripts/faults/catalogue.js';
import { repoRoot } from '../../../scripts/faults/cucumber-run.js';

const faultsMd = readFileSync(join(repoRoot, 'sim', 'FAULTS.md'), 'utf8');

test('sim/FAULTS.md yields every fault once, with its section and what a suite must observe', () => {
  const faults = parseFaultsMarkdown(faultsMd);
  const names = faults.map((f) => f.name);
  assert.equal(new Set(names).size, names.length);
  assert.ok(names.length >= 19, `only ${names.length} faults parsed`);
  assert.equal(faults.find((f) => f.name === 'no-pivot')?.section, 'Cluster lifecycle');
  assert.equal(faults.find((f) => f.name === 'pvc-missing')?.section, 'Services and data plane');
  for (const f of faults) assert.match(f.name, /^[a-z][a-z-]+[a-z]$/, `fault name ${f.name}`);
  assert.match(faults.find((f) => f.name === 'upgrade-stalls')!.observe, /times out/);
});

test('only tables headed "Fault" count; separators skipped; escaped pipes stay in a cell', () => {
  const md = [
    '# Faults', '', '| variable | meaning |', '|---|---|', '| `NOT_A_FAULT` | x |', '',
    '## Group A', '', '| Fault | What | Suite must observe |', '|---|:---:|---|', '| `a-one` | does \\| things | sees A |', '| `a-two` | y | sees B |', '',
    'prose `not-a-fault`', '', '## Group B', '| Fault | What |', '| --- | --- |', '| `b-one` | z |',
  ].join('\n');
  const got = parseFaultsMarkdown(md);
  assert.deepEqual(got.map((f) => [f.name, f.section, f.observe]), [['a-one', 'Group A', 'sees A'], ['a-two', 'Group A', 'sees B'], ['b-one', 'Group B', '']]);
  assert.deepEqual(tableCells('| `x` | a \\| b | c |'), ['`x`', 'a | b', 'c']);
});

test('a fault table row without a backticked name, a repeated name or no table at all is an error', () => {
  assert.throws(() => parseFaultsMarkdown('| Fault | What |\n|---|---|\n| plain | x |'), /no backticked fault name/);
  assert.throws(() => parseFaultsMarkdown('| Fault | What |\n|---|---|\n| `a` | x |\n| `a` | y |'), /listed twice/);
  assert.throws(() => parseFaultsMarkdown('# nothing here'), /no fault table/);
});

test('the target\'s refusal of an unknown fault lists the faults it knows', () => {
  const text = 'Error: unknown fault "zzz" in LATTICE_SIM_FAULTS; known faults: one-sided-outbound-allowed, no-pivot, pvc-missing\n';
  assert.deepEqual(parseKnownFaults(text), ['one-sided-outbound-allowed', 'no-pivot', 'pvc-missing']);
  assert.equal(parseKnownFaults('Error: the lattice-sim daemon is not running'), undefined);
});

test('the catalogue cross-check names faults on one side only', () => {
  assert.deepEqual(compareCatalogues(['a', 'b'], ['b', 'c']), { undocumented: ['c'], unknownToTarget: ['a'] });
  assert.deepEqual(catalogueProblems(['a', 'b'], ['b', 'a']), []);
  const problems = catalogueProblems(['a'], ['a', 'new-one']);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /"new-one".*sim\/FAULTS\.md does not list it/);
});
