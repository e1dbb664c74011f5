import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suiteHash } from '../../../scripts/mutants/suite-hash.js';

test('the incremental results are keyed by the suite: a changed or added scenario gives a new key, target code does not', () => {
  const root = mkdtempSync(join(tmpdir(), 'suite-hash-'));
  try {
    mkdirSync(join(root, 'features'));
    mkdirSync(join(root, 'sim'));
    writeFileSync(join(root, 'features', 'mesh.feature'), 'Feature: mesh\n');
    writeFileSync(join(root, 'cucumber.js'), 'export default {};\n');
    writeFileSync(join(root, 'sim', 'x.ts'), 'a');
    const first = suiteHash(root);
    assert.match(first, /^[0-9a-f]{16}$/);
    writeFileSync(join(root, 'sim', 'x.ts'), 'b');
    assert.equal(suiteHash(root), first, 'a change of the target keeps the results (that is what incremental is for)');
    writeFileSync(join(root, 'features', 'mesh.feature'), 'Feature: mesh\n  Scenario: new\n');
    const second = suiteHash(root);
    assert.notEqual(second, first);
    writeFileSync(join(root, 'features', 'media.feature'), 'Feature: media\n');
    assert.notEqual(suiteHash(root), second);
  } finally { rmSync(root, { recursive: true, force: true }); }
});
