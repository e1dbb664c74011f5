import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/apiserver/types.js';
import { compile, type CompileFaults } from '../../src/services/compile.js';
import { PolicySnapshot, decide, type Caller } from '../../src/services/policy.js';
import { EXPECTED, FRONTENDS, MESH_NS, externalService, fixedMesh, nginxService, runningPodsFor, scriptService } from './fixtures.js';

function world(services: KubeObject[], externals: KubeObject[] = [], faults: CompileFaults = {}) {
  const { objects } = compile(services, externals, faults);
  return new PolicySnapshot([...objects, ...runningPodsFor(objects)]);
}
const caller = (name: string, namespace = MESH_NS): Caller => ({ namespace, labels: { 'app.kubernetes.io/name': name }, serviceAccount: name });
const url = (t: string) => `${t}.${MESH_NS}.svc.cluster.local`;

test('every one of the 24 fixed-mesh checks gets the verdict facts §4.4 expects', () => {
  const snap = world(fixedMesh());
  let allowed = 0;
  for (const f of FRONTENDS) {
    for (const [target, expectAllowed] of Object.entries(EXPECTED[f])) {
      const d = decide(snap, caller(f), { host: url(target), port: 80 });
      assert.equal(d.verdict === 'allowed', expectAllowed, `${f} -> ${target}: ${d.verdict} (${d.reason})`);
      if (d.verdict === 'allowed') { allowed++; assert.equal(d.pod?.metadata.labels?.['app.kubernetes.io/name'], target); }
      if (target.startsWith('frontend-')) assert.equal(d.verdict, 'dns-failure', `${f} -> ${target} has no Service`);
    }
  }
  assert.equal(allowed, 7);
});

test('each bilateral case: both sides, outbound only, inbound only, neither, wildcard', () => {
  const ns = 'cases';
  const c = (n: string) => caller(n, ns);
  const svcs = [
    scriptService('client', ns, 'true', { both: { type: 'service' }, 'out-only': { type: 'service' }, wild: { type: 'service' }, 'both-dir': { type: 'service', direction: 'both' } }),
    nginxService('both', ns, { client: { type: 'service', direction: 'inbound' } }),
    nginxService('out-only', ns, {}),
    nginxService('in-only', ns, { client: { type: 'service', direction: 'inbound' } }),
    nginxService('neither', ns, {}),
    nginxService('wild', ns, { '*': { type: 'service', direction: 'inbound' } }),
    nginxService('both-dir', ns, { client: { type: 'service', direction: 'both' } }),
  ];
  const snap = world(svcs);
  const v = (t: string, port = 80) => decide(snap, c('client'), { host: t, port }).verdict;
  assert.equal(v('both'), 'allowed');
  assert.equal(v(`both.${ns}`), 'allowed');
  assert.equal(v(`both.${ns}.svc`), 'allowed');
  assert.equal(v('both-dir'), 'allowed');
  assert.equal(v('wild'), 'allowed');
  assert.equal(v('out-only'), 'dropped');
  assert.equal(v('in-only'), 'dropped');
  assert.equal(v('neither'), 'dropped');
  assert.equal(v('nosuch'), 'dns-failure');
  assert.equal(v('both', 8080), 'dropped', 'a port the Service does not expose');
  // A caller the wildcard callee does not hear from because the caller never declared it.
  assert.equal(decide(snap, c('both'), { host: 'wild', port: 80 }).verdict, 'dropped');
});

test('L7: Cilium open but no Istio allow gives 403 (forbidden)', () => {
  const snap = world(fixedMesh());
  // Remove the allow-to-api-users policy: Cilium still allows frontend-web, Istio must deny.
  const { objects } = compile(fixedMesh(), []);
  const without = objects.filter((o) => o.metadata.name !== 'allow-to-api-users');
  const snap2 = new PolicySnapshot([...without, ...runningPodsFor(objects)]);
  assert.equal(decide(snap, caller('frontend-web'), { host: url('api-users'), port: 80 }).verdict, 'allowed');
  assert.equal(decide(snap2, caller('frontend-web'), { host: url('api-users'), port: 80 }).verdict, 'forbidden');
});

