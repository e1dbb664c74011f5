import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FaultName } from '../../src/faults.js';
import { sandboxAvailable } from '../../src/services/index.js';
import { MEDIA_NS, mediaStack } from './fixtures.js';
import { applyAll, execIn, podOf, runningPods, startWorld, until, type World } from './world.js';

const SERVICES = ['jellyfin', 'nzbget', 'sonarr'];

async function mediaWorld(faults: FaultName[] = []): Promise<World> {
  const w = await startWorld({ workers: 2, namespaces: [MEDIA_NS], faults });
  applyAll(w.store, mediaStack());
  await until('media deployments available', () => SERVICES.every((s) => {
    const d = w.store.get('apps/v1', 'Deployment', s, MEDIA_NS);
    return d && d.status?.replicas > 0 && d.status?.availableReplicas >= d.status?.replicas;
  }), 15_000, () => SERVICES.map((s) => w.store.get('apps/v1', 'Deployment', s, MEDIA_NS)?.status));
  return w;
}

/** Step 5 of facts §4.6, through the exec hook: the markers each service sees. */
async function markers(w: World) {
  assert.equal((await execIn(w, MEDIA_NS, 'jellyfin', ['sh', '-c', 'echo jellyfin-marker > /media/.test-marker'])).code, 0);
  assert.equal((await execIn(w, MEDIA_NS, 'nzbget', ['sh', '-c', 'echo nzbget-marker > /downloads/.test-marker'])).code, 0);
  return {
    sonarrTv: (await execIn(w, MEDIA_NS, 'sonarr', ['sh', '-c', 'cat /tv/.test-marker'])).stdout,
    sonarrDownloads: (await execIn(w, MEDIA_NS, 'sonarr', ['sh', '-c', 'cat /downloads/.test-marker'])).stdout,
    jellyfinMedia: (await execIn(w, MEDIA_NS, 'jellyfin', ['sh', '-c', 'cat /media/.test-marker'])).stdout,
  };
}

test('media stack: readiness, PVCs, co-location, shared and private volumes, waypoint, curl through exec', async (t) => {
  const w = await mediaWorld();
  t.after(() => w.stop());
  const pvcs = w.store.list('v1', 'PersistentVolumeClaim', { namespace: MEDIA_NS }).items.map((p) => p.metadata.name).sort();
  assert.deepEqual(pvcs, ['jellyfin-cache', 'jellyfin-config', 'nzbget-config', 'sonarr-config', 'vol-media-storage']);
  const nodes = SERVICES.map((s) => podOf(w.store, MEDIA_NS, s)!.spec.nodeName);
  assert.equal(new Set(nodes).size, 1, `co-located: ${nodes}`);
  await until('media-waypoint available', () => w.store.get('apps/v1', 'Deployment', 'media-waypoint', MEDIA_NS)?.status?.availableReplicas === 1);

  const m = await markers(w);
  assert.match(m.sonarrTv, /jellyfin-marker/);
  assert.match(m.sonarrDownloads, /nzbget-marker/);
  assert.doesNotMatch(m.jellyfinMedia, /nzbget-marker/);
  // Private volumes stay private: sonarr's /config is not jellyfin's.
  await execIn(w, MEDIA_NS, 'jellyfin', ['sh', '-c', 'echo secret > /config/own']);
  assert.notEqual((await execIn(w, MEDIA_NS, 'sonarr', ['sh', '-c', 'cat /config/own'])).code, 0);
  assert.equal((await execIn(w, MEDIA_NS, 'jellyfin', ['sh', '-c', 'cat /config/own'])).stdout.trim(), 'secret');

  const curl = async (from: string, url: string) => (await execIn(w, MEDIA_NS, from, ['sh', '-c', `curl -s -o /dev/null -w '%{http_code}' --connect-timeout 5 ${url} || true`])).stdout.trim();
  assert.equal(await curl('sonarr', 'http://jellyfin:8096/health'), '200');
  assert.equal(await curl('sonarr', 'http://jellyfin:8096/'), '302');
  assert.equal(await curl('sonarr', 'http://nzbget:6789/'), '401', 'NZBGet asks for basic auth: reached, not blocked');
  const auth = Buffer.from('nzbget:tegbzn6789').toString('base64');
  assert.equal(await curl('sonarr', `-H 'Authorization: Basic ${auth}' http://nzbget:6789/`), '200', 'with the image\'s credentials');
  assert.equal(await curl('jellyfin', 'http://sonarr:8989/'), '000', 'jellyfin has no agreement with sonarr');
  assert.equal(await curl('nzbget', 'http://jellyfin.media.svc.cluster.local:8096/health'), '000');

  // Exit codes and stderr come back from the sandbox.
  const r = await execIn(w, MEDIA_NS, 'nzbget', ['sh', '-c', 'echo oops >&2; exit 7']);
  assert.deepEqual([r.code, r.stderr], [7, 'oops\n']);
  await assert.rejects(w.runtime.hooks.podExec({ namespace: MEDIA_NS, pod: 'nope', command: ['true'] }, { stdout: () => undefined, stderr: () => undefined }), (e: { code?: number }) => e.code === 404);
});

