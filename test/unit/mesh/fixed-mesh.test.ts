import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFixedMesh, deriveFixedMeshChecks, fixedMeshDeclarations, FIXED_MESH_NAMESPACE } from '../../../support/mesh/fixed-mesh.js';
import { countVerdicts } from '../../../support/mesh/checks.js';

// lattice-facts §4.4, copied literally: from \ to, A = allowed, B = blocked, with upstream's reasons.
const EXPECTED = `
frontend-web    api-gateway     A bilateral agreement
frontend-web    api-users       A bilateral agreement
frontend-web    api-orders      B web not allowed by orders
frontend-web    db-users        B no direct DB access
frontend-web    db-orders       B no direct DB access
frontend-web    cache           B no direct cache access
frontend-web    frontend-mobile B no peer access
frontend-web    frontend-admin  B no peer access
frontend-mobile api-gateway     A bilateral agreement
frontend-mobile api-users       B mobile not allowed by users
frontend-mobile api-orders      A bilateral agreement
frontend-mobile db-users        B no direct DB access
frontend-mobile db-orders       B no direct DB access
frontend-mobile cache           B no direct cache access
frontend-mobile frontend-web    B no peer access
frontend-mobile frontend-admin  B no peer access
frontend-admin  api-gateway     A bilateral agreement
frontend-admin  api-users       A bilateral agreement
frontend-admin  api-orders      A bilateral agreement
frontend-admin  db-users        B no direct DB access
frontend-admin  db-orders       B no direct DB access
frontend-admin  cache           B no direct cache access
frontend-admin  frontend-web    B no peer access
frontend-admin  frontend-mobile B no peer access
`.trim().split('\n').map((l) => {
  const [source, target, v, ...reason] = l.trim().split(/\s+/);
  return { source, target, expected: v === 'A' ? 'ALLOWED' : 'BLOCKED', reason: reason.join(' ') };
});

test('the fixed mesh derives exactly the 24 expectations of lattice-facts §4.4 (7 allowed, 17 blocked)', () => {
  const mesh = buildFixedMesh();
  assert.equal(mesh.checks.length, 24);
  assert.deepEqual(countVerdicts(mesh.checks), { allowed: 7, blocked: 17 });
  assert.deepEqual(mesh.checks.map(({ source, target, expected, reason }) => ({ source, target, expected, reason })), EXPECTED);
});

test('the fixed mesh declares the §4.4 table: 9 services, namespace mesh-test, frontends probe', () => {
  const mesh = buildFixedMesh();
  assert.equal(mesh.declarations.namespace, FIXED_MESH_NAMESPACE);
  assert.equal(mesh.declarations.services.length, 9);
  const decl = Object.fromEntries(mesh.declarations.services.map((s) => [s.name, s.resources]));
  const sides = (name: string) => {
    const r = Object.values(decl[name]!);
    return {
      out: r.filter((e) => e.direction === 'outbound' || e.direction === 'both').map((e) => e.id).sort(),
      in: r.filter((e) => e.direction === 'inbound' || e.direction === 'both').map((e) => e.id).sort(),
    };
  };
  assert.deepEqual(sides('api-gateway'), { out: ['cache', 'db-orders', 'db-users'], in: ['frontend-admin', 'frontend-mobile', 'frontend-web'] });
  assert.deepEqual(sides('api-users'), { out: ['cache', 'db-users'], in: ['frontend-admin', 'frontend-web'] });
  assert.deepEqual(sides('api-orders'), { out: ['cache', 'db-orders'], in: ['frontend-admin', 'frontend-mobile'] });
  assert.deepEqual(sides('db-users'), { out: [], in: ['api-gateway', 'api-users'] });
  assert.deepEqual(sides('db-orders'), { out: [], in: ['api-gateway', 'api-orders'] });
  assert.deepEqual(sides('cache'), { out: [], in: ['api-gateway', 'api-orders', 'api-users'] });
  assert.equal(sides('frontend-web').out.length, 8);
  assert.deepEqual(sides('frontend-web').in, []);
  assert.deepEqual(mesh.sources, ['frontend-web', 'frontend-mobile', 'frontend-admin']);
  assert.deepEqual(mesh.tiers, [['db-users', 'db-orders', 'cache'], ['api-gateway', 'api-users', 'api-orders'], ['frontend-web', 'frontend-mobile', 'frontend-admin']]);
  assert.ok(mesh.checks.every((c) => c.url === `http://${c.target}.mesh-test.svc.cluster.local/`));
});

test('expectations follow the declarations: dropping one inbound flips exactly that edge', () => {
  const declarations = fixedMeshDeclarations();
  const users = declarations.services.find((s) => s.name === 'api-users')!;
  delete users.resources['frontend-web'];
  const changed = deriveFixedMeshChecks(declarations)
    .map(({ source, target, expected }, i) => ({ source, target, expected, before: EXPECTED[i]!.expected }))
    .filter((c) => c.expected !== c.before);
  assert.deepEqual(changed, [{ source: 'frontend-web', target: 'api-users', expected: 'BLOCKED', before: 'ALLOWED' }]);
});
