import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../src/services/compile.js';
import { BACKENDS, FRONTENDS, MEDIA_NS, MESH_NS, find, fixedMesh, mediaStack, nginxService, externalService, scriptService } from './fixtures.js';

const P = (svc: string, ns = MESH_NS) => `cluster.local/ns/${ns}/sa/${svc}`;

test('the fixed mesh compiles into the objects of facts §6 with their apiVersions and names', () => {
  const { objects, services, namespaces } = compile(fixedMesh(), []);
  assert.deepEqual(namespaces, [MESH_NS]);
  for (const svc of [...FRONTENDS, ...BACKENDS]) {
    assert.equal(services.get(`${MESH_NS}/${svc}`)?.phase, 'Ready', svc);
    assert.equal(find(objects, 'ServiceAccount', svc)?.apiVersion, 'v1');
    const dep = find(objects, 'Deployment', svc);
    assert.equal(dep?.apiVersion, 'apps/v1');
    assert.equal(dep?.spec.replicas, 1);
    assert.equal(dep?.spec.template.metadata.labels['app.kubernetes.io/name'], svc);
    assert.equal(find(objects, 'CiliumNetworkPolicy', `policy-${svc}`)?.apiVersion, 'cilium.io/v2');
  }
  for (const f of FRONTENDS) {
    assert.equal(find(objects, 'Service', f), undefined, `${f} has no service block, so no Service`);
    assert.equal(find(objects, 'AuthorizationPolicy', `allow-to-${f}`), undefined, `${f} has no inbound edge`);
  }
  for (const b of BACKENDS) {
    const s = find(objects, 'Service', b);
    assert.equal(s?.apiVersion, 'v1');
    assert.equal(s?.metadata.labels?.['istio.io/use-waypoint'], 'mesh-test-waypoint');
    assert.equal(find(objects, 'AuthorizationPolicy', `allow-to-${b}`)?.apiVersion, 'security.istio.io/v1beta1');
    assert.deepEqual(find(objects, 'AuthorizationPolicy', `allow-waypoint-to-${b}`)?.spec.rules[0].from[0].source.principals, ['cluster.local/ns/mesh-test/sa/mesh-test-waypoint']);
  }
  const gw = find(objects, 'Gateway', 'mesh-test-waypoint');
  assert.equal(gw?.apiVersion, 'gateway.networking.k8s.io/v1');
  assert.equal(gw?.spec.gatewayClassName, 'istio-waypoint');
  assert.deepEqual(gw?.spec.listeners, [{ name: 'mesh', port: 15008, protocol: 'HBONE' }]);
  assert.ok(find(objects, 'AuthorizationPolicy', 'allow-to-waypoint'));
  assert.ok(find(objects, 'Deployment', 'mesh-test-waypoint'));
});

test('allow rules of the fixed mesh name exactly the callers with a bilateral agreement', () => {
  const { objects } = compile(fixedMesh(), []);
  const principals = (svc: string) => find(objects, 'AuthorizationPolicy', `allow-to-${svc}`)?.spec.rules[0].from[0].source.principals;
  assert.deepEqual(principals('api-gateway'), [P('frontend-admin'), P('frontend-mobile'), P('frontend-web')]);
  assert.deepEqual(principals('api-users'), [P('frontend-admin'), P('frontend-web')]);
  assert.deepEqual(principals('api-orders'), [P('frontend-admin'), P('frontend-mobile')]);
  assert.deepEqual(principals('db-users'), [P('api-gateway'), P('api-users')]);
  assert.deepEqual(principals('db-orders'), [P('api-gateway'), P('api-orders')]);
  assert.deepEqual(principals('cache'), [P('api-gateway'), P('api-orders'), P('api-users')]);
  assert.deepEqual(find(objects, 'AuthorizationPolicy', 'allow-to-api-users')?.spec.rules[0].to, [{ operation: { ports: ['80'] } }]);
  // frontend-web declares all 8 outbound, but only 2 callees agree: its Cilium egress names just those.
  const egressTo = (svc: string) => (find(objects, 'CiliumNetworkPolicy', `policy-${svc}`)?.spec.egress as Array<{ toEndpoints?: Array<{ matchLabels: Record<string, string> }> }>)
    .flatMap((r) => r.toEndpoints ?? []).map((e) => e.matchLabels['app.kubernetes.io/name']).filter(Boolean).sort();
  assert.deepEqual(egressTo('frontend-web'), ['api-gateway', 'api-users']);
  assert.deepEqual(egressTo('api-gateway'), ['cache', 'db-orders', 'db-users']);
  const ingressFrom = (svc: string) => (find(objects, 'CiliumNetworkPolicy', `policy-${svc}`)?.spec.ingress as Array<{ fromEndpoints: Array<{ matchLabels: Record<string, string> }> }>)
    .flatMap((r) => r.fromEndpoints).map((e) => e.matchLabels['app.kubernetes.io/name']).filter(Boolean).sort();
  assert.deepEqual(ingressFrom('db-orders'), ['api-gateway', 'api-orders']);
});

