import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { apiAnswers, destroyInfrastructure, scaleWorkersOnOwnCopy } from '../support/hierarchy/index.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

When('the {cluster} cluster\'s infrastructure is destroyed', async function (this: LatticeWorld, role: ClusterRole) {
  await destroyInfrastructure(this.deps, role);
});

Then('the {cluster} cluster\'s API no longer answers', async function (this: LatticeWorld, role: ClusterRole) {
  const r = await apiAnswers(this.deps, role);
  this.note(`${role} API: ${r.detail}`);
  expect(r.answers, `the ${role} cluster's API (${r.detail})`).to.equal(false);
});

Then('the {cluster} cluster\'s API still answers', async function (this: LatticeWorld, role: ClusterRole) {
  const r = await apiAnswers(this.deps, role);
  this.note(`${role} API: ${r.detail}`);
  expect(r.answers, `the ${role} cluster's API (${r.detail})`).to.equal(true);
});

When('the {cluster} cluster\'s workers are scaled to {int} on its own copy', async function (this: LatticeWorld, role: ClusterRole, workers: number) {
  await scaleWorkersOnOwnCopy(this.deps, role, workers);
});
