import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { deleteOnParentAndWait, deleteWhileChildrenRun, type BlockedDeletion, type RemovalReport } from '../support/hierarchy/delete-from-parent.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

When('the {cluster} cluster is deleted on its parent, the {cluster} cluster', async function (this: LatticeWorld, role: ClusterRole, parent: ClusterRole) {
  expect(this.run.clusters.require(role).parentRole, `the ${role} cluster's parent`).to.equal(parent);
  this.remember(`removal:${role}`, await deleteOnParentAndWait(this.deps, role));
});

Then('the {cluster} cluster shows the {cluster} cluster as Deleting', function (this: LatticeWorld, _parent: ClusterRole, role: ClusterRole) {
  const r = this.recall<RemovalReport>(`removal:${role}`);
  expect(r.parentPhases, `phases of ${r.cluster} on ${r.parent} after the delete`).to.include('Deleting');
});

Then('the {cluster} cluster hands its Cluster API resources back to the {cluster} cluster and is removed from it', function (this: LatticeWorld, role: ClusterRole, _parent: ClusterRole) {
  assertRemoved(this, this.recall<RemovalReport>(`removal:${role}`));
});

When('the {cluster} cluster is deleted through its own API while the {cluster} cluster still runs on it', async function (this: LatticeWorld, role: ClusterRole, child: ClusterRole) {
  expect(this.run.clusters.require(child).parentRole, `the ${child} cluster's parent`).to.equal(role);
  const blocked = await deleteWhileChildrenRun(this.deps, role);
  blocked.removal.catch(() => undefined); // judged by a later step
  this.remember(`blocked:${role}`, blocked);
});

Then('the {cluster} cluster says its deletion is blocked by its child {cluster}', function (this: LatticeWorld, role: ClusterRole, child: ClusterRole) {
  const b = this.recall<BlockedDeletion>(`blocked:${role}`);
  this.note(`${b.cluster}: phase ${b.phase}: ${b.message}`);
  expect(b.children, `children named in ${b.cluster}'s status.message`).to.deep.equal([this.run.clusters.require(child).name]);
  expect(b.phase, `phase of ${b.cluster}'s own copy while blocked (unchanged)`).to.equal('Ready');
});

Then('the management cluster takes the {cluster} cluster\'s Cluster API resources back and removes it all the same', async function (this: LatticeWorld, role: ClusterRole) {
  assertRemoved(this, await this.recall<BlockedDeletion>(`blocked:${role}`).removal);
});

function assertRemoved(world: LatticeWorld, r: RemovalReport): void {
  world.note(`${r.cluster} on ${r.parent}: phases ${r.parentPhases.join(' → ')}; CAPI Cluster seen back: ${r.capiReturned}; unpivotImportComplete: ${r.importComplete}`);
  expect(r.capiReturned, `a CAPI Cluster of ${r.cluster} came back to ${r.parent}`).to.equal(true);
  expect(r.goneFromParent, `${r.cluster} removed from ${r.parent}`).to.equal(true);
  expect(r.parentStillHoldsCapiCluster, `${r.parent} still holds a CAPI Cluster for ${r.cluster}`).to.equal(false);
}