test('a service stays Compiling until every internal outbound target exists', () => {
  const mesh = fixedMesh();
  const withoutCache = mesh.filter((s) => s.metadata.name !== 'cache');
  const { services, objects } = compile(withoutCache, []);
  assert.deepEqual(services.get(`${MESH_NS}/api-gateway`), { phase: 'Compiling', missing: ['cache'] });
  assert.equal(services.get(`${MESH_NS}/db-users`)?.phase, 'Ready');
  assert.equal(find(objects, 'Deployment', 'api-gateway'), undefined);
  assert.ok(find(objects, 'Deployment', 'db-users'));
});

test('an invalid service is Failed with the reason', () => {
  const bad = nginxService('bad', MESH_NS, {});
  bad.spec.containers = {};
  const { services } = compile([bad], []);
  const st = services.get(`${MESH_NS}/bad`);
  assert.equal(st?.phase, 'Failed');
  assert.match((st as { message: string }).message, /at least one container/);
});

test('the media stack compiles volumes, co-location, ingress and its one agreement', () => {
  const { objects, services } = compile(mediaStack(), []);
  for (const s of ['jellyfin', 'nzbget', 'sonarr']) assert.equal(services.get(`${MEDIA_NS}/${s}`)?.phase, 'Ready');
  const pvcs = objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => `${o.metadata.name}=${o.spec.resources.requests.storage}`).sort();
  assert.deepEqual(pvcs, ['jellyfin-cache=20Gi', 'jellyfin-config=10Gi', 'nzbget-config=1Gi', 'sonarr-config=5Gi', 'vol-media-storage=1Ti']);
  const jf = find(objects, 'Deployment', 'jellyfin')!;
  assert.equal(jf.spec.template.metadata.labels['lattice.dev/volume-owner-media-storage'], 'true');
  assert.equal(jf.spec.template.spec.affinity, undefined);
  for (const ref of ['nzbget', 'sonarr']) {
    const d = find(objects, 'Deployment', ref)!;
    assert.deepEqual(d.spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution, [
      { labelSelector: { matchLabels: { 'lattice.dev/volume-owner-media-storage': 'true' } }, topologyKey: 'kubernetes.io/hostname' },
    ]);
  }
  const mounts = (svc: string) => find(objects, 'Deployment', svc)!.spec.template.spec.containers[0].volumeMounts;
  assert.deepEqual(mounts('sonarr'), [
    { name: 'sonarr-config', mountPath: '/config' },
    { name: 'vol-media-storage', mountPath: '/downloads', subPath: 'downloads' },
    { name: 'vol-media-storage', mountPath: '/tv', subPath: 'library' },
  ]);
  assert.deepEqual(find(objects, 'AuthorizationPolicy', 'allow-to-jellyfin')?.spec.rules[0].from[0].source.principals, ['cluster.local/ns/media/sa/sonarr']);
  assert.deepEqual(find(objects, 'AuthorizationPolicy', 'allow-to-nzbget')?.spec.rules[0].to[0].operation.ports, ['6789']);
  assert.equal(find(objects, 'AuthorizationPolicy', 'allow-to-sonarr'), undefined, 'nobody may call sonarr');
  assert.equal(find(objects, 'Gateway', 'jellyfin-gateway')?.spec.gatewayClassName, 'eg');
  assert.equal(find(objects, 'HTTPRoute', 'jellyfin-route')?.apiVersion, 'gateway.networking.k8s.io/v1');
  const cert = find(objects, 'Certificate', 'sonarr-cert');
  assert.equal(cert?.apiVersion, 'cert-manager.io/v1');
  assert.equal(cert?.spec.secretName, 'sonarr-tls');
  assert.equal(cert?.spec.issuerRef.name, 'letsencrypt-prod');
  assert.ok(find(objects, 'AuthorizationPolicy', 'allow-gateway-to-jellyfin'));
  assert.ok(find(objects, 'Gateway', 'media-waypoint'));
});

