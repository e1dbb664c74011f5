import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import {
  chooseFixture, clientOf, deleteThroughOwnApiAndWait, ensureChild, ensureManagement, expectedWorkers, leftoverInfrastructure,
  installRefusedCluster, providerOf, readSelfManagement, refOf, uninstallManagementAndWait, uninstallUnderWrongName, waitForExactlyReadyWorkers,
  describeReadyMoment, phasesOnParent, readyMoments, readParentHoldings, readPoolLabels, type RefusedRun, type UnpivotReport,
} from '../support/hierarchy/index.js';
import { distinctPhases, renderPhaseTimeline } from '../support/report/phase-timeline.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

Given('the management cluster is installed from the {string} fixture', async function (this: LatticeWorld, fixture: string) {
  const choice = chooseFixture(this.run.config, this.family, 'management', fixture);
  this.note(`management fixture: ${choice.path} (${choice.why})`);
  await ensureManagement(this.deps, choice.path);
});

When('the {cluster} cluster is created on the {cluster} cluster from the {string} fixture', async function (this: LatticeWorld, role: ClusterRole, parentRole: ClusterRole, fixture: string) {
  const choice = chooseFixture(this.run.config, this.family, role, fixture);
  await ensureChild(this.deps, { role, parentRole, fixturePath: choice.path, fresh: true });
});

Given('the {cluster} cluster is provisioned on the {cluster} cluster from the {string} fixture', async function (this: LatticeWorld, role: ClusterRole, parentRole: ClusterRole, fixture: string) {
  const choice = chooseFixture(this.run.config, this.family, role, fixture);
  await ensureChild(this.deps, { role, parentRole, fixturePath: choice.path });
});

Then('the {cluster} cluster sees the {cluster} cluster pass through {phases} in that order', function (this: LatticeWorld, parentRole: ClusterRole, role: ClusterRole, phases: string[]) {
  const ctx = this.run.clusters.require(role);
  const timeline = renderPhaseTimeline(ctx.name, this.run.clusters.require(parentRole).name, ctx.timeline);
  this.attachSvg('phase-timeline.svg', timeline.svg);
  this.note(timeline.text);
  expect(distinctPhases(ctx.timeline.map((t) => t.phase)), `phases of ${ctx.name}`).to.deep.equal(phasesOnParent(this.run, phases));
});

Then('the {cluster} cluster sees the {cluster} cluster become Ready', function (this: LatticeWorld, parentRole: ClusterRole, role: ClusterRole) {
  const ctx = this.run.clusters.require(role);
  this.attachSvg('phase-timeline.svg', renderPhaseTimeline(ctx.name, this.run.clusters.require(parentRole).name, ctx.timeline).svg);
  expect(ctx.timeline.at(-1)?.phase, `last phase of ${ctx.name}`).to.equal(phasesOnParent(this.run, ['Ready'])[0]);
});

Then('the {cluster} cluster manages itself', async function (this: LatticeWorld, role: ClusterRole) {
  const report = await readSelfManagement(this.deps, this.run.clusters.require(role));
  expect(report.ownPhase, `${report.cluster}'s own LatticeCluster phase`).to.equal('Ready');
  expect(report.ownsCapiCluster, `${report.cluster} holds its own CAPI Cluster (holds: ${report.capiClustersHeld.join(', ') || 'none'})`).to.equal(true);
  expect(report.ownsMachineDeployment, `${report.cluster} holds its own MachineDeployment`).to.equal(true);
  if (report.parentSaysPivoted !== undefined) expect(report.parentSaysPivoted, `the parent's copy of ${report.cluster} has pivotComplete`).to.equal(true);
});

Then('the {cluster} cluster has the ready workers its fixture asks for', async function (this: LatticeWorld, role: ClusterRole) {
  const ctx = this.run.clusters.require(role);
  const want = expectedWorkers(ctx);
  const wait = this.run.config.waits.workerScaling;
  const got = await waitForExactlyReadyWorkers(clientOf(ctx), want, { ...wait, signal: this.run.signal });
  expect(got, `Ready workers of ${ctx.name}`).to.equal(want);
});

Then('the {cluster} cluster has {int} ready worker(s)', async function (this: LatticeWorld, role: ClusterRole, want: number) {
  const ctx = this.run.clusters.require(role);
  // Exactly: Lattice scales the MachineDeployment to spec.nodes.workers, down too (controller.rs:1896-1917).
  const got = await waitForExactlyReadyWorkers(clientOf(ctx), want, { ...this.run.config.waits.workerScaling, signal: this.run.signal });
  expect(got, `Ready workers of ${ctx.name}`).to.equal(want);
});

When('the {cluster} cluster is deleted through its own API', async function (this: LatticeWorld, role: ClusterRole) {
  this.remember(`unpivot:${role}`, await deleteThroughOwnApiAndWait(this.deps, role));
});

