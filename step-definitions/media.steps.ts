import { Then, When, type DataTable } from '@cucumber/cucumber';
import { expect } from 'chai';
import { MEDIA_NAMESPACE, MEDIA_SERVICES, MARKER_FILE, type MediaModel } from '../support/media/index.js';
import { clientOf } from '../support/hierarchy/index.js';
import { parseClaimTable } from '../support/tables/claim-table.js';
import { deleteNamespaceAndWait } from '../support/workloads/namespace.js';
import {
  callFrom, deployMediaStack, execInService, listClaims, loadMediaStack, nodesOfServices, waitForMediaAvailable, waitForMediaWaypoint,
} from '../support/workloads/media-stack.js';
import type { ClusterRole } from '../support/run/roles.js';
import type { LatticeWorld } from '../support/cucumber/world.js';

function mediaClient(world: LatticeWorld) { return clientOf(world.run.clusters.require(world.recall<ClusterRole>('mediaCluster'))); }

When('the media services jellyfin, nzbget and sonarr are deployed on the {cluster} cluster', async function (this: LatticeWorld, role: ClusterRole) {
  const client = clientOf(this.run.clusters.require(role));
  const { manifests, model } = loadMediaStack(this.run.config.runId);
  this.cleanup.push(`namespace ${MEDIA_NAMESPACE} on ${client.name}`, () => deleteNamespaceAndWait(client, MEDIA_NAMESPACE, this.run.config.waits.deployments));
  await deployMediaStack(client, manifests, this.run.config.runId, this.cleanup, (l) => this.note(l));
  this.remember('mediaCluster', role);
  this.remember('mediaModel', model);
});

Then('every media service becomes available', async function (this: LatticeWorld) {
  await waitForMediaAvailable(mediaClient(this), MEDIA_SERVICES, this.run.config.waits.deployments);
});

Then('these volume claims exist:', async function (this: LatticeWorld, table: DataTable) {
  const want = parseClaimTable(table.raw());
  const model = this.recall<MediaModel>('mediaModel');
  // The table is the spec; the fixtures must say the same.
  expect(want.map((c) => `${c.claim} ${c.size} ${c.shared}`).sort(), 'claims the media fixtures declare')
    .to.deep.equal(model.volumes.claims.map((c) => `${c.name} ${c.size} ${c.shared}`).sort());
  const seen = await listClaims(mediaClient(this), MEDIA_NAMESPACE);
  this.note(`claims in ${MEDIA_NAMESPACE}: ${seen.map((c) => `${c.name}(${c.size})`).join(', ') || 'none'}`);
  for (const c of want) {
    const claim = seen.find((s) => s.name === c.claim);
    expect(claim, `claim ${c.claim}`).to.not.equal(undefined);
    expect(claim!.size, `size of claim ${c.claim}`).to.equal(c.size);
  }
});

Then('exactly one shared volume claim exists', async function (this: LatticeWorld) {
  const shared = (await listClaims(mediaClient(this), MEDIA_NAMESPACE)).filter((c) => c.name.startsWith('vol-')).map((c) => c.name);
  expect(shared, 'shared (vol-) claims').to.have.lengthOf(1);
});

Then('the media services run on one node', async function (this: LatticeWorld) {
  const nodes = await nodesOfServices(mediaClient(this), MEDIA_NAMESPACE, MEDIA_SERVICES);
  this.note(`nodes: ${Object.entries(nodes).map(([s, n]) => `${s}@${n ?? 'unscheduled'}`).join(', ')}`);
  expect(Object.values(nodes).every((n) => n !== undefined), 'every media pod is scheduled').to.equal(true);
  expect(new Set(Object.values(nodes)).size, `distinct nodes of ${MEDIA_SERVICES.join(', ')}`).to.equal(1);
});

Then('what {word} writes under {string} {word} reads under {string}', async function (this: LatticeWorld, writer: string, writePath: string, reader: string, readPath: string) {
  const client = mediaClient(this);
  const marker = `${writer}-marker-${this.run.config.runId}`;
  const w = await execInService(client, MEDIA_NAMESPACE, writer, `echo '${marker}' > '${writePath}/${MARKER_FILE}'`);
  expect(w.exitCode, `${writer} writing ${writePath}/${MARKER_FILE}: ${w.stderr.trim()}`).to.equal(0);
  this.remember(`marker:${writer}`, marker);
  const r = await execInService(client, MEDIA_NAMESPACE, reader, `cat '${readPath}/${MARKER_FILE}' 2>/dev/null || true`);
  expect(r.stdout, `what ${reader} reads at ${readPath}/${MARKER_FILE}`).to.include(marker);
});

Then('jellyfin does not see what nzbget wrote', async function (this: LatticeWorld) {
  const marker = this.recall<string>('marker:nzbget');
  const r = await execInService(mediaClient(this), MEDIA_NAMESPACE, 'jellyfin', `cat '/media/${MARKER_FILE}' 2>/dev/null || true`);
  expect(r.stdout, `jellyfin's /media/${MARKER_FILE}`).to.not.include(marker);
});

Then('the media namespace\'s waypoint becomes available', async function (this: LatticeWorld) {
  await waitForMediaWaypoint(mediaClient(this), this.recall<MediaModel>('mediaModel'), this.run.config.waits.waypoint);
});

async function assertCall(world: LatticeWorld, source: string, target: string, expected: 'ALLOWED' | 'BLOCKED') {
  const model = world.recall<MediaModel>('mediaModel');
  const check = model.checks.find((c) => c.source === source && c.target === target);
  expect(check, `a ${source} -> ${target} expectation in the media model`).to.not.equal(undefined);
  expect(check!.expected, `what the agreements say of ${source} -> ${target}`).to.equal(expected);
  const got = await callFrom(mediaClient(world), MEDIA_NAMESPACE, source, check!.url);
  world.note(`${source} -> ${check!.url}: HTTP ${got.code} (${got.verdict})`);
  expect(got.verdict, `${source} -> ${target} (HTTP ${got.code})`).to.equal(expected);
}

Then('sonarr may call jellyfin and nzbget', async function (this: LatticeWorld) {
  await assertCall(this, 'sonarr', 'jellyfin', 'ALLOWED');
  await assertCall(this, 'sonarr', 'nzbget', 'ALLOWED');
});

Then('jellyfin may not call sonarr', async function (this: LatticeWorld) {
  await assertCall(this, 'jellyfin', 'sonarr', 'BLOCKED');
});
