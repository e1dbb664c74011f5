import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { redact } from '../../../support/redact.js';
import { redactLine } from '../../../support/lattice-cli/redaction.js';

// Masking runs on every log line, attachment and report: its cost must grow linearly with the
// text. The bound is a ratio of two measured times (8x the input may take at most ~16x the time),
// so a slow or loaded machine does not change the verdict; a quadratic masker gives ~64x.
const N = 4_000;
const FACTOR = 8;
const MAX_RATIO = 16;

function timeOf(fn: () => void): number {
  // Best of five: the least disturbed measurement of each size.
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0));
  }
  return best;
}

function ratioFor(mask: (text: string) => string, unit: string): number {
  const small = unit.repeat(Math.ceil(N / unit.length));
  const large = unit.repeat(Math.ceil((N * FACTOR) / unit.length));
  mask(small); // warm up the regex engine
  return timeOf(() => mask(large)) / Math.max(timeOf(() => mask(small)), 1);
}

// Runs of the characters a key or a URL scheme may hold; each once took quadratic time.
const UNITS = ['a', 'a.', 'a-b_', 'Ab9.', 'x-token', 'a.b-c'];

for (const unit of UNITS) {
  test(`redact takes linear time on a long run of ${JSON.stringify(unit)}`, () => {
    const ratio = ratioFor((s) => redact(s, []), unit);
    assert.ok(ratio < MAX_RATIO, `time(${FACTOR}n)/time(n) = ${ratio.toFixed(1)} (n = ${N} characters); a linear masker stays under ${MAX_RATIO}`);
  });
}

test('redactLine (the CLI output masker) takes linear time on a long word run', () => {
  const ratio = ratioFor((s) => redactLine(s, ['Zq9canaryS3cr3tValue']), 'a.b-');
  assert.ok(ratio < MAX_RATIO, `time(${FACTOR}n)/time(n) = ${ratio.toFixed(1)}`);
});

test('property: for any run of key characters, 8x the text takes less than 16x the time', () => {
  fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,6}$/), (unit) => {
    const ratio = ratioFor((s) => redact(s, []), unit);
    return ratio < MAX_RATIO;
  }), { numRuns: 20 });
});

test('the linear masker still masks a key that ends a long run', () => {
  const text = `${'a'.repeat(50_000)}-token: Zq9canaryS3cr3tValue`;
  assert.ok(!redact(text, []).includes('Zq9canaryS3cr3tValue'));
});