test('externals compile to a ServiceEntry and authorization only for allowed declaring callers', () => {
  const ns = 'random-mesh';
  const ext = { type: 'external-service', direction: 'outbound' };
  const svcs = [
    scriptService('frontend-0', ns, 'sleep 1', { httpbin: ext }),
    scriptService('frontend-1', ns, 'sleep 1', { httpbin: ext }),
    scriptService('frontend-2', ns, 'sleep 1', {}),
  ];
  const { objects, externals } = compile(svcs, [externalService('httpbin', ns, 'https://httpbin.org/status/200', ['frontend-0', 'frontend-2']), externalService('github', ns, 'https://github.com', ['*'])]);
  assert.deepEqual(externals.get(`${ns}/httpbin`), { phase: 'Ready' });
  const se = find(objects, 'ServiceEntry', 'httpbin');
  assert.equal(se?.apiVersion, 'networking.istio.io/v1beta1');
  assert.deepEqual(se?.spec.hosts, ['httpbin.org']);
  assert.deepEqual(se?.spec.ports, [{ number: 443, name: 'https-443', protocol: 'TLS' }]);
  assert.ok(find(objects, 'AuthorizationPolicy', 'deny-all-to-httpbin'));
  assert.ok(find(objects, 'AuthorizationPolicy', 'allow-frontend-0-to-httpbin'));
  assert.equal(find(objects, 'AuthorizationPolicy', 'allow-frontend-1-to-httpbin'), undefined, 'declared but not an allowed requester');
  assert.equal(find(objects, 'AuthorizationPolicy', 'allow-frontend-2-to-httpbin'), undefined, 'allowed but never declared');
  assert.equal(find(objects, 'ServiceEntry', 'github'), undefined, 'nobody declares github: no active edge');
  const fqdns = (svc: string) => (find(objects, 'CiliumNetworkPolicy', `policy-${svc}`)!.spec.egress as Array<{ toFQDNs?: Array<{ matchName: string }> }>).flatMap((r) => r.toFQDNs ?? []).map((f) => f.matchName);
  assert.deepEqual(fqdns('frontend-0'), ['httpbin.org']);
  assert.deepEqual(fqdns('frontend-1'), []);
  const bad = compile([], [externalService('bad', ns, 'ftp://x', ['*'])]);
  assert.equal(bad.externals.get(`${ns}/bad`)?.phase, 'Failed');
});

test('wildcard inbound accepts every caller that declares the callee', () => {
  const ns = 'w';
  const svcs = [
    nginxService('open', ns, { '*': { type: 'service', direction: 'inbound' } }),
    scriptService('a', ns, 'true', { open: { type: 'service' } }),
    scriptService('b', ns, 'true', {}),
  ];
  const { objects } = compile(svcs, []);
  assert.deepEqual(find(objects, 'AuthorizationPolicy', 'allow-to-open')?.spec.rules[0].from[0].source.principals, ['cluster.local/ns/w/sa/a']);
});
