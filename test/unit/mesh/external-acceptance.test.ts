import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptEveryDeclaredExternal } from '../../../support/mesh/external-acceptance.js';
import { generateRandomMesh } from '../../../support/mesh/random-mesh.js';
import { DEFAULT_RANDOM_MESH_CONFIG } from '../../../support/mesh/random-mesh-config.js';
import { permitAnyCaller } from '../../../support/traffic/any-caller.js';

const mesh = () => generateRandomMesh({ ...DEFAULT_RANDOM_MESH_CONFIG, externalOutboundP: 0.6, externalAllowP: 0.3 }, 4242);

test('where declaring an external is its agreement (2026-04), every declared external check is allowed and the wiring and other checks stay the seed\'s', () => {
  const given = mesh();
  const declaredButRefused = given.checks.filter((c) => c.kind === 'external' && c.expected === 'BLOCKED' && c.reason.includes('allowedRequesters'));
  assert.ok(declaredButRefused.length > 0, 'the seed has a declared external its requesters refuse (2026-01 blocks it)');
  const spelled = acceptEveryDeclaredExternal(given);
  assert.deepEqual(spelled.declarations.services, given.declarations.services, 'same declarations');
  for (const c of spelled.checks) {
    const before = given.checks.find((b) => b.source === c.source && b.target === c.target)!;
    if (c.kind === 'service') assert.deepEqual(c, before);
    else if (declaredButRefused.includes(before)) assert.equal(c.expected, 'ALLOWED', `${c.source}->${c.target}`);
    else assert.equal(c.expected, before.expected, `${c.source}->${c.target} keeps its verdict`);
  }
  assert.ok(spelled.checks.some((c) => c.kind === 'external' && c.expected === 'BLOCKED'), 'an undeclared external stays blocked');
  assert.deepEqual(given, mesh(), 'the given mesh is not changed');
});

test('the platform\'s any-caller permit is recorded for a declared service only', () => {
  const given = mesh();
  const svc = given.declarations.services[1]!.name;
  const permitted = permitAnyCaller({ declarations: given.declarations, checks: given.checks, sources: given.sources, tiers: given.tiers }, svc);
  assert.ok(permitted.declarations.anyCallerPermitted!.includes(svc));
  assert.deepEqual(permitted.checks, given.checks, 'a permit changes no expectation: the declarations decide');
  assert.throws(() => permitAnyCaller(permitted, 'ghost'), /ghost is not declared in random-mesh; name a service of the declaration table|ghost is not declared in random-mesh/);
});
