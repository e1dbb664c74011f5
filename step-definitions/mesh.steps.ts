import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { expect } from 'chai';
import { deriveFixedMeshChecks, generateRandomMeshFromEnv, describeMismatch } from '../support/mesh/index.js';
import { parseConnectionTable, parseDeclarationTable, compareConnections } from '../support/tables/mesh-tables.js';
import { chooseFixture, clientOf, ensureChild, ensureManagement } from '../support/hierarchy/index.js';
import { runMeshCheck, type MeshCheckResult, type MeshUnderTest } from '../support/traffic/index.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

Given('a workload cluster managed by Lattice', async function (this: LatticeWorld) {
  const mgmt = chooseFixture(this.run.config, 'lifecycle', 'management', undefined);
  const workload = chooseFixture(this.run.config, 'lifecycle', 'workload', undefined);
  await ensureManagement(this.deps, mgmt.path);
  await ensureChild(this.deps, { role: 'workload', parentRole: 'management', fixturePath: workload.path });
});

Given('these services declare their dependencies in the {string} namespace:', function (this: LatticeWorld, namespace: string, table: DataTable) {
  const { services, declarations } = parseDeclarationTable(table.raw(), namespace);
  const layers = [...new Set(services.map((s) => s.layer))];
  const mesh: MeshUnderTest = {
    declarations,
    checks: deriveFixedMeshChecks(declarations),
    sources: services.filter((s) => s.layer === layers[0]).map((s) => s.service),
    tiers: layers.slice().reverse().map((l) => services.filter((s) => s.layer === l).map((s) => s.service)),
  };
  this.remember('mesh', mesh);
});

Then('the agreements allow exactly these connections:', function (this: LatticeWorld, table: DataTable) {
  const mesh = this.recall<MeshUnderTest>('mesh');
  const diffs = compareConnections(parseConnectionTable(table.raw()), mesh.checks);
  expect(diffs, 'the table of connections differs from what the declared agreements give').to.deep.equal([]);
});

Given('a random mesh generated from the configured seed', function (this: LatticeWorld) {
  const { mesh, seedPicked } = generateRandomMeshFromEnv(process.env);
  this.note(`random mesh: seed ${mesh.seed}${seedPicked ? ' (picked for this run)' : ' (from LATTICE_RANDOM_MESH_SEED)'}, ${mesh.declarations.services.length} services, ${mesh.declarations.externals.length} externals, ${mesh.checks.length} checks; replay with LATTICE_RANDOM_MESH_SEED=${mesh.seed}`);
  this.attachText('random-mesh-seed.txt', `LATTICE_RANDOM_MESH_SEED=${mesh.seed}`);
  this.remember('mesh', { declarations: mesh.declarations, checks: mesh.checks, sources: mesh.sources, tiers: mesh.tiers } satisfies MeshUnderTest);
  this.remember('meshPodsWait', 'randomMeshPods');
});

When(/^the (?:services|random mesh) (?:are|is) deployed on the (management|workload2|workload) cluster$/, async function (this: LatticeWorld, role: ClusterRole) {
  const mesh = this.recall<MeshUnderTest>('mesh');
  const client = clientOf(this.run.clusters.require(role));
  const podsWait = this.results.has('meshPodsWait') ? this.recall<'randomMeshPods'>('meshPodsWait') : 'meshPods';
  const result = await runMeshCheck(this.run, client, mesh, { title: `Traffic in ${mesh.declarations.namespace}`, podsWait, log: (l) => this.note(l), removeAfter: true });
  this.remember('meshResult', result);
});

Then('the mesh\'s traffic shows exactly the agreed connections, and nothing else gets through', function (this: LatticeWorld) {
  const r = this.recall<MeshCheckResult>('meshResult');
  this.attachHtml(r.html);
  this.note(`${r.summary}\n${r.text}`);
  expect(r.verification.mismatches.map(describeMismatch), r.summary).to.deep.equal([]);
  expect(r.verification.passed, r.summary).to.equal(true);
});
