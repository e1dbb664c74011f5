/** A YAML alias bomb given to `lattice install` is refused in one line before the daemon sees it. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandedWeight, MAX_EXPANDED_WEIGHT } from '../../src/apiserver/yaml-bounded.js';
import * as yaml from 'js-yaml';
import { LATTICE_BIN, newSimEnv, run } from './run.js';

/** Nine levels of ten aliases each: under 1 KB, 10^9 strings once expanded. */
function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const me = String.fromCharCode(97 + i);
    lines.push(`${me}: &${me} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  }
  return `apiVersion: lattice.dev/v1alpha1\nkind: LatticeCluster\nmetadata:\n  name: bomb\n${lines.join('\n')}\nspec: {}\n`;
}

test('the expanded weight of a document counts every alias (linear in the parsed size) and stops at the limit', () => {
  // root 1 + per key (name length 1 + list 5), the list: 1 + per item (index length 1 + number 1)
  assert.equal(expandedWeight(yaml.load('a: &x [1, 2]\nb: *x\n')), 13);
  assert.equal(expandedWeight(yaml.load(aliasBomb())), Infinity);
  assert.ok(expandedWeight(yaml.load('x: ' + 'y'.repeat(1000))) < MAX_EXPANDED_WEIGHT);
});

test('lattice install -f <alias bomb> fails in one line naming the file, without a stack', async () => {
  const sim = newSimEnv();
  after(() => sim.dispose());
  const file = join(sim.dir, 'bomb.yaml');
  writeFileSync(file, aliasBomb());
  assert.ok(aliasBomb().length < 1024);
  const r = await run(LATTICE_BIN, ['install', '-f', file], { env: sim.env, timeoutMs: 60_000 });
  assert.equal(r.code, 1, r.stderr.slice(0, 500));
  assert.match(r.stderr.trim(), new RegExp(`^Error: failed to parse cluster config ${file}: yaml: document contains excessive aliasing$`));
});
