import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import {
  findProxy, makeServiceAccounts, permitAccess, proxiedClient, proxyGet, proxyGetUntil, runMarkerPod,
  ACCOUNTS_NAMESPACE, HOPS_NAMESPACE, type ProxyAnswer,
} from '../support/access/index.js';
import { clientOf } from '../support/hierarchy/index.js';
import { execInPod } from '../support/workloads/exec.js';
import { deleteNamespaceAndWait } from '../support/workloads/namespace.js';
import type { ClusterClient } from '../support/kube/index.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

const mgmtClient = (w: LatticeWorld) => clientOf(w.run.clusters.require('management'));
const wait = (w: LatticeWorld) => ({ ...w.run.config.waits.deployments, signal: w.run.signal });
const tokens = (w: LatticeWorld) => w.recall<Record<string, string>>('proxyTokens');

async function accounts(world: LatticeWorld, names: string[]): Promise<void> {
  const mgmt = mgmtClient(world);
  world.cleanup.push(`namespace ${ACCOUNTS_NAMESPACE} on ${mgmt.name}`, () => deleteNamespaceAndWait(mgmt, ACCOUNTS_NAMESPACE, world.run.config.waits.deployments));
  world.remember('proxyTokens', await makeServiceAccounts(mgmt, names, world.run.config.runId));
}

async function permit(world: LatticeWorld, serviceAccount: string, role: ClusterRole): Promise<void> {
  const cluster = world.run.clusters.require(role).name;
  world.cleanup.push(`AccessCluster permit of ${serviceAccount} for ${cluster}`, await permitAccess(mgmtClient(world), { serviceAccount, cluster, runId: world.run.config.runId }));
  world.remember(`permitted:${serviceAccount}`, cluster);
  world.note(`platform permits system:serviceaccount:${ACCOUNTS_NAMESPACE}:${serviceAccount} to access ${cluster}`);
}

Given('the service accounts {string} and {string} on the management cluster', async function (this: LatticeWorld, a: string, b: string) {
  await accounts(this, [a, b]);
});

Given('the platform permits {string} to access the {cluster} cluster', async function (this: LatticeWorld, sa: string, role: ClusterRole) {
  await permit(this, sa, role);
});

Given('the service account {string} on the management cluster, permitted by the platform to access the {cluster} cluster', async function (this: LatticeWorld, sa: string, role: ClusterRole) {
  await accounts(this, [sa]);
  await permit(this, sa, role);
});

When('each of them asks the management cluster for the {cluster} cluster\'s namespaces', async function (this: LatticeWorld, role: ClusterRole) {
  const base = await findProxy(mgmtClient(this), wait(this));
  const cluster = this.run.clusters.require(role).name;
  const names = Object.keys(tokens(this));
  const permitted = names.filter((n) => this.results.get(`permitted:${n}`) === cluster);
  // Each permitted one is asked until its permit has reached the proxy; the others after that, once.
  const answers: Record<string, ProxyAnswer> = {};
  for (const n of permitted) answers[n] = await proxyGetUntil({ base, token: tokens(this)[n], cluster, path: '/api/v1/namespaces', until: 200, wait: wait(this) });
  for (const n of names.filter((x) => !permitted.includes(x))) answers[n] = await proxyGet(base, tokens(this)[n], cluster, '/api/v1/namespaces');
  for (const [who, a] of Object.entries(answers)) this.note(`${who} -> ${base}/clusters/${cluster}/api/v1/namespaces: HTTP ${a.status}`);
  this.remember('proxyAnswers', answers);
});

Then('{string} is answered 200 OK, with the {cluster} cluster\'s namespaces', function (this: LatticeWorld, sa: string, _role: ClusterRole) {
  const a = this.recall<Record<string, ProxyAnswer>>('proxyAnswers')[sa];
  expect(a.status, `HTTP status for ${sa}`).to.equal(200);
  expect((JSON.parse(a.body) as { kind?: string }).kind, `what ${sa} was answered`).to.equal('NamespaceList');
});

Then('{string} is refused with 403 Forbidden', function (this: LatticeWorld, sa: string) {
  const a = this.recall<Record<string, ProxyAnswer>>('proxyAnswers')[sa];
  expect(a.status, `HTTP status for ${sa} (${a.body.slice(0, 200)})`).to.equal(403);
});

Given('a pod printing a marker runs on the {cluster} cluster', async function (this: LatticeWorld, role: ClusterRole) {
  const client = clientOf(this.run.clusters.require(role));
  const marker = `marker-${this.run.config.runId}`;
  this.cleanup.push(`namespace ${HOPS_NAMESPACE} on ${client.name}`, () => deleteNamespaceAndWait(client, HOPS_NAMESPACE, this.run.config.waits.deployments));
  this.remember('markerPod', { pod: await runMarkerPod(client, { marker, runId: this.run.config.runId, wait: wait(this) }), marker });
});

When('{string} reaches the {cluster} cluster through the management cluster', async function (this: LatticeWorld, sa: string, role: ClusterRole) {
  const base = await findProxy(mgmtClient(this), wait(this));
  const cluster = this.run.clusters.require(role).name;
  await proxyGetUntil({ base, token: tokens(this)[sa], cluster, path: '/api/v1/namespaces', until: 200, wait: wait(this) });
  this.remember('proxied', await proxiedClient({ base, token: tokens(this)[sa], cluster, workDir: this.run.config.workDir, who: sa }));
});

Then('it lists that pod among the {cluster} cluster\'s pods', async function (this: LatticeWorld, _role: ClusterRole) {
  const { pod } = this.recall<{ pod: string }>('markerPod');
  const list = await this.recall<ClusterClient>('proxied').core.listNamespacedPod({ namespace: HOPS_NAMESPACE });
  expect(list.items.map((p) => p.metadata?.name), `pods of ${HOPS_NAMESPACE} listed through the proxy`).to.include(pod);
});

Then('it reads the marker in the pod\'s logs', async function (this: LatticeWorld) {
  const { pod, marker } = this.recall<{ pod: string; marker: string }>('markerPod');
  const log = await this.recall<ClusterClient>('proxied').core.readNamespacedPodLog({ namespace: HOPS_NAMESPACE, name: pod, container: 'main' });
  expect(String(log), `logs of ${pod} read through the proxy`).to.include(marker);
});

Then('a command it runs in the pod answers', async function (this: LatticeWorld) {
  const { pod } = this.recall<{ pod: string }>('markerPod');
  const word = `exec-through-proxy-${this.run.config.runId}`;
  // Bounded like a workload answering (waits.deployments), so fault runs shorten it with the rest.
  const r = await execInPod(this.recall<ClusterClient>('proxied'), { namespace: HOPS_NAMESPACE, pod, container: 'main', command: ['echo', word], timeoutMs: this.run.config.waits.deployments.timeoutMs });
  expect(r.stdout, `output of echo run in ${pod} through the proxy (stderr: ${r.stderr.trim()})`).to.include(word);
});