test('deleting a pod or its node reschedules it, keeping the shared volume together', async (t) => {
  const w = await mediaWorld();
  t.after(() => w.stop());
  const first = podOf(w.store, MEDIA_NS, 'sonarr')!;
  w.store.delete('v1', 'Pod', first.metadata.name, MEDIA_NS);
  const second = await until('a new sonarr pod', () => { const p = podOf(w.store, MEDIA_NS, 'sonarr'); return p && p.metadata.name !== first.metadata.name && p; });
  assert.equal(second.spec.nodeName, podOf(w.store, MEDIA_NS, 'jellyfin')!.spec.nodeName);
  const node = second.spec.nodeName;
  w.store.delete('v1', 'Node', node);
  await until('all media pods on the other node', () => {
    const pods = SERVICES.map((s) => podOf(w.store, MEDIA_NS, s));
    return pods.every((p) => p && p.spec.nodeName !== node) && pods;
  }, 10_000, () => runningPods(w.store, MEDIA_NS).map((p) => `${p.metadata.name}@${p.spec.nodeName}`));
  // Data written before the move is still there: volumes outlive pods.
  await execIn(w, MEDIA_NS, 'jellyfin', ['sh', '-c', 'echo kept > /media/kept']);
  assert.equal((await execIn(w, MEDIA_NS, 'sonarr', ['cat', '/tv/kept'])).stdout, 'kept\n');
});

test('fault colocation-ignored: references of a shared volume land away from its owner', async (t) => {
  const w = await mediaWorld(['colocation-ignored']);
  t.after(() => w.stop());
  const nodes = SERVICES.map((s) => podOf(w.store, MEDIA_NS, s)!.spec.nodeName);
  assert.ok(new Set(nodes).size > 1, `expected the pods spread over nodes, got ${nodes}`);
});

test('fault shared-volume-not-shared: sonarr does not see what jellyfin and nzbget wrote', async (t) => {
  const w = await mediaWorld(['shared-volume-not-shared']);
  t.after(() => w.stop());
  const m = await markers(w);
  assert.doesNotMatch(m.sonarrTv, /jellyfin-marker/);
  assert.doesNotMatch(m.sonarrDownloads, /nzbget-marker/);
});

test('fault private-volume-shared: jellyfin sees nzbget-marker and another service\'s /config', async (t) => {
  const w = await mediaWorld(['private-volume-shared']);
  t.after(() => w.stop());
  const m = await markers(w);
  assert.match(m.jellyfinMedia, /nzbget-marker/);
  await execIn(w, MEDIA_NS, 'jellyfin', ['sh', '-c', 'echo secret > /config/own']);
  assert.equal((await execIn(w, MEDIA_NS, 'sonarr', ['cat', '/config/own'])).stdout.trim(), 'secret');
});

