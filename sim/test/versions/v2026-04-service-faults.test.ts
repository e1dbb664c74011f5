/**
 * The seeded 2026-04 service faults (sim/FAULTS.md, "API version 2026-04: services and data plane"),
 * each next to the same scenario without it: what a client sees differs (phase and message, the
 * compiled pod spec, the waypoint, a traffic verdict).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/apiserver/types.js';
import type { FaultName } from '../../src/faults.js';
import { podOf, until, type World } from '../services/world.js';
import { cedarPolicy, container, phaseOf, server, service, startWorld2026_04 } from '../services/world-2026-04.js';

const NS = 'faulty';

/** Runs `scenario` on a fresh 2026-04 cluster with `fault` on (or none) and returns what it observed. */
async function observe<T>(fault: FaultName | undefined, objects: KubeObject[], scenario: (w: World) => Promise<T>): Promise<T> {
  const w = await startWorld2026_04({ namespaces: [NS], faults: fault ? [fault] : [] });
  try {
    for (const o of objects) w.store.create(o);
    return await scenario(w);
  } finally { await w.stop(); }
}

/** The service's phase and message once it has left Pending/Compiling (and its LMM settled). */
async function settled(w: World, name: string) {
  return until(`${NS}/${name} Ready or Failed`, () => {
    const s = phaseOf(w.store, 'LatticeService', NS, name);
    return (s.phase === 'Ready' || s.phase === 'Failed') && s;
  }, 15_000, () => phaseOf(w.store, 'LatticeService', NS, name));
}

const NO_PERMIT = 'no permit policy for this service and resource';

test('wildcard-permit-not-required: a wildcard inbound without AllowWildcard permit is Ready and reachable instead of Failed', async () => {
  const objects = [
    server('public-api', NS, { 'any-caller': { type: 'service', direction: 'inbound', id: '*' } }),
    service('caller', NS, { containers: { main: container() }, resources: { 'public-api': { type: 'service' } } }),
  ];
  const scenario = async (w: World) => {
    const s = await settled(w, 'public-api');
    if (s.phase !== 'Ready') return { ...s, verdict: undefined };
    const caller = await until('caller pod', () => podOf(w.store, NS, 'caller'), 15_000);
    await until('public-api pod', () => podOf(w.store, NS, 'public-api'), 15_000);
    return { ...s, verdict: w.runtime.decideFor(NS, caller.metadata.name, 'public-api', 80).verdict };
  };
  const correct = await observe(undefined, objects, scenario);
  const faulty = await observe('wildcard-permit-not-required', objects, scenario);
  assert.equal(correct.phase, 'Failed');
  assert.match(correct.message ?? '', /^MeshMember failed: Cedar policy denied allows_all \(wildcard inbound\)/);
  assert.deepEqual([faulty.phase, faulty.verdict], ['Ready', 'allowed']);
});

test('external-permit-not-required: an inline external endpoint without AccessExternalEndpoint compiles (ServiceEntry) instead of failing', async () => {
  const objects = [service('fetcher', NS, { containers: { main: container() }, resources: { httpbin: { type: 'external-service', params: { endpoints: { api: 'https://httpbin.org' } } } } })];
  const scenario = async (w: World) => ({ ...(await settled(w, 'fetcher')), entries: w.store.list('networking.istio.io/v1beta1', 'ServiceEntry', { namespace: NS }).items.length });
  const correct = await observe(undefined, objects, scenario);
  const faulty = await observe('external-permit-not-required', objects, scenario);
  assert.deepEqual(correct, { phase: 'Failed', message: `external endpoint access denied: 'httpbin' (httpbin.org:443): ${NO_PERMIT}`, entries: 0 });
  assert.deepEqual([faulty.phase, faulty.entries], ['Ready', 1]);
});

test('security-override-not-gated: a container without command (allowedBinary:*) and running as root is Ready without OverrideSecurity permits', async () => {
  const objects = [service('rooted', NS, { containers: { main: { ...container(), command: undefined, security: { runAsUser: 0 } } } })];
  const correct = await observe(undefined, objects, (w) => settled(w, 'rooted'));
  const faulty = await observe('security-override-not-gated', objects, (w) => settled(w, 'rooted'));
  assert.deepEqual(correct, { phase: 'Failed', message: `security override denied: 'allowedBinary:*' (container 'main'): ${NO_PERMIT}; 'runAsRoot' (container 'main'): ${NO_PERMIT}` });
  assert.equal(faulty.phase, 'Ready');
});