Then('the {cluster} cluster is unpivoted into the {cluster} cluster and removed from it', function (this: LatticeWorld, role: ClusterRole, _parent: ClusterRole) {
  const r = this.recall<UnpivotReport>(`unpivot:${role}`);
  expect(r.ownPhases, `phases of ${r.cluster}'s own copy after the delete`).to.include('Unpivoting');
  expect(r.goneFromParent, `${r.cluster} removed from ${r.parent}`).to.equal(true);
  expect(r.parentStillHoldsCapiCluster, `${r.parent} still holds a CAPI Cluster for ${r.cluster}`).to.equal(false);
});

Then('the {cluster} cluster\'s infrastructure is gone', async function (this: LatticeWorld, role: ClusterRole) {
  const ctx = this.run.clusters.record(role)!;
  await providerOf(this.run, ctx).infrastructureGone(refOf(this.run, ctx), this.run.config.waits.infrastructureGone.timeoutMs);
});

When('the management cluster is uninstalled', async function (this: LatticeWorld) {
  await uninstallManagementAndWait(this.deps);
});

Then('no cluster of the hierarchy is left, nor any bootstrap cluster', async function (this: LatticeWorld) {
  expect(this.run.clusters.liveLeafFirst().map((c) => c.name), 'clusters the run still counts as live').to.deep.equal([]);
  expect(await leftoverInfrastructure(this.deps), 'infrastructure still present').to.deep.equal([]);
});

When('another cluster is installed from the {string} fixture with {int} control-plane nodes', async function (this: LatticeWorld, fixture: string, controlPlane: number) {
  const choice = chooseFixture(this.run.config, this.family, 'management', fixture);
  this.remember('refusedInstall', await installRefusedCluster(this.deps, choice.path, controlPlane, (what, fn) => this.cleanup.push(what, fn)));
});

Then('the install exits non-zero and leaves neither that cluster nor a bootstrap cluster', function (this: LatticeWorld) {
  const r = this.recall<RefusedRun>('refusedInstall');
  expect(r.exitCode, `exit code of the refused install (last output: ${r.tail.slice(-3).join(' | ')})`).to.not.equal(0);
  expect(r.leftovers, 'infrastructure left by the refused install').to.deep.equal([]);
});

When('the management cluster is uninstalled under a name it does not hold', async function (this: LatticeWorld) {
  this.remember('refusedUninstall', await uninstallUnderWrongName(this.deps, `${this.run.clusters.require('management').name}-absent`));
});

Then('the uninstall exits non-zero and leaves no bootstrap cluster', function (this: LatticeWorld) {
  const r = this.recall<RefusedRun>('refusedUninstall');
  expect(r.exitCode, `exit code of the uninstall (last output: ${r.tail.slice(-3).join(' | ')})`).to.not.equal(0);
  expect(r.leftovers, 'bootstrap clusters left by the failed uninstall').to.deep.equal([]);
});

Then('the {cluster} cluster already held its own Cluster API resources when the {cluster} cluster first said it was Ready', async function (this: LatticeWorld, role: ClusterRole, _parent: ClusterRole) {
  const ctx = this.run.clusters.require(role);
  const reading = await readyMoments.get(ctx);
  expect(reading, `a reading of ${ctx.name} at the moment its parent first said Ready (was it created in this scenario?)`).to.not.equal(undefined);
  this.note(describeReadyMoment(reading!));
  expect(reading!.childHoldsCapiCluster, `${ctx.name} held its own CAPI Cluster when its parent first said Ready`).to.equal(true);
});

Then('the {cluster} cluster no longer holds the {cluster} cluster\'s Cluster API resources', async function (this: LatticeWorld, parentRole: ClusterRole, role: ClusterRole) {
  const ctx = this.run.clusters.require(role);
  const r = await readParentHoldings(this.deps, clientOf(this.run.clusters.require(parentRole)), clientOf(ctx), ctx.name);
  expect(r.held, `${ctx.name}'s Cluster API resources still held by ${r.parent} after the pivot`).to.deep.equal([]);
});

Then('each worker of the {cluster} cluster carries its worker pool\'s label', async function (this: LatticeWorld, role: ClusterRole) {
  const ctx = this.run.clusters.require(role);
  // Judge the nodes the fixture asks for, once they are all there and Ready.
  await waitForExactlyReadyWorkers(clientOf(ctx), expectedWorkers(ctx), { ...this.run.config.waits.workerScaling, signal: this.run.signal });
  const r = await readPoolLabels(clientOf(ctx), ctx.name);
  this.note(`${r.cluster}: pools ${r.pools.join(', ') || 'none'}; workers ${r.workers.join(', ')}`);
  expect(r.pools.length, `worker pools declared by ${r.cluster}`).to.be.greaterThan(0);
  expect(r.problems, `workers of ${r.cluster} without their pool's label`).to.deep.equal([]);
});
