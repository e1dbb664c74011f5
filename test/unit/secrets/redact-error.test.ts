import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError, expect } from 'chai';
import { maskError, maskingErrors } from '../../../support/redact-error.js';

const SECRET = 'canary-unit-9f3b2c71a0';
process.env.UNIT_CANARY_TOKEN = SECRET; // masked as a credential variable's value too
const KUBECONFIG_LINE = 'token: kube-bearer-5e1d0c';

test('message, stack, cause and aggregate errors are masked in place; the class is kept', () => {
  const cause = new Error(`cause carries ${SECRET}`);
  const err = new TypeError(`failed with ${SECRET}; ${KUBECONFIG_LINE}`, { cause });
  const agg = new AggregateError([new Error(`inner ${SECRET}`)], 'several');
  assert.equal(maskError(err, [SECRET]), err);
  assert.ok(err instanceof TypeError);
  for (const text of [err.message, err.stack!, (err.cause as Error).message, (err.cause as Error).stack!]) {
    assert.doesNotMatch(text, /canary-unit|kube-bearer/, text);
    assert.match(text, /«redacted»/);
  }
  maskError(agg, [SECRET]);
  assert.doesNotMatch((agg.errors[0] as Error).message, /canary-unit/);
  assert.equal(maskError(`plain ${SECRET}`, [SECRET]), 'plain «redacted»');
  assert.equal(maskError(42, [SECRET]), 42);
});

test("a chai assertion's actual and expected (which Cucumber diffs) are masked, strings and objects", () => {
  let caught: unknown;
  try { expect({ user: { token: 'kube-bearer-77aa11' }, note: SECRET }).to.deep.equal({ user: {} }); } catch (e) { caught = e; }
  assert.ok(caught instanceof AssertionError);
  maskError(caught, [SECRET]);
  const a = caught as unknown as Error & { actual: unknown; expected: unknown };
  assert.doesNotMatch(JSON.stringify(a.actual), /kube-bearer|canary-unit/);
  assert.deepEqual(a.expected, { user: {} }, 'values without secrets are kept as they were');
  assert.doesNotMatch(a.message + a.stack, /kube-bearer|canary-unit/);
});

test('actual/expected that cannot go through JSON (a private key, a cycle) are masked as text', () => {
  const pem = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAcanaryPEMbody0123456789', '-----END RSA PRIVATE KEY-----'].join('\n');
  const cyclic: Record<string, unknown> = { note: SECRET };
  cyclic.self = cyclic;
  let caught: unknown;
  try { expect({ key: pem }).to.deep.equal(cyclic); } catch (e) { caught = e; }
  maskError(caught, [SECRET]);
  const a = caught as Error & { actual: unknown; expected: unknown };
  for (const v of [a.actual, a.expected]) {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    assert.doesNotMatch(text, /canaryPEMbody|canary-unit/, text);
    assert.match(text, /«redacted»/);
  }
});

test('maskingErrors keeps this and results, and masks what is thrown or rejected', async () => {
  const world = { name: 'w' };
  const sync = maskingErrors(function (this: typeof world, a: number) { if (a > 1) throw new Error(`sync ${SECRET}`); return `${this.name}${a}`; });
  assert.equal(sync.call(world, 1), 'w1');
  assert.throws(() => sync.call(world, 2), (e: Error) => !e.message.includes('canary-unit') || assert.fail(e.message));
  const asyncFn = maskingErrors(async function (this: typeof world) { throw new Error(`async ${this.name} ${SECRET}`); });
  await assert.rejects(asyncFn.call(world), (e: Error) => e.message === 'async w «redacted»' || assert.fail(e.message));
});
