import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { buildFixedMesh } from '../support/mesh/index.js';
import { renderTruthTableSvg } from '../support/report/truth-table-svg.js';
import { assertEveryConnectionAsAgreed } from '../support/report/violations.js';
import { chooseFixture, clientOf, ensureChild, scaleWorkersOnOwnCopy, waitForExactlyReadyWorkers } from '../support/hierarchy/index.js';
import { isNodeReady, patchLatticeCluster } from '../support/kube/index.js';
import {
  deployMeshAndWait, describeFollowerStats, describeNodes, followMeshLogs, observeTrafficUntilComplete, probeTimingFor, runsVersion, watchRollFailClosed,
  type MeshUnderTest,
} from '../support/traffic/index.js';
import { deleteNamespaceAndWait } from '../support/workloads/namespace.js';
import type { ServiceLogFollower } from '../support/workloads/log-follower.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

Given('the {cluster} cluster is provisioned at the upgrade\'s starting version on the {cluster} cluster from the {string} fixture', async function (this: LatticeWorld, role: ClusterRole, parentRole: ClusterRole, fixture: string) {
  const choice = chooseFixture(this.run.config, this.family, role, fixture);
  await ensureChild(this.deps, { role, parentRole, fixturePath: choice.path, version: this.run.config.upgrade.fromVersion });
});

Given('the fixed mesh runs on the {cluster} cluster', async function (this: LatticeWorld, role: ClusterRole) {
  const client = clientOf(this.run.clusters.require(role));
  const mesh = buildFixedMesh();
  this.cleanup.push(`namespace ${mesh.declarations.namespace} on ${client.name}`, () => deleteNamespaceAndWait(client, mesh.declarations.namespace, this.run.config.waits.deployments));
  const { readyAt } = await deployMeshAndWait({ client, mesh, runId: this.run.config.runId, timing: probeTimingFor(this.run, { watchClosely: true }), pods: this.run.config.waits.meshPods, log: (l) => this.note(l), signal: this.run.signal });
  this.remember('mesh', mesh);
  this.remember('meshReadyAt', readyAt);
});

Given('every agreement of the fixed mesh holds on the {cluster} cluster', async function (this: LatticeWorld, role: ClusterRole) {
  const mesh = this.recall<MeshUnderTest>('mesh');
  // Only cycles that start from now on count: the matrix must hold at this point of the scenario.
  const v = await observeTrafficUntilComplete({ client: clientOf(this.run.clusters.require(role)), mesh, since: new Date(), tailLines: 400, wait: this.run.config.waits.meshVerdicts, log: (l) => this.note(l), signal: this.run.signal });
  this.attachSvg('truth-table.svg', renderTruthTableSvg(v, 'Fixed mesh agreements'));
  assertEveryConnectionAsAgreed(v, 'fixed mesh agreements');
});

Given('the {cluster} cluster is scaled to {int} ready workers', async function (this: LatticeWorld, role: ClusterRole, workers: number) {
  await scaleWorkersOnOwnCopy(this.deps, role, workers);
  await waitForExactlyReadyWorkers(clientOf(this.run.clusters.require(role)), workers, { ...this.run.config.waits.workerScaling, signal: this.run.signal });
});

When('the {cluster} cluster\'s Kubernetes version is raised to the upgrade\'s target version', async function (this: LatticeWorld, role: ClusterRole) {
  const ctx = this.run.clusters.require(role);
  const to = this.run.config.upgrade.toVersion;
  // Follow the probes' logs before the roll starts: an evicted pod's log is gone with it.
  const followed = await followMeshLogs({ client: clientOf(ctx), mesh: this.recall<MeshUnderTest>('mesh'), wait: this.run.config.waits.upgrade, signal: this.run.signal });
  this.cleanup.push(`following the mesh's logs on ${ctx.name}`, () => followed.stop());
  this.remember('meshLogs', followed);
  this.remember('nodesBeforeUpgrade', (await clientOf(ctx).core.listNode({})).items.length);
  this.remember('upgradeStartedAt', new Date());
  this.note(`patching ${ctx.name}'s own LatticeCluster: spec.provider.kubernetes.version ${ctx.version} -> ${to}`);
  try {
    await patchLatticeCluster(clientOf(ctx), ctx.name, { spec: { provider: { kubernetes: { version: to } } } });
  } catch (err) {
    followed.stop();
    throw err;
  }
  ctx.version = to;
});

Then('no forbidden connection gets through while the {cluster} cluster\'s nodes roll to the target version', async function (this: LatticeWorld, role: ClusterRole) {
  const followed = this.recall<ServiceLogFollower>('meshLogs');
  const mesh = this.recall<MeshUnderTest>('mesh');
  const { failClosed, evidenceAfterChange, judgedDuringRoll } = await watchRollFailClosed({
    client: clientOf(this.run.clusters.require(role)), mesh, toVersion: this.run.config.upgrade.toVersion,
    since: this.recall<Date>('upgradeStartedAt'), nodes: this.recall<number>('nodesBeforeUpgrade'), wait: this.run.config.waits.upgrade, log: (l) => this.note(l), followed, signal: this.run.signal,
  }).finally(() => followed.stop());
  const stats = followed.stats();
  this.attachText('fail-closed.txt', `${failClosed.text}\n${describeFollowerStats(stats)}`);
  expect(stats.watchFailed || stats.pods === 0, `the probes' logs were followed through the roll (${describeFollowerStats(stats)})`).to.equal(false);
  expect(evidenceAfterChange, `every probe logged a complete cycle after the version change (${failClosed.text.split('\n')[0]})`).to.equal(true);
  this.note(`probes that completed a cycle while the nodes rolled: ${judgedDuringRoll.join(', ') || 'none'} (of ${mesh.sources.length})`);
  expect(judgedDuringRoll.length, 'probes that completed a cycle while the nodes rolled (a roll no probe cycle overlaps shows nothing of what holds during it)').to.be.greaterThan(0);
  expect(failClosed.violations, failClosed.text).to.deep.equal([]);
});

Then('every node of the {cluster} cluster is Ready at the target version', async function (this: LatticeWorld, role: ClusterRole) {
  const nodes = (await clientOf(this.run.clusters.require(role)).core.listNode({})).items;
  const to = this.run.config.upgrade.toVersion;
  expect(nodes.length, 'nodes').to.be.greaterThan(0);
  expect(nodes.filter((n) => !(isNodeReady(n) && runsVersion(n, to))).map((n) => describeNodes([n])), `nodes not Ready at v${to}`).to.deep.equal([]);
});
