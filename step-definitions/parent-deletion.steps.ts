import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { clientOf, type UnpivotReport } from '../support/hierarchy/index.js';
import { deleteOnParentAndWait, deleteWhileChildrenRun, type BlockedDeletion, type ParentDeletionReport } from '../support/hierarchy/delete-from-parent.js';
import { getLatticeCluster } from '../support/kube/index.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

When('the {cluster} cluster is deleted through its own API while the {cluster} cluster still runs on it', async function (this: LatticeWorld, role: ClusterRole, child: ClusterRole) {
  expect(this.run.clusters.require(child).parentRole, `the ${child} cluster's parent`).to.equal(role);
  const blocked = await deleteWhileChildrenRun(this.deps, role);
  this.remember(`blocked:${role}`, blocked);
  // The existing "is unpivoted into ... and removed from it" step reads this once the deletion has gone ahead.
  this.remember(`unpivotPending:${role}`, blocked.completion);
});

Then('the {cluster} cluster says its deletion is blocked by its child {cluster}, and keeps running', async function (this: LatticeWorld, role: ClusterRole, child: ClusterRole) {
  const b = this.recall<BlockedDeletion>(`blocked:${role}`);
  this.note(`${b.cluster}: ${b.message}`);
  expect(b.children, `children named in ${b.cluster}'s status.message`).to.deep.equal([this.run.clusters.require(child).name]);
  expect(b.phase, `phase of ${b.cluster}'s own copy while blocked`).to.equal('Ready');
  const ctx = this.run.clusters.require(role);
  expect((await getLatticeCluster(clientOf(ctx), ctx.name))?.status?.phase, `${ctx.name} still answers and is Ready`).to.equal('Ready');
});

When('the {cluster} cluster is deleted on its parent, the {cluster} cluster', async function (this: LatticeWorld, role: ClusterRole, parent: ClusterRole) {
  expect(this.run.clusters.require(role).parentRole, `the ${role} cluster's parent`).to.equal(parent);
  this.remember(`parentDeletion:${role}`, await deleteOnParentAndWait(this.deps, role));
  // The parent's own deletion, blocked until now, goes ahead: its outcome is judged by the unpivot step.
  const pending = this.results.get(`unpivotPending:${parent}`) as BlockedDeletion['completion'] | undefined;
  if (pending) {
    const r = await pending;
    if (r.error) this.note(`${r.cluster}'s own deletion: ${r.error}`);
    this.remember<UnpivotReport>(`unpivot:${parent}`, r);
  }
});

Then('the {cluster} cluster shows the {cluster} cluster as Deleting', function (this: LatticeWorld, _parent: ClusterRole, role: ClusterRole) {
  const r = this.recall<ParentDeletionReport>(`parentDeletion:${role}`);
  expect(r.parentPhases, `phases of ${r.cluster} on ${r.parent} after the delete`).to.include('Deleting');
});

Then('the {cluster} cluster hands its Cluster API resources back to the {cluster} cluster and is removed from it', function (this: LatticeWorld, role: ClusterRole, _parent: ClusterRole) {
  const r = this.recall<ParentDeletionReport>(`parentDeletion:${role}`);
  this.note(`${r.cluster} on ${r.parent}: phases ${r.parentPhases.join(' → ')}; CAPI Cluster seen back: ${r.capiReturned}; unpivotImportComplete: ${r.importComplete}`);
  expect(r.capiReturned, `a CAPI Cluster of ${r.cluster} came back to ${r.parent}`).to.equal(true);
  expect(r.goneFromParent, `${r.cluster} removed from ${r.parent}`).to.equal(true);
  expect(r.parentStillHoldsCapiCluster, `${r.parent} still holds a CAPI Cluster for ${r.cluster}`).to.equal(false);
});
