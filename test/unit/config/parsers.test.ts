import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareKubeVersions, formatDuration, generateRunId, isValidRunId, parseBoolean, parseDuration, parseKubeVersion } from '../../../support/config/index.js';

test('parseDuration: whole seconds with and without the unit agree, and minutes are 60 s', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1440 }), (n) => {
      assert.equal(parseDuration(`${n}s`), n * 1000);
      assert.equal(parseDuration(String(n)), n * 1000);
      assert.equal(parseDuration(`${n}m`), n * 60_000);
      assert.equal(parseDuration(`${n * 1000}ms`), n * 1000);
    }),
  );
});

test('parseDuration rejects what is not a positive bounded duration', () => {
  for (const bad of ['', '-1', '-5s', '0', '0s', '0.0001s', 'abc', '5 minutes', '1e3', 's', '10d', '25h', 'NaN', 'Infinity']) {
    assert.equal(parseDuration(bad), undefined, bad);
  }
  assert.equal(parseDuration('24h'), 86_400_000);
});

test('formatDuration is readable and round-trips through parseDuration', () => {
  assert.equal(formatDuration(250), '250ms');
  assert.equal(formatDuration(1_800_000), '1800s');
  assert.equal(formatDuration(1_500), '1.5s');
  fc.assert(fc.property(fc.integer({ min: 1, max: 86_400 }), (s) => parseDuration(formatDuration(s * 1000)) === s * 1000));
});

test('parseBoolean knows exactly the accepted words', () => {
  assert.equal(parseBoolean('Yes'), true);
  assert.equal(parseBoolean('0'), false);
  for (const bad of ['on', 'off', 'y', 'n', '2', 'truee', '']) assert.equal(parseBoolean(bad), undefined, bad);
});

test('kube versions compare numerically', () => {
  const v = (s: string) => {
    const parsed = parseKubeVersion(s);
    assert.ok(parsed, s);
    return parsed;
  };
  assert.ok(compareKubeVersions(v('1.32.0'), v('1.31.0')) > 0);
  assert.ok(compareKubeVersions(v('1.10.0'), v('1.9.9')) > 0);
  assert.equal(compareKubeVersions(v('1.32.0'), v('1.32.0')), 0);
  for (const bad of ['v1.32.0', '1.32', '1.32.0-rc.1', '01.2.3', '1.2.3.4', '']) assert.equal(parseKubeVersion(bad), undefined, bad);
});

test('generated run ids are valid label values at any time', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (now) => {
      const id = generateRunId(now);
      return isValidRunId(id) && /^r[a-z0-9]+$/.test(id) && id.length <= 32;
    }),
  );
  assert.equal(isValidRunId('-abc'), false);
  assert.equal(isValidRunId('abc-'), false);
  assert.equal(isValidRunId('a'), true);
});
