/**
 * The Cedar gates of a 2026-04 compile, with real CedarPolicy objects in lattice-system and
 * upstream's messages (docs/LATTICE-2026-04.md §5.3): wildcard inbound (AllowWildcard, through the
 * LMM), inline external endpoints (AccessExternalEndpoint), security relaxations (OverrideSecurity,
 * including `allowedBinary:*` for a container without command), shared volumes (owner's
 * allowedConsumers first, Cedar permissive). A denial is `Failed`; a permit added later makes the
 * service Ready (requeue / CedarPolicy watch); withdrawing it fails it again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execIn, podOf, until, type World } from '../services/world.js';
import { API, E2E_BASELINE, cedarPolicy, container, nginxServer, phaseOf, server, service, startWorld2026_04 } from '../services/world-2026-04.js';

const NS = 'gates';
const h = (...parts: string[]) => createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 8);
let w: World;

before(async () => { w = await startWorld2026_04({ namespaces: [NS], workers: 2 }); });
after(async () => { await w?.stop(); });

const svcPhase = (name: string) => phaseOf(w.store, 'LatticeService', NS, name);
const waitPhase = (name: string, phase: string, ms = 15_000) => until(`${NS}/${name} ${phase}`, () => svcPhase(name).phase === phase && svcPhase(name), ms, () => svcPhase(name));
const waitMessage = (name: string, re: RegExp, ms = 15_000) => until(`${NS}/${name} message ${re}`, () => re.test(svcPhase(name).message ?? '') && svcPhase(name), ms, () => svcPhase(name));
const NO_PERMIT = 'no permit policy for this service and resource';

test('wildcard inbound: LMM and service Failed without an AllowWildcard permit; Ready after the permit; Failed again when it is withdrawn', async () => {
  w.store.create(server('public-api', NS, { 'any-caller': { type: 'service', direction: 'inbound', id: '*' } }));
  w.store.create(service('caller', NS, { containers: { main: container() }, resources: { 'public-api': { type: 'service' } } }));
  const denial = `Cedar policy denied allows_all (wildcard inbound) for ${NS}/public-api; add a permit policy for Action::"AllowWildcard" on Mesh::"inbound"`;
  const failed = await waitPhase('public-api', 'Failed');
  assert.equal(failed.message, `MeshMember failed: ${denial}`);
  assert.deepEqual(phaseOf(w.store, 'LatticeMeshMember', NS, 'public-api'), { phase: 'Failed', message: denial });
  assert.deepEqual(w.store.get(API, 'LatticeMeshMember', 'public-api', NS)!.spec.allowedCallers, [{ name: '*' }]);

  const t0 = Date.now();
  w.store.create(cedarPolicy('wildcard-public-api', `permit(principal == Lattice::Service::"${NS}/public-api", action == Lattice::Action::"AllowWildcard", resource == Lattice::Mesh::"inbound");`));
  await waitPhase('public-api', 'Ready');
  const readyAfter = Date.now() - t0;
  await waitPhase('caller', 'Ready');
  const ap = w.store.get('security.istio.io/v1beta1', 'AuthorizationPolicy', `allow-to-${h(NS, 'public-api')}`, NS)!;
  assert.deepEqual(ap.spec.rules[0].from[0].source.principals, [`cluster.local/ns/${NS}/sa/caller`], 'the wildcard admits every caller that depends on it');
  const pod = await until('caller pod', () => podOf(w.store, NS, 'caller'), 15_000);
  await until('public-api pod', () => podOf(w.store, NS, 'public-api'), 15_000);
  assert.equal(w.runtime.decideFor(NS, pod.metadata.name, 'public-api', 80).verdict, 'allowed');

  // The LMM controller does not watch CedarPolicies: the withdrawal is seen on its next requeue (60 s upstream).
  w.store.delete(API, 'CedarPolicy', 'wildcard-public-api', 'lattice-system');
  const again = await waitPhase('public-api', 'Failed', 20_000);
  assert.equal(again.message, `MeshMember failed: ${denial}`);
  // A failed member deletes nothing: the policies it applied while permitted stay (mm/controller.rs:260-272).
  assert.equal(w.runtime.decideFor(NS, pod.metadata.name, 'public-api', 80).verdict, 'allowed');
  assert.ok(readyAfter < 10_000, `Ready ${readyAfter} ms after the permit (a 30 s requeue is 3 s in the target)`);
});

test('external endpoint: Failed without AccessExternalEndpoint; with the permit Ready, se-auto/allow-fqdn/allow-wp-to and the waypoint appear, and the call goes out', async () => {
  const ext = { httpbin: { type: 'external-service', params: { endpoints: { api: 'https://httpbin.org' } } } };
  w.store.create(service('fetcher', NS, { containers: { main: container() }, resources: ext, service: { ports: { http: { port: 8080 } } } }));
  const failed = await waitPhase('fetcher', 'Failed');
  assert.equal(failed.message, `external endpoint access denied: 'httpbin' (httpbin.org:443): ${NO_PERMIT}`);
  assert.equal(w.store.get('apps/v1', 'Deployment', 'fetcher', NS), undefined, 'nothing is compiled before the gate passes');
  assert.equal(w.store.get('gateway.networking.k8s.io/v1', 'Gateway', `${NS}-waypoint`, NS), undefined);

  // Record what the LMM and the service say on the way: the ServiceEntry waits for the waypoint.
  const seen: string[] = [];
  const stop = w.store.watch(API, 'LatticeMeshMember', { namespace: NS }, (e) => {
    if (e.object.metadata.name !== 'fetcher') return;
    const entry = `${e.object.status?.phase}: ${e.object.status?.message}`;
    if (seen.at(-1) !== entry) seen.push(entry);
  });
  w.store.create(cedarPolicy('ext-fetcher', `permit(principal == Lattice::Service::"${NS}/fetcher", action == Lattice::Action::"AccessExternalEndpoint", resource == Lattice::ExternalEndpoint::"httpbin.org:443");`));
  await waitPhase('fetcher', 'Ready');
  stop();
  assert.deepEqual(seen.filter((x) => !x.startsWith('undefined')), ['Progressing: Waiting for waypoint to program ServiceEntries', 'Ready: Policies applied successfully']);
  const se = w.store.get('networking.istio.io/v1beta1', 'ServiceEntry', `se-auto-${h(NS, 'httpbin.org')}`, NS)!;
  assert.deepEqual(se.spec, { hosts: ['httpbin.org'], ports: [{ number: 443, name: 'https-443', protocol: 'HTTPS' }], location: 'MESH_EXTERNAL', resolution: 'DNS' });
  assert.equal(se.metadata.labels?.['istio.io/use-waypoint'], `${NS}-waypoint`);
  assert.ok(w.store.get('security.istio.io/v1beta1', 'AuthorizationPolicy', `allow-fqdn-${h(NS, 'fetcher', 'httpbin.org')}`, NS));
  assert.ok(w.store.get('security.istio.io/v1beta1', 'AuthorizationPolicy', `allow-wp-to-${h(NS, 'fetcher')}`, NS));
  assert.equal(w.store.get('gateway.networking.k8s.io/v1', 'Gateway', `${NS}-waypoint`, NS)?.metadata.labels?.['istio.io/waypoint-for'], 'service');
  assert.ok(w.store.get('security.istio.io/v1beta1', 'AuthorizationPolicy', 'allow-to-waypoint', NS));
  const fetcher = await until('fetcher pod', () => podOf(w.store, NS, 'fetcher'), 15_000);
  await until('waypoint pod', () => podOf(w.store, NS, `${NS}-waypoint`), 15_000);
  const d = w.runtime.decideFor(NS, fetcher.metadata.name, 'httpbin.org', 443, '/status/200');
  assert.equal(d.verdict, 'allowed', d.reason);
  const caller = await until('caller pod', () => podOf(w.store, NS, 'caller'), 15_000);
  assert.equal(w.runtime.decideFor(NS, caller.metadata.name, 'httpbin.org', 443).verdict, 'dropped', 'a service without the endpoint has no FQDN egress');
});

test('security overrides: allowedBinary:* for a container without command, each relaxation named, in upstream text; the e2e baseline permits make it Ready, withdrawing one fails it by its Ready requeue', async () => {
  w.store.create(service('plain', NS, { containers: { main: { ...container(), command: undefined } } }));
  assert.equal((await waitPhase('plain', 'Failed')).message, `security override denied: 'allowedBinary:*' (container 'main'): ${NO_PERMIT}`);
  const fixture = { ...nginxServer(), command: undefined, args: undefined, security: { apparmorProfile: 'Unconfined', allowedBinaries: ['*'], runAsUser: 0 } };
  w.store.create(service('relaxed', NS, { containers: { main: fixture } }, { hostNetwork: true }));
  assert.equal((await waitPhase('relaxed', 'Failed')).message, 'security override denied: '
    + `'hostNetwork': ${NO_PERMIT}; 'runAsRoot' (container 'main'): ${NO_PERMIT}; 'apparmor:Unconfined' (container 'main'): ${NO_PERMIT}; 'allowedBinary:*' (container 'main'): ${NO_PERMIT}`);
  for (const p of E2E_BASELINE) w.store.create(p);
  await waitPhase('plain', 'Ready');
  assert.equal((await waitMessage('relaxed', /^security override denied: 'hostNetwork'/)).message,
    `security override denied: 'hostNetwork': ${NO_PERMIT}; 'runAsRoot' (container 'main'): ${NO_PERMIT}`, 'the baseline permits cover allowedBinary:* and apparmor:Unconfined');
  const d = w.store.get('apps/v1', 'Deployment', 'plain', NS);
  assert.ok(d, 'compiled once permitted');
  const t0 = Date.now();
  w.store.delete(API, 'CedarPolicy', E2E_BASELINE[0].metadata.name, 'lattice-system');
  await waitPhase('plain', 'Failed');
  // The CedarPolicy watch re-runs every service at once (controller_runner.rs:572-579) but races the
  // engine's reload (main.rs:581-640); the Ready requeue (60 s: 6 s in the target) catches it at the latest.
  assert.ok(Date.now() - t0 < 6_000 + 1_000, `Failed ${Date.now() - t0} ms after the permit was withdrawn`);
  w.store.create(E2E_BASELINE[0]);
  await waitPhase('plain', 'Ready');
});

test('shared volume: a consumer outside allowedConsumers fails with "volume access denied", a listed one gets podAffinity to the owner label; the volume check comes before security', async () => {
  const owner = service('jellyfin', NS, {
    containers: { main: container({ volumes: { '/media': { source: '${resources.media}' } } }) },
    resources: { media: { type: 'volume', id: 'media-storage', params: { size: '1Gi', allowedConsumers: ['sonarr'] } } },
  });
  const consumer = (name: string, extra: Record<string, unknown> = {}) => service(name, NS, {
    containers: { main: container({ volumes: { '/media': { source: '${resources.media}' } }, ...extra }) },
    resources: { media: { type: 'volume', id: 'media-storage' } },
  });
  w.store.create(owner);
  w.store.create(consumer('sonarr'));
  w.store.create(consumer('plex', { security: { runAsUser: 0 } })); // also a relaxation without permit
  await waitPhase('jellyfin', 'Ready');
  await waitPhase('sonarr', 'Ready');
  const plex = await waitPhase('plex', 'Failed');
  assert.equal(plex.message, `volume access denied: 'media': not in allowedConsumers of volume 'media-storage' owned by '${NS}/jellyfin'`);
  const jd = w.store.get('apps/v1', 'Deployment', 'jellyfin', NS)!;
  assert.equal(jd.spec.template.metadata.labels['lattice.io/vol-media-storage'], 'true');
  assert.deepEqual(w.store.get('v1', 'PersistentVolumeClaim', 'vol-media-storage', NS)?.metadata.ownerReferences?.map((r) => r.name), ['jellyfin']);
  const sd = w.store.get('apps/v1', 'Deployment', 'sonarr', NS)!;
  assert.deepEqual(sd.spec.template.spec.affinity, { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'lattice.io/vol-media-storage': 'true' } }, topologyKey: 'kubernetes.io/hostname' }] } });
  assert.deepEqual(sd.spec.template.spec.volumes, [{ name: 'media', persistentVolumeClaim: { claimName: 'vol-media-storage' } }]);

  // Owner consent is the deciding check: adding plex to allowedConsumers (not a permit) opens it.
  const cur = w.store.get(API, 'LatticeService', 'jellyfin', NS)!;
  cur.spec.workload.resources.media.params.allowedConsumers = ['sonarr', 'plex'];
  w.store.update(cur);
  assert.equal((await waitMessage('plex', /^security/)).message, `security override denied: 'runAsRoot' (container 'main'): ${NO_PERMIT}`);
  w.store.create(cedarPolicy('plex-root', `permit(principal == Lattice::Service::"${NS}/plex", action == Lattice::Action::"OverrideSecurity", resource == Lattice::SecurityOverride::"runAsRoot");`));
  await waitPhase('plex', 'Ready');
  const pd = w.store.get('apps/v1', 'Deployment', 'plex', NS)!.spec.template.spec;
  assert.deepEqual([pd.securityContext.runAsNonRoot, pd.securityContext.fsGroup, pd.containers[0].securityContext.runAsNonRoot], [false, 0, false], 'a root container turns the pod defaults (pod_template.rs:478-505)');
  w.store.create(cedarPolicy('no-volumes-for-plex', `forbid(principal == Lattice::Service::"${NS}/plex", action == Lattice::Action::"AccessVolume", resource);`));
  assert.equal((await waitMessage('plex', /^volume/)).message, `volume access denied: 'media' (volume 'media-storage'): access explicitly forbidden by policy`);
});

test('shared volume data plane: the allowed consumer runs on the owner\'s node and reads what the owner wrote', async () => {
  const owner = await until('jellyfin pod', () => podOf(w.store, NS, 'jellyfin'), 15_000);
  const sonarr = await until('sonarr pod', () => podOf(w.store, NS, 'sonarr'), 15_000);
  assert.equal(sonarr.spec.nodeName, owner.spec.nodeName);
  const wrote = await execIn(w, NS, 'jellyfin', ['/bin/sh', '-c', 'echo shared-by-jellyfin > /media/probe.txt']);
  assert.equal(wrote.code, 0, wrote.stderr);
  const read = await execIn(w, NS, 'sonarr', ['/bin/sh', '-c', 'cat /media/probe.txt']);
  assert.equal(read.stdout, 'shared-by-jellyfin\n');
});

test('imagePullSecrets: an ImageProvider that does not exist in lattice-system fails the compile with upstream\'s text; once it exists (with credentials) the pod references <svc>-<provider>-credentials', async () => {
  w.store.create(service('pulled', NS, { containers: { main: container() } }, { imagePullSecrets: ['default'] }));
  assert.equal((await waitPhase('pulled', 'Failed')).message, "resource 'default': imagePullSecrets references ImageProvider 'default' which was not found");
  w.store.create({
    apiVersion: API, kind: 'ImageProvider', metadata: { name: 'default', namespace: 'lattice-system' },
    spec: { type: 'generic', registry: 'ghcr.io', credentials: { id: 'image-registry-credentials', provider: 'lattice-local' } },
  });
  await waitPhase('pulled', 'Ready'); // the 30 s requeue (3 s here): ImageProviders are not watched
  assert.deepEqual(w.store.get('apps/v1', 'Deployment', 'pulled', NS)!.spec.template.spec.imagePullSecrets, [{ name: 'pulled-default-credentials' }]);
});