test('no running waypoint or no endpoints: traffic does not flow', () => {
  const { objects } = compile(fixedMesh(), []);
  const pods = runningPodsFor(objects);
  const noWaypointPod = new PolicySnapshot([...objects, ...pods.filter((p) => !p.metadata.name.startsWith('mesh-test-waypoint'))]);
  assert.equal(decide(noWaypointPod, caller('frontend-web'), { host: url('api-users'), port: 80 }).verdict, 'dropped');
  const noBackendPod = new PolicySnapshot([...objects, ...pods.filter((p) => !p.metadata.name.startsWith('api-users'))]);
  assert.equal(decide(noBackendPod, caller('frontend-web'), { host: url('api-users'), port: 80 }).verdict, 'unavailable');
});

test('externals: allowed declaring requester passes; declared-not-allowed, undeclared and unknown hosts drop; * opens to declarers', () => {
  const ns = 'random-mesh';
  const ext = { type: 'external-service' };
  const svcs = [
    scriptService('frontend-0', ns, 'true', { httpbin: ext, github: ext }),
    scriptService('frontend-1', ns, 'true', { httpbin: ext }),
    scriptService('frontend-2', ns, 'true', {}),
  ];
  const exts = [externalService('httpbin', ns, 'https://httpbin.org/status/200', ['frontend-0', 'frontend-2']), externalService('github', ns, 'https://github.com', ['*'])];
  const snap = world(svcs, exts);
  const v = (who: string, host: string, port = 443) => decide(snap, caller(who, ns), { host, port }).verdict;
  assert.equal(v('frontend-0', 'httpbin.org'), 'allowed');
  assert.equal(v('frontend-0', 'github.com'), 'allowed');
  assert.equal(v('frontend-1', 'httpbin.org'), 'dropped');
  assert.equal(v('frontend-2', 'httpbin.org'), 'dropped');
  assert.equal(v('frontend-1', 'github.com'), 'dropped');
  assert.equal(v('frontend-0', 'example.com'), 'dropped');
  assert.equal(v('frontend-0', 'httpbin.org', 80), 'dropped', 'only the declared port');
});

test('enforcement switched off (roll fault) lets blocked traffic through but DNS still fails', () => {
  const snap = world(fixedMesh());
  assert.equal(decide(snap, caller('frontend-web'), { host: url('db-users'), port: 80 }, { open: true }).verdict, 'allowed');
  assert.equal(decide(snap, caller('frontend-web'), { host: url('frontend-admin'), port: 80 }, { open: true }).verdict, 'dns-failure');
});

test('compile faults change decisions: one-sided outbound, one-sided inbound, wildcard ignored, externals open', () => {
  const ns = 'f';
  const svcs = [
    scriptService('client', ns, 'true', { 'out-only': { type: 'service' }, wild: { type: 'service' }, ext: { type: 'external-service' } }),
    nginxService('out-only', ns, {}),
    nginxService('in-only', ns, { client: { type: 'service', direction: 'inbound' } }),
    nginxService('wild', ns, { '*': { type: 'service', direction: 'inbound' } }),
  ];
  const exts = [externalService('ext', ns, 'https://example.com', ['nobody'])];
  const v = (faults: CompileFaults, host: string, port = 80) => decide(world(svcs, exts, faults), caller('client', ns), { host, port }).verdict;
  assert.equal(v({}, 'out-only'), 'dropped');
  assert.equal(v({ oneSidedOutboundAllowed: true }, 'out-only'), 'allowed');
  assert.equal(v({}, 'in-only'), 'dropped');
  assert.equal(v({ oneSidedInboundAllowed: true }, 'in-only'), 'allowed');
  assert.equal(v({}, 'wild'), 'allowed');
  assert.equal(v({ wildcardInboundIgnored: true }, 'wild'), 'dropped');
  assert.equal(v({}, 'example.com', 443), 'dropped');
  assert.equal(v({ externalOpenToAll: true }, 'example.com', 443), 'allowed');
});