test('fault pvc-missing: the shared volume claim is never created', async (t) => {
  const w = await mediaWorld(['pvc-missing']);
  t.after(() => w.stop());
  const pvcs = w.store.list('v1', 'PersistentVolumeClaim', { namespace: MEDIA_NS }).items.map((p) => p.metadata.name);
  assert.ok(!pvcs.some((n) => n.startsWith('vol-')), `${pvcs}`);
  assert.ok(pvcs.includes('jellyfin-config'));
});

test('the sandbox is a real mount namespace here (or the documented path rewrite)', async (t) => {
  const w = await mediaWorld();
  t.after(() => w.stop());
  const r = await execIn(w, MEDIA_NS, 'jellyfin', ['sh', '-c', 'test -d /media && test -d /config && echo ok']);
  assert.equal(r.stdout.trim(), 'ok');
  if (sandboxAvailable()) {
    // Inside the sandbox /tmp is the pod's own, not the host's.
    await execIn(w, MEDIA_NS, 'jellyfin', ['sh', '-c', 'echo mine > /tmp/lattice-sim-probe']);
    assert.notEqual((await execIn(w, MEDIA_NS, 'sonarr', ['cat', '/tmp/lattice-sim-probe'])).code, 0);
  }
});

test('fast curl covers the probe subset and hands other options to the real curl', async (t) => {
  const w = await mediaWorld();
  t.after(() => w.stop());
  const sh = async (from: string, cmd: string) => (await execIn(w, MEDIA_NS, from, ['sh', '-c', cmd]));
  assert.equal((await sh('sonarr', "curl -sS -o /dev/null -w '%{http_code}\\n' http://jellyfin:8096/health")).stdout, '200\n');
  assert.equal((await sh('sonarr', 'curl -s http://jellyfin.media.svc.cluster.local:8096/health')).stdout, 'Healthy');
  assert.equal((await sh('sonarr', "curl -s -o /dev/null -w '%{http_code}' -L http://jellyfin:8096/")).stdout, '200', '-L goes to the real curl, which follows the redirect');
  const failed = await sh('sonarr', "curl -sf -o /dev/null -w '%{http_code}' http://jellyfin:8096/nope");
  assert.deepEqual([failed.code, failed.stdout], [22, '404']);
  const dropped = await sh('jellyfin', "curl -sS -o /dev/null -w '%{http_code}' http://sonarr:8989/ping");
  assert.deepEqual([dropped.code, dropped.stdout, dropped.stderr], [52, '000', 'curl: (52) Empty reply from server\n']);
  // A drop holds the connection for a tenth of the connect timeout (simulated time) before closing.
  const t0 = Date.now();
  const held = await sh('jellyfin', "curl -s -o /dev/null -w '%{http_code}' --connect-timeout 4 http://sonarr:8989/ping");
  assert.equal(held.stdout, '000');
  assert.ok(Date.now() - t0 >= 400, `held ${Date.now() - t0} ms`);
});

test('deleting the namespace stops its pods and leaves no compiled object behind', async (t) => {
  const w = await mediaWorld();
  t.after(() => w.stop());
  for (const s of SERVICES) w.store.delete('lattice.dev/v1alpha1', 'LatticeService', s, MEDIA_NS);
  w.store.delete('v1', 'Namespace', MEDIA_NS);
  await until('media gone', () => !w.store.get('v1', 'Namespace', MEDIA_NS) && w.store.list('v1', 'Pod', { namespace: MEDIA_NS }).items.length === 0, 10_000,
    () => [w.store.get('v1', 'Namespace', MEDIA_NS)?.status, w.store.list('v1', 'Pod', { namespace: MEDIA_NS }).items.map((p) => p.metadata.name)]);
  await w.runtime.settled();
  assert.equal(w.store.list('apps/v1', 'Deployment', { namespace: MEDIA_NS }).items.length, 0);
  assert.equal(w.store.list('cilium.io/v2', 'CiliumNetworkPolicy', { namespace: MEDIA_NS }).items.length, 0);
  await assert.rejects(execIn(w, MEDIA_NS, 'sonarr', ['true']));
});
