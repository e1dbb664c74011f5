import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import {
  anyCallerGate, applyObject, asYaml, callOnce, callUntilAllowed, containerSecurity, deleteObject, deployServices, describeVerdict,
  externalEndpointGate, patchObject, plainService, podsOfService, relaxationInEffect, renderGateRecord, restrictedDefaultsProblems,
  securityGate, sharedVolumeGate, waitForServicePodSpecs, waitForServicePods, waitForServiceVerdict, writeThenRead, CONTAINER, SHARED_MOUNT,
  type GateCase, type GateRecord,
} from '../support/gates/index.js';
import { clientOf } from '../support/hierarchy/index.js';
import { deleteNamespaceAndWait } from '../support/workloads/namespace.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

const gateOf = (w: LatticeWorld) => w.recall<GateCase>('gate');
const recordOf = (w: LatticeWorld) => w.recall<GateRecord>('gateRecord');
const gateClient = (w: LatticeWorld) => clientOf(w.run.clusters.require(w.recall<ClusterRole>('gateCluster')));
const gateWait = (w: LatticeWorld) => ({ ...w.run.config.waits.deployments, signal: w.run.signal });

function startGate(world: LatticeWorld, gate: GateCase): void {
  world.remember('gate', gate);
  world.remember<GateRecord>('gateRecord', { title: gate.title, request: gate.services.map(asYaml).join('---\n') });
}

async function deployGate(world: LatticeWorld, role: ClusterRole, gate: GateCase): Promise<void> {
  const client = clientOf(world.run.clusters.require(role));
  world.remember('gateCluster', role);
  world.cleanup.push(`namespace ${gate.namespace} on ${client.name}`, () => deleteNamespaceAndWait(client, gate.namespace, world.run.config.waits.deployments));
  await deployServices(client, gate.namespace, gate.services, world.run.config.runId);
  world.attachText('1-request.yaml', recordOf(world).request);
}

When('the service {word}, which asks for no exception, is deployed in the {string} namespace of the {cluster} cluster', async function (this: LatticeWorld, name: string, ns: string, role: ClusterRole) {
  const svc = plainService(ns, name, this.run.config.runId);
  startGate(this, { title: `${name} asks for no exception`, namespace: ns, subject: name, services: [svc], consent: { by: 'owner', owner: name, grant: {}, revoke: {} } });
  await deployGate(this, role, gateOf(this));
});

Given('{word} asks to accept calls from any caller, and {word} calls it, in the {string} namespace', function (this: LatticeWorld, subject: string, caller: string, ns: string) {
  startGate(this, anyCallerGate(ns, subject, caller, this.run.config.runId));
});

Given(/^(\S+) asks to call (https?:\/\/[^\s,]+), in the "([^"]+)" namespace$/, function (this: LatticeWorld, subject: string, url: string, ns: string) {
  startGate(this, externalEndpointGate(ns, subject, url, this.run.config.runId));
});

Given(/^(\S+) asks to (run as root|add the [A-Z_]+ capability), in the "([^"]+)" namespace$/, function (this: LatticeWorld, subject: string, relaxation: string, ns: string) {
  startGate(this, securityGate(ns, subject, relaxation, this.run.config.runId));
});

Given('{word} owns the shared volume {string}, and {word} asks to mount it, in the {string} namespace', function (this: LatticeWorld, owner: string, volume: string, consumer: string, ns: string) {
  startGate(this, sharedVolumeGate(ns, owner, volume, consumer, this.run.config.runId));
});

When('they are deployed on the {cluster} cluster', async function (this: LatticeWorld, role: ClusterRole) {
  await deployGate(this, role, gateOf(this));
});

Then('{word} is Failed with Lattice\'s message:', async function (this: LatticeWorld, name: string, message: string) {
  const gate = gateOf(this);
  // Ready without consent is the gate opening by itself: stop at once.
  const v = await waitForServiceVerdict(gateClient(this), { namespace: gate.namespace, name, phase: 'Failed', unlessPhase: 'Ready', wait: gateWait(this) });
  recordOf(this).without = v;
  this.attachText('2-verdict-without-consent.txt', describeVerdict(v));
  expect(v.message, `status.message of ${gate.namespace}/${name}`).to.equal(message.trim());
});

Then('{word} cannot reach {word}', async function (this: LatticeWorld, source: string, target: string) {
  const gate = gateOf(this);
  await waitForServicePods(gateClient(this), gate.namespace, source, gateWait(this));
  const r = await callOnce(gateClient(this), gate.namespace, source, `http://${target}.${gate.namespace}.svc.cluster.local/`);
  this.note(`${source} -> ${target}: HTTP ${r.code}`);
  expect(r.verdict, `${source} -> ${target} without consent (HTTP ${r.code})`).to.equal('BLOCKED');
});

