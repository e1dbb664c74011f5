import { Then, When, type DataTable } from '@cucumber/cucumber';
import { expect } from 'chai';
import {
  badSpec, changeParentConfig, createExpectingRefusal, creatableSpec, exists, parentConfigOf, parseAdmissionTable, refusalProblem,
  removeIfPresent, restoreParentConfig, type BadSpec, type Refusal,
} from '../support/admission/index.js';
import { clientOf } from '../support/hierarchy/index.js';
import { getLatticeCluster } from '../support/kube/index.js';
import { deleteNamespaceAndWait, ensureNamespace } from '../support/workloads/namespace.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

const NAMESPACE = 'admission';
interface Tried { spec: BadSpec; says: string; refusal: Refusal | undefined }

When('these specs are created on the {cluster} cluster:', async function (this: LatticeWorld, role: ClusterRole, table: DataTable) {
  const ctx = this.run.clusters.require(role);
  const client = clientOf(ctx);
  const own = await getLatticeCluster(client, ctx.name);
  if (!own) throw new Error(`${ctx.name} has no LatticeCluster of its own to base the bad clusters on`);
  await ensureNamespace(client, NAMESPACE, this.run.config.runId);
  this.cleanup.push(`namespace ${NAMESPACE} on ${client.name}`, () => deleteNamespaceAndWait(client, NAMESPACE, this.run.config.waits.deployments));
  const tried: Tried[] = [];
  for (const [i, row] of parseAdmissionTable(table.raw()).entries()) {
    const spec = badSpec(row.spec, { clusterSpec: creatableSpec(own), namespace: NAMESPACE, runId: this.run.config.runId, index: i + 1 });
    const refusal = await createExpectingRefusal(client, spec);
    if (!refusal) this.cleanup.push(`${spec.kind} ${spec.manifest.metadata.name} let in`, () => removeIfPresent(client, spec));
    this.note(`${row.spec}: ${refusal ? `refused (HTTP ${refusal.status}${refusal.webhook ? `, ${refusal.webhook}` : ''}): ${refusal.message}` : 'ACCEPTED'}`);
    tried.push({ spec, says: row.says, refusal });
  }
  this.remember('admissionTried', tried);
  this.remember('admissionCluster', role);
});

Then('each is refused with Lattice\'s message', function (this: LatticeWorld) {
  const problems = this.recall<Tried[]>('admissionTried').map((t) => refusalProblem(t.spec.words, t.refusal, t.says)).filter((p) => p !== undefined);
  expect(problems, problems.join('\n')).to.deep.equal([]);
});

Then('none of them exists on the {cluster} cluster', async function (this: LatticeWorld, role: ClusterRole) {
  const client = clientOf(this.run.clusters.require(role));
  const present: string[] = [];
  for (const t of this.recall<Tried[]>('admissionTried')) if (await exists(client, t.spec)) present.push(`${t.spec.kind} ${t.spec.manifest.metadata.name} (${t.spec.words})`);
  expect(present, 'refused specs that exist anyway').to.deep.equal([]);
});

When(/^the (management|workload2|workload) cluster's parent configuration is (changed|removed) on its own copy$/, async function (this: LatticeWorld, role: ClusterRole, how: 'changed' | 'removed') {
  const ctx = this.run.clusters.require(role);
  const client = clientOf(ctx);
  if (!this.results.has('parentConfigBefore')) {
    const before = await parentConfigOf(client, ctx.name);
    this.remember('parentConfigBefore', before);
    // A change Lattice let through is put back, so later scenarios find the cluster as it was.
    if (before) this.cleanup.push(`parentConfig of ${ctx.name}`, () => restoreParentConfig(client, ctx.name, before));
  }
  const refusal = await changeParentConfig(client, ctx.name, how);
  this.note(`parentConfig ${how}: ${refusal ? `refused (HTTP ${refusal.status}): ${refusal.message}` : 'ACCEPTED'}`);
  this.remember('parentConfigChange', { how, refusal });
  this.remember('parentConfigCluster', role);
});

Then('the change is refused: {string}', function (this: LatticeWorld, says: string) {
  const { how, refusal } = this.recall<{ how: string; refusal: Refusal | undefined }>('parentConfigChange');
  const problem = refusalProblem(`parentConfig ${how}`, refusal, says);
  expect(problem, problem).to.equal(undefined);
});

Then('the {cluster} cluster\'s parent configuration is as it was', async function (this: LatticeWorld, role: ClusterRole) {
  const ctx = this.run.clusters.require(role);
  expect(await parentConfigOf(clientOf(ctx), ctx.name), `parentConfig of ${ctx.name}`).to.deep.equal(this.recall('parentConfigBefore'));
});
