// docs/BAD-INPUT.md and the tests agree: every catalogued id has a test named after it, every id a
// test uses is catalogued, and the catalogue holds at least 20 inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const ids = (text: string, re: RegExp) => new Set([...text.matchAll(re)].map((m) => m[1]!));

test('every catalogued bad input has a test and every bad-input test is catalogued (at least 20)', () => {
  const doc = ids(readFileSync(join(repo, 'docs', 'BAD-INPUT.md'), 'utf8'), /^\| (B\d\d) \|/gm);
  const sources = ['test/unit/bad-input/catalogue.test.ts', 'test/integration/bad-input-command.test.ts', 'test/integration/wrapper-contract.test.ts', 'test/unit/versions/detect.test.ts', 'test/unit/versions/fixtures.test.ts'].map((f) => readFileSync(join(repo, f), 'utf8')).join('\n');
  const tested = ids(sources, /['`[](B\d\d)[ '`]/g);
  assert.ok(doc.size >= 20, `${doc.size} catalogued inputs`);
  assert.deepEqual([...doc].filter((id) => !tested.has(id)), [], 'catalogued without a test');
  assert.deepEqual([...tested].filter((id) => !doc.has(id)), [], 'tested without a catalogue entry');
});