Then('{word} reaches {word}', async function (this: LatticeWorld, source: string, target: string) {
  const gate = gateOf(this);
  const url = /^https?:\/\//.test(target) ? `${target.replace(/\/$/, '')}/status/200` : `http://${target}.${gate.namespace}.svc.cluster.local/`;
  await waitForServicePods(gateClient(this), gate.namespace, source, gateWait(this));
  this.note(`${source} -> ${url}: HTTP ${await callUntilAllowed(gateClient(this), { namespace: gate.namespace, source, url, wait: gateWait(this) })}`);
});

Then('no pod of {word} runs', async function (this: LatticeWorld, name: string) {
  const pods = await podsOfService(gateClient(this), gateOf(this).namespace, name);
  expect(pods.map((p) => p.metadata?.name), `pods of ${name} while it is Failed`).to.deep.equal([]);
});

When('the platform permits the exception', async function (this: LatticeWorld) {
  const consent = gateOf(this).consent;
  if (consent.by !== 'platform') throw new Error('this gate opens by its owner\'s consent, not a platform permit');
  const client = gateClient(this);
  this.cleanup.push(`CedarPolicy ${consent.permit.metadata.name} on ${client.name}`, () => deleteObject(client, consent.permit));
  await applyObject(client, consent.permit);
  recordOf(this).consent = asYaml(consent.permit);
  this.attachText('3-permit.yaml', recordOf(this).consent!);
});

When('the platform withdraws the permit', async function (this: LatticeWorld) {
  const consent = gateOf(this).consent;
  if (consent.by !== 'platform') throw new Error('this gate has no platform permit to withdraw');
  await deleteObject(gateClient(this), consent.permit);
});

When(/^(\S+) (adds|takes) (\S+) (?:to|off) the volume's allowed consumers$/, async function (this: LatticeWorld, owner: string, change: string, consumer: string) {
  const gate = gateOf(this);
  if (gate.consent.by !== 'owner' || gate.consent.owner !== owner) throw new Error(`${owner} does not own the volume of this scenario`);
  const body = change === 'adds' ? gate.consent.grant : gate.consent.revoke;
  await patchObject(gateClient(this), { kind: 'LatticeService', metadata: { name: owner, namespace: gate.namespace, labels: {} } }, body);
  if (change === 'adds') this.attachText('3-owner-consent.yaml', (recordOf(this).consent = `${owner} (merge patch):\n${asYaml(body)}`));
  this.note(`${owner}: ${change === 'adds' ? 'allows' : 'no longer allows'} ${consumer}`);
});

Then('{word} becomes Ready', async function (this: LatticeWorld, name: string) {
  const v = await waitForServiceVerdict(gateClient(this), { namespace: gateOf(this).namespace, name, phase: 'Ready', wait: gateWait(this) });
  recordOf(this).withConsent = v;
  this.attachText('4-verdict-with-consent.txt', describeVerdict(v));
});

Then('every container of {word} runs as a non-root user, with a read-only root filesystem and all capabilities dropped', async function (this: LatticeWorld, name: string) {
  const pods = await waitForServicePodSpecs(gateClient(this), gateOf(this).namespace, name, gateWait(this));
  const problems = pods.flatMap(containerSecurity).flatMap(restrictedDefaultsProblems);
  expect(problems, `departures from the restricted defaults in ${name}'s pods`).to.deep.equal([]);
});

Then(/^the pods of (\S+) (run as root|run with [A-Z_]+ added)$/, async function (this: LatticeWorld, name: string, effect: string) {
  const pods = await waitForServicePodSpecs(gateClient(this), gateOf(this).namespace, name, gateWait(this));
  const mains = pods.flatMap(containerSecurity).filter((c) => c.container === CONTAINER);
  expect(mains.length, `containers named ${CONTAINER} in ${name}'s pods`).to.be.greaterThan(0);
  for (const s of mains) {
    const r = relaxationInEffect(s, effect);
    expect(r.holds, `${name} should ${effect}; ${r.seen}`).to.equal(true);
  }
});

Then('what {word} writes to the shared volume {word} reads', async function (this: LatticeWorld, writer: string, reader: string) {
  const gate = gateOf(this);
  for (const s of [writer, reader]) await waitForServicePods(gateClient(this), gate.namespace, s, gateWait(this));
  const marker = `${writer}-wrote-${this.run.config.runId}`;
  const r = await writeThenRead(gateClient(this), { namespace: gate.namespace, writer, reader, path: `${SHARED_MOUNT}/marker`, marker });
  expect(r.written, `${writer} writing ${SHARED_MOUNT}/marker`).to.equal(0);
  expect(r.read, `what ${reader} reads at ${SHARED_MOUNT}/marker`).to.equal(marker);
});

Then('{word} is Failed again with the same message', async function (this: LatticeWorld, name: string) {
  const record = recordOf(this);
  const v = await waitForServiceVerdict(gateClient(this), { namespace: gateOf(this).namespace, name, phase: 'Failed', wait: gateWait(this) });
  record.withdrawn = v;
  this.attachText('5-gate-record.txt', renderGateRecord(record));
  expect(v.message, `status.message of ${name} once consent is withdrawn`).to.equal(record.without?.message);
});