test('allowed-consumers-ignored: a consumer outside the owner\'s allowedConsumers mounts the shared volume instead of "volume access denied"', async () => {
  const mount = { volumes: { '/media': { source: '${resources.media}' } } };
  const objects = [
    service('jellyfin', NS, { containers: { main: container(mount) }, resources: { media: { type: 'volume', id: 'media-storage', params: { size: '1Gi', allowedConsumers: ['sonarr'] } } } }),
    service('plex', NS, { containers: { main: container(mount) }, resources: { media: { type: 'volume', id: 'media-storage' } } }),
  ];
  const correct = await observe(undefined, objects, (w) => settled(w, 'plex'));
  const faulty = await observe('allowed-consumers-ignored', objects, (w) => settled(w, 'plex'));
  assert.deepEqual(correct, { phase: 'Failed', message: `volume access denied: 'media': not in allowedConsumers of volume 'media-storage' owned by '${NS}/jellyfin'` });
  assert.equal(faulty.phase, 'Ready');
});

test('restricted-defaults-missing: the pod spec lacks runAsNonRoot, readOnlyRootFilesystem, drop ALL, seccomp RuntimeDefault, and a root image starts', async () => {
  const objects = [service('rootweb', NS, { containers: { main: { image: 'nginx:alpine', command: ['/docker-entrypoint.sh'], resources: { limits: { cpu: '1', memory: '1Gi' } } } } })];
  const scenario = async (w: World) => {
    await settled(w, 'rootweb');
    const pod = await until('rootweb pod started or refused', () => {
      const p = w.store.list('v1', 'Pod', { namespace: NS, labelSelector: 'app.kubernetes.io/name=rootweb' }).items[0];
      const state = p?.status?.containerStatuses?.[0]?.state;
      return state && (state.running ? 'running' : state.waiting?.reason);
    }, 15_000);
    const spec = w.store.get('apps/v1', 'Deployment', 'rootweb', NS)?.spec.template.spec;
    return { pod, container: spec.containers[0].securityContext, podLevel: spec.securityContext };
  };
  const correct = await observe(undefined, objects, scenario);
  const faulty = await observe('restricted-defaults-missing', objects, scenario);
  const c = correct.container;
  assert.deepEqual([c.runAsNonRoot, c.readOnlyRootFilesystem, c.capabilities.drop, c.seccompProfile.type, c.allowPrivilegeEscalation], [true, true, ['ALL'], 'RuntimeDefault', false]);
  assert.equal(correct.podLevel.runAsNonRoot, true);
  assert.equal(correct.pod, 'CreateContainerConfigError', 'nginx runs as root, which runAsNonRoot forbids');
  assert.deepEqual([faulty.container, faulty.podLevel, faulty.pod], [{}, undefined, 'running']);
});

test('waypoint-missing-with-externals: the namespace has ServiceEntries but no <ns>-waypoint, and the permitted external call is dropped', async () => {
  const objects = [
    cedarPolicy('ext', `permit(principal == Lattice::Service::"${NS}/fetcher", action == Lattice::Action::"AccessExternalEndpoint", resource == Lattice::ExternalEndpoint::"httpbin.org:443");`),
    service('fetcher', NS, { containers: { main: container() }, resources: { httpbin: { type: 'external-service', params: { endpoints: { api: 'https://httpbin.org' } } } } }),
  ];
  const scenario = async (w: World) => {
    const s = await settled(w, 'fetcher');
    const pod = await until('fetcher pod', () => podOf(w.store, NS, 'fetcher'), 15_000);
    const gateway = !!w.store.get('gateway.networking.k8s.io/v1', 'Gateway', `${NS}-waypoint`, NS);
    if (gateway) await until('waypoint pod', () => podOf(w.store, NS, `${NS}-waypoint`), 15_000);
    return { phase: s.phase, gateway, verdict: w.runtime.decideFor(NS, pod.metadata.name, 'httpbin.org', 443, '/get').verdict };
  };
  const correct = await observe(undefined, objects, scenario);
  const faulty = await observe('waypoint-missing-with-externals', objects, scenario);
  assert.deepEqual(correct, { phase: 'Ready', gateway: true, verdict: 'allowed' });
  assert.deepEqual(faulty, { phase: 'Ready', gateway: false, verdict: 'dropped' });
});
