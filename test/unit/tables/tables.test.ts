import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRows, listCell } from '../../../support/tables/table.js';
import { compareConnections, parseConnectionTable, parseDeclarationTable } from '../../../support/tables/mesh-tables.js';
import { parseClaimTable } from '../../../support/tables/claim-table.js';
import { deriveFixedMeshChecks } from '../../../support/mesh/index.js';

test('tables reject unknown and missing columns, naming both and the expected ones', () => {
  assert.throws(() => readRows([['service', 'colour']], ['service', 'layer'] as const, 'x'), /unknown column\(s\) colour and missing column\(s\) layer; its columns are: service \| layer/);
  assert.deepEqual(readRows([['b', 'a'], [' 2 ', '1']], ['a', 'b'] as const, 'x'), [{ a: '1', b: '2' }]);
  assert.deepEqual(listCell(' a, b ,,c '), ['a', 'b', 'c']);
  assert.deepEqual(listCell(''), []);
});

test('a declaration naming an undeclared service is refused', () => {
  assert.throws(() => parseDeclarationTable([['service', 'layer', 'calls', 'accepts calls from'], ['a', 'x', 'ghost', '']], 'ns'), /a names ghost/);
});

const DECL = [
  ['service', 'layer', 'calls', 'accepts calls from'],
  ['frontend-web', 'frontend', 'api-gateway, api-users, api-orders, db-users, db-orders, cache, frontend-mobile, frontend-admin', ''],
  ['frontend-mobile', 'frontend', 'api-gateway, api-users, api-orders, db-users, db-orders, cache, frontend-web, frontend-admin', ''],
  ['frontend-admin', 'frontend', 'api-gateway, api-users, api-orders, db-users, db-orders, cache, frontend-web, frontend-mobile', ''],
  ['api-gateway', 'api', 'db-users, db-orders, cache', 'frontend-web, frontend-mobile, frontend-admin'],
  ['api-users', 'api', 'db-users, cache', 'frontend-web, frontend-admin'],
  ['api-orders', 'api', 'db-orders, cache', 'frontend-mobile, frontend-admin'],
  ['db-users', 'backend', '', 'api-gateway, api-users'],
  ['db-orders', 'backend', '', 'api-gateway, api-orders'],
  ['cache', 'backend', '', 'api-gateway, api-users, api-orders'],
];

test('the connection table is compared both ways with what the agreements derive', () => {
  const { declarations } = parseDeclarationTable(DECL, 'mesh-test');
  const derived = deriveFixedMeshChecks(declarations);
  const table = [['from', 'to', 'result', 'because'], ...derived.map((c) => [c.source, c.target, c.expected === 'ALLOWED' ? 'allowed' : 'blocked', c.reason])];
  assert.deepEqual(compareConnections(parseConnectionTable(table), derived), []);
  const wrong = table.map((r) => (r[0] === 'frontend-web' && r[1] === 'api-orders' ? [r[0], r[1], 'allowed', 'bilateral agreement'] : r));
  assert.deepEqual(compareConnections(parseConnectionTable(wrong), derived), ['frontend-web -> api-orders: table says allowed, the agreements give blocked']);
  const short = table.slice(0, -1);
  assert.equal(compareConnections(parseConnectionTable(short), derived).length, 1);
  assert.throws(() => parseConnectionTable([['from', 'to', 'result', 'because'], ['a', 'b', 'maybe', '']]), /neither allowed nor blocked/);
});

test('claim tables need yes or no for shared', () => {
  assert.deepEqual(parseClaimTable([['claim', 'size', 'shared'], ['vol-x', '1Ti', 'yes']]), [{ claim: 'vol-x', size: '1Ti', shared: true }]);
  assert.throws(() => parseClaimTable([['claim', 'size', 'shared'], ['vol-x', '1Ti', 'maybe']]), /shared must be yes or no/);
});

test('an acceptance given again widens an outbound entry back to both, or adds an inbound entry; one already given is refused', async () => {
  const { restoreAcceptance, withdrawAcceptance } = await import('../../../support/tables/mesh-tables.js');
  const { declarations } = parseDeclarationTable([['service', 'layer', 'calls', 'accepts calls from'], ['web', 'f', 'orders', 'orders'], ['orders', 'b', 'web', 'web'], ['api', 'b', '', '']], 'ns');
  const withdrawn = withdrawAcceptance(declarations, 'orders', 'web');
  assert.deepEqual(withdrawn.newEntry, { type: 'service', direction: 'outbound', id: 'web' });
  const back = restoreAcceptance(withdrawn.declarations, 'orders', 'web');
  assert.deepEqual(back.declarations, declarations);
  assert.equal(back.resourceKey, 'web');
  const added = restoreAcceptance(declarations, 'api', 'web');
  assert.deepEqual(added.newEntry, { type: 'service', direction: 'inbound', id: 'web' });
  assert.throws(() => restoreAcceptance(declarations, 'orders', 'web'), /orders already accepts calls from web/);
  assert.throws(() => restoreAcceptance(declarations, 'ghost', 'web'), /ghost is not a declared service/);
});
