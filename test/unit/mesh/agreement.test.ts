import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { agreementBetween, explainAgreement, indexDeclarations, isAllowed, serviceResources, type Direction, type MeshDeclarations, type ResourceEntry } from '../../../support/mesh/agreement.js';

const mesh = (services: Record<string, Record<string, ResourceEntry>>, externals: MeshDeclarations['externals'] = []): MeshDeclarations => ({
  namespace: 'ns',
  services: Object.entries(services).map(([name, resources]) => ({ name, resources })),
  externals,
});

test('an edge is allowed only when the caller declares it outbound and the callee accepts the caller', () => {
  const idx = indexDeclarations(mesh({
    a: { b: { type: 'service', direction: 'outbound' }, c: { type: 'service', direction: 'outbound' }, d: { type: 'service' } },
    b: { a: { type: 'service', direction: 'inbound' } },
    c: {},
    d: { a: { type: 'service', direction: 'inbound' } },
  }));
  assert.equal(isAllowed(idx, 'a', 'b'), true, 'both sides agree');
  assert.equal(isAllowed(idx, 'a', 'c'), false, 'callee does not accept');
  assert.equal(isAllowed(idx, 'b', 'a'), false, 'inbound on b does not let b call a');
  assert.equal(isAllowed(idx, 'a', 'd'), true, 'direction omitted means outbound');
  assert.deepEqual(agreementBetween(idx, 'a', 'c'), { caller: 'a', callee: 'c', kind: 'service', callerDeclares: true, calleeAccepts: false, allowed: false });
});

test('one-sided inbound is not enough, `both` counts for either side, `*` accepts any caller', () => {
  const idx = indexDeclarations(mesh({
    a: {},
    b: { a: { type: 'service', direction: 'inbound' } },
    c: { peer: { type: 'service', direction: 'both', id: 'x' } },
    x: { c: { type: 'service', direction: 'both' } },
    w: { '*': { type: 'service', direction: 'inbound' } },
    caller: { w: { type: 'service', direction: 'outbound' } },
  }));
  assert.equal(isAllowed(idx, 'a', 'b'), false);
  assert.equal(isAllowed(idx, 'c', 'x'), true, 'id names the target, not the key');
  assert.equal(isAllowed(idx, 'x', 'c'), true);
  assert.equal(isAllowed(idx, 'caller', 'w'), true);
  assert.equal(isAllowed(idx, 'a', 'w'), false, 'wildcard does not stand in for the caller\'s own declaration');
});

test('entries in another namespace and unknown callees never allow', () => {
  const idx = indexDeclarations(mesh({
    a: { b: { type: 'service', namespace: 'other' }, ghost: { type: 'service' } },
    b: { a: { type: 'service', direction: 'inbound' } },
  }));
  assert.equal(isAllowed(idx, 'a', 'b'), false);
  assert.equal(agreementBetween(idx, 'a', 'ghost').kind, 'unknown');
  assert.equal(isAllowed(idx, 'a', 'ghost'), false);
});

test('externals: the caller declares the external and is an allowed requester (or `*`)', () => {
  const idx = indexDeclarations(mesh({
    a: { httpbin: { type: 'external-service' }, open: { type: 'external-service', direction: 'outbound' } },
    b: { httpbin: { type: 'external-service' } },
    c: {},
  }, [
    { name: 'httpbin', url: 'https://httpbin.org/status/200', allowedRequesters: ['a', 'c'] },
    { name: 'open', url: 'https://example.com', allowedRequesters: ['*'] },
  ]));
  assert.equal(isAllowed(idx, 'a', 'httpbin'), true);
  assert.equal(isAllowed(idx, 'b', 'httpbin'), false, 'not an allowed requester');
  assert.equal(isAllowed(idx, 'c', 'httpbin'), false, 'allowed requester that does not declare it');
  assert.equal(isAllowed(idx, 'a', 'open'), true);
  assert.equal(explainAgreement(agreementBetween(idx, 'b', 'httpbin')), 'b not in allowedRequesters of httpbin');
});

test('serviceResources merges a name on both sides into one `both` entry', () => {
  assert.deepEqual(serviceResources(['x'], ['x', '*'], ['httpbin']), {
    x: { type: 'service', direction: 'both', id: 'x' },
    '*': { type: 'service', direction: 'inbound' },
    httpbin: { type: 'external-service', direction: 'outbound', id: 'httpbin' },
  });
});

// Property: the index agrees with a direct reading of the declarations, for arbitrary declarations.
const names = ['a', 'b', 'c', 'd'];
const entryArb = fc.record({
  target: fc.constantFrom(...names, '*'),
  direction: fc.constantFrom<Direction | undefined>('outbound', 'inbound', 'both', undefined),
  viaId: fc.boolean(),
  type: fc.constantFrom('service', 'volume', 'external-service'),
});
test('property: isAllowed = caller declares (outbound/both) ∧ callee accepts (inbound/both/*)', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom(...names), entryArb), { maxLength: 24 }), (decls) => {
    const services: Record<string, Record<string, ResourceEntry>> = Object.fromEntries(names.map((n) => [n, {}]));
    decls.forEach(([owner, e], i) => {
      const entry: ResourceEntry = { type: e.type };
      if (e.direction) entry.direction = e.direction;
      const key = e.viaId ? `k${i}` : e.target;
      if (e.viaId) entry.id = e.target;
      services[owner]![key] = entry;
    });
    const idx = indexDeclarations(mesh(services));
    const declares = (from: string, dir: 'out' | 'in', other: string): boolean => Object.entries(services[from]!).some(([k, e]) =>
      e.type === 'service' && (e.id ?? k) === other && (dir === 'out' ? (e.direction ?? 'outbound') !== 'inbound' : e.direction === 'inbound' || e.direction === 'both'));
    for (const x of names) for (const y of names) {
      const expected = declares(x, 'out', y) && (declares(y, 'in', x) || declares(y, 'in', '*'));
      assert.equal(isAllowed(idx, x, y), expected, `${x}->${y}`);
    }
  }), { numRuns: 300 });
});
