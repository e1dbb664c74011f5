/**
 * A 2026-04 cluster compiles LatticeServices as b5d50e90: Compiling, then Ready with
 * observedGeneration once the LatticeMeshMember `<svc>` is Ready; the Deployment's pod template
 * carries the PSS restricted defaults (pod_template.rs:411-505) and is owned by the service; the
 * LMM carries callers, dependencies and ports (compiler.rs:765-868); the policies have hashed names
 * (first 8 hex of SHA-256 of the parts joined by `/`), are found by owner reference and selector,
 * and no waypoint exists without ServiceEntries. Traffic follows the bilateral agreement through
 * ztunnel; unprivileged nginx answers on 8080.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../src/apiserver/types.js';
import { execIn, podOf, until, type World } from '../services/world.js';
import { API, container, phaseOf, server, service, startWorld2026_04 } from '../services/world-2026-04.js';

const NS = 'shop';
const h = (...parts: string[]) => createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 8);
let w: World;

before(async () => {
  w = await startWorld2026_04({ namespaces: [NS] });
  w.store.create(server('api', NS, { web: { type: 'service', direction: 'inbound' } }));
  w.store.create(service('web', NS, { containers: { main: container() }, resources: { api: { type: 'service' } } }));
  w.store.create(service('stranger', NS, { containers: { main: container() }, resources: { api: { type: 'service' } } }));
  for (const s of ['api', 'web', 'stranger']) await until(`${s} Ready`, () => phaseOf(w.store, 'LatticeService', NS, s).phase === 'Ready', 15_000, () => phaseOf(w.store, 'LatticeService', NS, s));
});
after(async () => { await w?.stop(); });

test('status: Ready with message, condition and observedGeneration (service/controller.rs:1364-1386)', () => {
  const ls = w.store.get(API, 'LatticeService', 'api', NS)!;
  assert.equal(ls.status.message, 'Service is operational');
  assert.equal(ls.status.observedGeneration, ls.metadata.generation);
  const ready = ls.status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.deepEqual([ready.status, ready.reason], ['True', 'ServiceReady']);
});

test('Deployment <svc>: restricted defaults in the pod spec, emptyDirs for mounts without source, owned by the LatticeService', () => {
  const d = w.store.get('apps/v1', 'Deployment', 'api', NS)!;
  const ls = w.store.get(API, 'LatticeService', 'api', NS)!;
  assert.deepEqual(d.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['LatticeService', 'api', ls.metadata.uid, true]]);
  assert.equal(d.spec.replicas, 1);
  const pod = d.spec.template.spec;
  assert.deepEqual(pod.securityContext, { runAsNonRoot: true, fsGroup: 65534, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } });
  assert.equal(pod.automountServiceAccountToken, false);
  const c = pod.containers[0];
  assert.deepEqual(c.securityContext, {
    capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false,
    seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'RuntimeDefault' },
  });
  assert.deepEqual(c.resources, { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
  assert.deepEqual(c.ports, [{ name: 'http', containerPort: 8080 }]);
  assert.deepEqual(pod.volumes.map((v: { name: string }) => v.name).sort(), ['emptydir-etc-nginx-conf-d', 'emptydir-tmp', 'emptydir-var-cache-nginx', 'emptydir-var-run']);
  assert.deepEqual(d.spec.template.metadata.labels, { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/managed-by': 'lattice' });
});

test('LatticeMeshMember <svc>: selector, ports (targetPort, servicePort), callers and dependencies; Ready', () => {
  const api = w.store.get(API, 'LatticeMeshMember', 'api', NS)!;
  assert.deepEqual(api.spec.target, { selector: { 'app.kubernetes.io/name': 'api' } });
  assert.deepEqual(api.spec.ports, [{ port: 8080, servicePort: 80, name: 'http', peerAuth: 'Strict' }]);
  assert.deepEqual(api.spec.allowedCallers, [{ name: 'web' }]);
  assert.deepEqual(w.store.get(API, 'LatticeMeshMember', 'web', NS)!.spec.dependencies, [{ name: 'api' }]);
  assert.equal(api.status.phase, 'Ready');
  assert.equal(api.status.message, 'Policies applied successfully');
  assert.equal(api.metadata.ownerReferences?.[0]?.kind, 'LatticeService');
});

test('hashed policies: cnp-mesh-<h(ns/svc)> by selector, allow-to-<h(ns/svc)> owned by the LMM with the agreed caller only; no waypoint', () => {
  const cnps = w.store.list('cilium.io/v2', 'CiliumNetworkPolicy', { namespace: NS }).items;
  const cnp = cnps.find((p) => p.spec.endpointSelector.matchLabels['k8s:app.kubernetes.io/name'] === 'api');
  assert.equal(cnp?.metadata.name, `cnp-mesh-${h(NS, 'api')}`);
  assert.equal(cnp?.metadata.labels?.['app.kubernetes.io/name'], cnp?.metadata.name, 'the name label names the policy itself');
  const lmm = w.store.get(API, 'LatticeMeshMember', 'api', NS)!;
  const aps = w.store.list('security.istio.io/v1beta1', 'AuthorizationPolicy', { namespace: NS }).items
    .filter((p) => p.metadata.ownerReferences?.some((r) => r.kind === 'LatticeMeshMember' && r.uid === lmm.metadata.uid));
  assert.deepEqual(aps.map((p) => p.metadata.name), [`allow-to-${h(NS, 'api')}`]);
  assert.deepEqual(aps[0].spec.selector, { matchLabels: { 'app.kubernetes.io/name': 'api' } });
  assert.deepEqual(aps[0].spec.rules[0].from[0].source.principals, ['cluster.local/ns/shop/sa/web']);
  assert.deepEqual(aps[0].spec.rules[0].to[0].operation.ports, ['8080']);
  assert.deepEqual(lmm.status.appliedResources, [{ kind: 'AuthorizationPolicy', name: `allow-to-${h(NS, 'api')}` }, { kind: 'CiliumNetworkPolicy', name: `cnp-mesh-${h(NS, 'api')}` }]);
  assert.equal(w.store.get('gateway.networking.k8s.io/v1', 'Gateway', `${NS}-waypoint`, NS), undefined);
  assert.equal(w.store.get('v1', 'Namespace', NS)?.metadata.labels?.['istio.io/dataplane-mode'], 'ambient');
});

test('traffic: the agreed caller reaches api (nginx-unprivileged answers 200 "ok" on 8080), a one-sided caller is reset by ztunnel', async () => {
  const pod = (s: string) => until(`${s} pod`, () => podOf(w.store, NS, s), 15_000);
  const [web, stranger] = [await pod('web'), await pod('stranger')];
  await pod('api');
  assert.equal(w.runtime.decideFor(NS, web.metadata.name, 'api', 80).verdict, 'allowed');
  const denied = w.runtime.decideFor(NS, stranger.metadata.name, 'api', 80);
  assert.equal(denied.verdict, 'reset', denied.reason);
  const r = await execIn(w, NS, 'web', ['/bin/sh', '-c', 'curl -s -w " %{http_code}" http://api.shop.svc.cluster.local/anything']);
  assert.equal(r.stdout, 'ok\n 200');
  const s = await execIn(w, NS, 'stranger', ['/bin/sh', '-c', 'curl -s -o /dev/null -w "%{http_code}" --connect-timeout 2 http://api']);
  assert.equal(s.stdout, '000');
});

test('deleting the LatticeService takes its Deployment and LMM (owner references) and the LMM its AuthorizationPolicies', async () => {
  const lmm = w.store.get(API, 'LatticeMeshMember', 'stranger', NS) as KubeObject;
  assert.ok(lmm);
  w.store.delete(API, 'LatticeService', 'stranger', NS);
  await until('stranger Deployment and LMM gone', () => !w.store.get('apps/v1', 'Deployment', 'stranger', NS) && !w.store.get(API, 'LatticeMeshMember', 'stranger', NS), 10_000);
});

test('the kubelet refuses what the restricted defaults forbid: a root image (nginx) and a named user (curl) without runAsUser stay CreateContainerConfigError; curl with runAsUser 100 runs', async () => {
  const LIMITS = { limits: { cpu: '200m', memory: '128Mi' } };
  w.store.create(service('rootweb', NS, { containers: { main: { image: 'nginx:alpine', command: ['/docker-entrypoint.sh'], resources: LIMITS } } }));
  w.store.create(service('curler', NS, { containers: { main: { image: 'curlimages/curl:latest', command: ['/bin/sh', '-c', 'sleep 3600'], resources: LIMITS } } }));
  w.store.create(service('curler100', NS, { containers: { main: { image: 'curlimages/curl:latest', command: ['/bin/sh', '-c', 'sleep 3600'], resources: LIMITS, security: { runAsUser: 100 } } } }));
  const waiting = (s: string) => until(`${s} pod waiting`, () => {
    const p = w.store.list('v1', 'Pod', { namespace: NS, labelSelector: `app.kubernetes.io/name=${s}` }).items[0];
    const st = p?.status?.containerStatuses?.[0]?.state?.waiting;
    return st?.reason === 'CreateContainerConfigError' && { phase: p.status.phase, message: st.message as string, pod: p };
  }, 15_000);
  const root = await waiting('rootweb');
  assert.equal(root.phase, 'Pending');
  assert.equal(root.message, `container has runAsNonRoot and image will run as root (pod: "${root.pod.metadata.name}_${NS}(${root.pod.metadata.uid})", container: main)`);
  const named = await waiting('curler');
  assert.match(named.message, /^container has runAsNonRoot and image has non-numeric user \(curl_user\), cannot verify user is non-root \(pod: /);
  await until('curler100 running', () => podOf(w.store, NS, 'curler100'), 15_000);
  // Lattice does not wait for pods: the service becomes Ready (on its requeue) while its pod cannot start.
  await until('rootweb Ready', () => phaseOf(w.store, 'LatticeService', NS, 'rootweb').phase === 'Ready', 10_000, () => phaseOf(w.store, 'LatticeService', NS, 'rootweb'));
  assert.equal((await waiting('rootweb')).phase, 'Pending');
});

test('a missing dependency does not block compilation; withdrawing the last acceptance deletes allow-to-<h> (an orphan of appliedResources) and the caller is reset', async () => {
  w.store.create(service('lonely', NS, { containers: { main: container() }, resources: { ghost: { type: 'service' } } }));
  await until('lonely Ready', () => phaseOf(w.store, 'LatticeService', NS, 'lonely').phase === 'Ready', 15_000, () => phaseOf(w.store, 'LatticeService', NS, 'lonely'));
  const name = `allow-to-${h(NS, 'api')}`;
  assert.ok(w.store.get('security.istio.io/v1beta1', 'AuthorizationPolicy', name, NS));
  const api = w.store.get(API, 'LatticeService', 'api', NS)!;
  delete api.spec.workload.resources;
  w.store.update(api);
  await until(`${name} deleted`, () => !w.store.get('security.istio.io/v1beta1', 'AuthorizationPolicy', name, NS), 10_000);
  const web = await until('web pod', () => podOf(w.store, NS, 'web'), 15_000);
  assert.equal(w.runtime.decideFor(NS, web.metadata.name, 'api', 80).verdict, 'dropped', 'no caller left: no HBONE ingress rule either');
  assert.deepEqual(w.store.get(API, 'LatticeMeshMember', 'api', NS)!.status.appliedResources, [{ kind: 'CiliumNetworkPolicy', name: `cnp-mesh-${h(NS, 'api')}` }]);
});

test('an emptyDir (a mount without source) is one folder per pod: what the container writes there an exec session reads', async () => {
  w.store.create(service('scratch', NS, { containers: { main: container({
    command: ['/bin/sh', '-c', 'echo from-container > /data/hello; while true; do sleep 1; done'], volumes: { '/data': {} },
  }) } }));
  await until('scratch pod', () => podOf(w.store, NS, 'scratch'), 15_000);
  assert.deepEqual(w.store.get('apps/v1', 'Deployment', 'scratch', NS)!.spec.template.spec.volumes, [{ name: 'emptydir-data', emptyDir: {} }]);
  const r = await until('the container wrote /data/hello', async () => {
    const x = await execIn(w, NS, 'scratch', ['/bin/sh', '-c', 'cat /data/hello']);
    return x.code === 0 && x;
  }, 10_000);
  assert.equal(r.stdout, 'from-container\n');
});
