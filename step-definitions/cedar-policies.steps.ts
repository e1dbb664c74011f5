import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { applyObject, asYaml, deleteObject, deployServices, describeVerdict, waitForServiceVerdict } from '../support/gates/index.js';
import { clientOf } from '../support/hierarchy/index.js';
import { ACCOUNTS_NAMESPACE, findProxy, makeServiceAccounts, permitAccess, proxyGetUntil } from '../support/access/index.js';
import { fetchProxyKubeconfig, policyCase, type PolicyCase, type ProxyKubeconfig } from '../support/policies/index.js';
import { deleteNamespaceAndWait, ensureNamespace } from '../support/workloads/namespace.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

const caseOf = (w: LatticeWorld) => w.recall<PolicyCase>('policyCase');
const clientOfCase = (w: LatticeWorld) => clientOf(w.run.clusters.require(w.recall<ClusterRole>('policyCluster')));
const wait = (w: LatticeWorld) => ({ ...w.run.config.waits.deployments, signal: w.run.signal });

Given('the platform permits {word} and {word} to accept calls from any caller in the {string} namespace, and forbids it to {word}', function (this: LatticeWorld, subject: string, control: string, ns: string, forbidden: string) {
  if (forbidden !== subject) throw new Error(`the forbidden service ${forbidden} must be the first one named (${subject})`);
  this.remember('policyCase', policyCase('forbid', { namespace: ns, subject, control, runId: this.run.config.runId }));
});

Given('the platform permits {word} to accept calls from any caller in the {string} namespace, and a permit for {word} is written in the {string} namespace', function (this: LatticeWorld, control: string, ns: string, subject: string, elsewhere: string) {
  this.remember('policyCase', policyCase('elsewhere', { namespace: ns, subject, control, runId: this.run.config.runId, elsewhereNamespace: elsewhere }));
});

When('the platform\'s policies are written on the {cluster} cluster', async function (this: LatticeWorld, role: ClusterRole) {
  const c = caseOf(this);
  const client = clientOf(this.run.clusters.require(role));
  this.remember('policyCluster', role);
  for (const ns of new Set([c.namespace, ...c.policies.map((p) => p.metadata.namespace)])) {
    if (ns === 'lattice-system') continue;
    await ensureNamespace(client, ns, this.run.config.runId);
    this.cleanup.push(`namespace ${ns} on ${client.name}`, () => deleteNamespaceAndWait(client, ns, this.run.config.waits.deployments));
  }
  for (const p of c.policies) {
    this.cleanup.push(`CedarPolicy ${p.metadata.namespace}/${p.metadata.name} on ${client.name}`, () => deleteObject(client, p));
    await applyObject(client, p);
  }
  this.attachText('1-policies.yaml', c.policies.map(asYaml).join('---\n'));
});

When('{word} is deployed and becomes Ready', async function (this: LatticeWorld, name: string) {
  const c = caseOf(this);
  if (name !== c.control) throw new Error(`${name} is not the control service of this scenario (${c.control})`);
  await deployServices(clientOfCase(this), c.namespace, [c.controlService], this.run.config.runId);
  const v = await waitForServiceVerdict(clientOfCase(this), { namespace: c.namespace, name, phase: 'Ready', wait: wait(this) });
  this.note(`${name}: ${describeVerdict(v)}`);
});

When('{word} is deployed', async function (this: LatticeWorld, name: string) {
  const c = caseOf(this);
  if (name !== c.subject) throw new Error(`${name} is not the service this scenario judges (${c.subject})`);
  await deployServices(clientOfCase(this), c.namespace, [c.subjectService], this.run.config.runId);
});

Then('{word} is held Failed with Lattice\'s message:', async function (this: LatticeWorld, name: string, message: string) {
  const c = caseOf(this);
  // Ready is the policy counting where it must not: stop at once.
  const v = await waitForServiceVerdict(clientOfCase(this), { namespace: c.namespace, name, phase: 'Failed', unlessPhase: 'Ready', wait: wait(this) });
  this.attachText('2-verdict.txt', describeVerdict(v));
  expect(v.message, `status.message of ${c.namespace}/${name}`).to.equal(message.trim());
});

const mgmtClient = (w: LatticeWorld) => clientOf(w.run.clusters.require('management'));

Given('the service account {string} on the management cluster, whom the platform permits to access the {cluster} cluster only', async function (this: LatticeWorld, sa: string, role: ClusterRole) {
  const mgmt = mgmtClient(this);
  const cluster = this.run.clusters.require(role).name;
  this.cleanup.push(`namespace ${ACCOUNTS_NAMESPACE} on ${mgmt.name}`, () => deleteNamespaceAndWait(mgmt, ACCOUNTS_NAMESPACE, this.run.config.waits.deployments));
  const token = (await makeServiceAccounts(mgmt, [sa], this.run.config.runId))[sa]!;
  this.cleanup.push(`AccessCluster permit of ${sa} for ${cluster}`, await permitAccess(mgmt, { serviceAccount: sa, cluster, runId: this.run.config.runId }));
  this.remember('kubeconfigReader', { sa, token, cluster });
});

When('{string} asks the management cluster\'s access point for its kubeconfig, once it reaches the {cluster} cluster', async function (this: LatticeWorld, sa: string, role: ClusterRole) {
  const r = this.recall<{ sa: string; token: string; cluster: string }>('kubeconfigReader');
  if (r.sa !== sa) throw new Error(`no service account ${sa} in this scenario (${r.sa})`);
  const base = await findProxy(mgmtClient(this), wait(this));
  // Its permit has reached the access point once the cluster answers it.
  await proxyGetUntil({ base, token: r.token, cluster: this.run.clusters.require(role).name, path: '/api/v1/namespaces', until: 200, wait: wait(this) });
  const k = await fetchProxyKubeconfig(base, r.token);
  this.note(`${sa} -> ${base}/kubeconfig?format=sa: HTTP ${k.status}, clusters ${k.clusters.join(', ') || 'none'}`);
  this.remember('proxyKubeconfig', k);
});

Then('that kubeconfig lists the {cluster} cluster and no other cluster', function (this: LatticeWorld, role: ClusterRole) {
  const k = this.recall<ProxyKubeconfig>('proxyKubeconfig');
  expect(k.status, `HTTP status of /kubeconfig (${k.body.slice(0, 200)})`).to.equal(200);
  expect(k.clusters, 'clusters of the kubeconfig').to.deep.equal([this.run.clusters.require(role).name]);
});
