import { After, Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { expect } from 'chai';
import { describeRandomMesh, generateRandomMeshFromEnv, renderTruthTableText, summarizeVerification } from '../support/mesh/index.js';
import { renderTruthTableSvg } from '../support/report/truth-table-svg.js';
import { assertEveryConnectionAsAgreed, attachingTruthTableOnViolation } from '../support/report/violations.js';
import { compareConnections, deriveTableChecks, parseConnectionTable, parseDeclarationTable, restoreAcceptance, withdrawAcceptance } from '../support/tables/mesh-tables.js';
import { chooseFixture, clientOf, ensureChild, ensureManagement } from '../support/hierarchy/index.js';
import { deployMeshAndWait, meshAsSpelled, observeTrafficUntilComplete, permitAnyCaller, probeTimingFor, meshTailLines, withdrawAndAwaitNewTraffic, type MeshUnderTest } from '../support/traffic/index.js';
import { deleteNamespaceAndWait } from '../support/workloads/namespace.js';
import { releaseUnclaimedHolds } from '../support/workloads/platform-permits.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

// Platform permits held by a deploy without a cleanup stack go with the scenario, never into the next one's gates.
After(async function (this: LatticeWorld) {
  for (const line of await releaseUnclaimedHolds()) this.note(`releasing platform policies: ${line}`);
});

Given('a workload cluster managed by Lattice with {int} ready workers', async function (this: LatticeWorld, workers: number) {
  const mgmt = chooseFixture(this.run.config, 'lifecycle', 'management', undefined);
  const workload = chooseFixture(this.run.config, 'lifecycle', 'workload', undefined);
  await ensureManagement(this.deps, mgmt.path);
  // Co-location and policy only mean something across nodes: more than one worker.
  await ensureChild(this.deps, { role: 'workload', parentRole: 'management', fixturePath: workload.path, workers });
});

Given('these services declare their dependencies in the {string} namespace:', function (this: LatticeWorld, namespace: string, table: DataTable) {
  const { services, declarations } = parseDeclarationTable(table.raw(), namespace);
  this.remember('meshServices', services);
  this.remember('mesh', { declarations, ...deriveTableChecks(services, declarations) } satisfies MeshUnderTest);
});

// Same-named services in a second namespace: Lattice keys every service by namespace AND name
// (lattice-common graph/mod.rs:336-410; a resource without `namespace` is in its own, crd/service.rs:849-870).
Given('their namesakes declare other dependencies in the {string} namespace:', function (this: LatticeWorld, namespace: string, table: DataTable) {
  const { services, declarations } = parseDeclarationTable(table.raw(), namespace);
  this.remember('namesakeMesh', { declarations, ...deriveTableChecks(services, declarations) } satisfies MeshUnderTest);
});

Then(/^the (agreements|namesakes' agreements) allow exactly these connections:$/, function (this: LatticeWorld, whose: string, table: DataTable) {
  const mesh = this.recall<MeshUnderTest>(whose === 'agreements' ? 'mesh' : 'namesakeMesh');
  const diffs = compareConnections(parseConnectionTable(table.raw()), mesh.checks);
  expect(diffs, `the table of connections differs from what the agreements declared in ${mesh.declarations.namespace} give`).to.deep.equal([]);
});

Given('a random mesh generated from the configured seed', function (this: LatticeWorld) {
  const { mesh, seedPicked } = generateRandomMeshFromEnv(process.env);
  this.note(`${describeRandomMesh(mesh)}; seed ${seedPicked ? 'picked for this run' : 'from LATTICE_RANDOM_MESH_SEED'}`);
  this.attachText('random-mesh-seed.txt', `LATTICE_RANDOM_MESH_SEED=${mesh.seed}`);
  this.remember('mesh', meshAsSpelled({ declarations: mesh.declarations, checks: mesh.checks, sources: mesh.sources, tiers: mesh.tiers } satisfies MeshUnderTest));
  this.remember('meshPodsWait', 'randomMeshPods');
});

Given('the platform permits {word} to accept any caller', function (this: LatticeWorld, service: string) {
  this.remember('mesh', permitAnyCaller(this.recall<MeshUnderTest>('mesh'), service));
});

When(/^the (?:services|random mesh) (?:are|is) deployed on the (management|workload2|workload) cluster$/, async function (this: LatticeWorld, role: ClusterRole) {
  const podsWait = this.results.has('meshPodsWait') ? this.recall<'randomMeshPods'>('meshPodsWait') : 'meshPods';
  this.remember('trafficSince', await deployOn(this, role, this.recall<MeshUnderTest>('mesh'), podsWait));
  this.remember('meshCluster', role);
});

When('the services and their namesakes are deployed on the {cluster} cluster', async function (this: LatticeWorld, role: ClusterRole) {
  const [services, namesakes] = await Promise.all([this.recall<MeshUnderTest>('mesh'), this.recall<MeshUnderTest>('namesakeMesh')].map((mesh) => deployOn(this, role, mesh, 'meshPods')));
  this.remember('meshCluster', role);
  this.remember('trafficSince', services);
  this.remember('namesakeTrafficSince', namesakes);
});

When(/^(\S+) (stops accepting|accepts) calls from (\S+)(?: again)?$/, async function (this: LatticeWorld, callee: string, change: string, caller: string) {
  const before = this.recall<MeshUnderTest>('mesh');
  const changed = (change === 'accepts' ? restoreAcceptance : withdrawAcceptance)(before.declarations, callee, caller);
  const after: MeshUnderTest = { declarations: changed.declarations, ...deriveTableChecks(this.recall<Parameters<typeof deriveTableChecks>[0]>('meshServices'), changed.declarations) };
  const client = clientOf(this.run.clusters.require(this.recall<ClusterRole>('meshCluster')));
  const shownAt = await withdrawAndAwaitNewTraffic({
    client, before, after, service: callee, resourceKey: changed.resourceKey, newEntry: changed.newEntry,
    tailLines: meshTailLines(after), wait: this.run.config.waits.meshVerdicts, log: (l) => this.note(l), signal: this.run.signal,
  });
  this.remember('mesh', after);
  this.remember('trafficSince', shownAt);
});

Then('the mesh\'s traffic shows exactly the agreed connections, and nothing else gets through', async function (this: LatticeWorld) {
  await checkTraffic(this, this.recall<MeshUnderTest>('mesh'), this.recall<Date>('trafficSince'));
});

Then('the traffic shows exactly the agreed connections in the services\' and in the namesakes\' namespace, and nothing else gets through', async function (this: LatticeWorld) {
  // Both namespaces are judged to the end, so a failure names every violation of both.
  const verdicts = await Promise.allSettled([
    checkTraffic(this, this.recall<MeshUnderTest>('mesh'), this.recall<Date>('trafficSince')),
    checkTraffic(this, this.recall<MeshUnderTest>('namesakeMesh'), this.recall<Date>('namesakeTrafficSince')),
  ]);
  const failed = verdicts.flatMap((v) => (v.status === 'rejected' ? [v.reason instanceof Error ? v.reason.message : String(v.reason)] : []));
  expect(failed, failed.join('\n\n')).to.deep.equal([]);
});

/** Deploys a mesh on a cluster of the hierarchy (its namespace removed at the end); resolves when its pods are Ready. */
async function deployOn(world: LatticeWorld, role: ClusterRole, mesh: MeshUnderTest, pods: 'meshPods' | 'randomMeshPods'): Promise<Date> {
  const client = clientOf(world.run.clusters.require(role));
  const ns = mesh.declarations.namespace;
  world.cleanup.push(`namespace ${ns} on ${client.name}`, () => deleteNamespaceAndWait(client, ns, world.run.config.waits.deployments));
  const { readyAt } = await deployMeshAndWait({
    client, mesh, runId: world.run.config.runId, timing: probeTimingFor(world.run),
    pods: world.run.config.waits[pods], log: (l) => world.note(l), cleanup: world.cleanup, signal: world.run.signal,
  });
  return readyAt;
}

/** Observes the mesh until every probe has a verdict since `since`; attaches its truth table and fails on any difference. */
async function checkTraffic(world: LatticeWorld, mesh: MeshUnderTest, since: Date): Promise<void> {
  const client = clientOf(world.run.clusters.require(world.recall<ClusterRole>('meshCluster')));
  const title = `Traffic in ${mesh.declarations.namespace}`;
  const v = await attachingTruthTableOnViolation(observeTrafficUntilComplete({
    client, mesh, since, tailLines: meshTailLines(mesh),
    wait: world.run.config.waits.meshVerdicts, log: (l) => world.note(l), signal: world.run.signal,
  }), (seen) => world.attachSvg('truth-table.svg', renderTruthTableSvg(seen, `${title} when the violation was seen`)));
  world.attachSvg('truth-table.svg', renderTruthTableSvg(v, title));
  world.note(`${summarizeVerification(v)}\n${renderTruthTableText(v)}`);
  assertEveryConnectionAsAgreed(v, `traffic in ${mesh.declarations.namespace}`);
}
