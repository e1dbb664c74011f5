import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FaultName } from '../../src/faults.js';
import { externalService, latticeService, nginxService } from './fixtures.js';
import { applyAll, podOf, runningPods, startWorld, until, type World } from './world.js';

const NS = 'faults';
const svc = (t: string) => `http://${t}.${NS}.svc.cluster.local/`;
const TARGETS: Record<string, string> = {
  both: svc('both'), 'out-only': svc('out-only'), 'in-only': svc('in-only'), wild: svc('wild'),
  httpbin: 'https://httpbin.org/status/200', example: 'https://example.com', github: 'https://github.com',
};
/** Correct verdicts: only bilateral agreements and allowed, declared externals pass. */
const BASELINE: Record<string, boolean> = { both: true, 'out-only': false, 'in-only': false, wild: true, httpbin: true, example: false, github: false };

const script = `probe() { code=$(curl -s -o /dev/null -w '%{http_code}' --connect-timeout 3 "$2"); echo "$1: $code"; }
while true; do
${Object.entries(TARGETS).map(([k, u]) => `  probe ${k} ${u}`).join('\n')}
  echo ROUND
  sleep 0.1
done`;

function declarations() {
  const ext = { type: 'external-service' };
  return [
    latticeService('client', NS, {
      containers: { main: { image: 'curlimages/curl:latest', command: ['/bin/sh'], args: ['-c', script] } },
      resources: { both: { type: 'service' }, 'out-only': { type: 'service' }, wild: { type: 'service' }, httpbin: ext, example: ext },
    }),
    nginxService('both', NS, { client: { type: 'service', direction: 'inbound' } }),
    nginxService('out-only', NS, {}),
    nginxService('in-only', NS, { client: { type: 'service', direction: 'inbound' } }),
    nginxService('wild', NS, { '*': { type: 'service', direction: 'inbound' } }),
    externalService('httpbin', NS, 'https://httpbin.org/status/200', ['client']),
    externalService('example', NS, 'https://example.com', ['someone-else']),
    externalService('github', NS, 'https://github.com', ['*']),
  ];
}

async function faultWorld(faults: FaultName[]): Promise<World> {
  const w = await startWorld({ namespaces: [NS], faults });
  applyAll(w.store, declarations());
  await until('client and the nginx pods running', () => ['client', 'both', 'out-only', 'in-only', 'wild'].every((s) => podOf(w.store, NS, s)), 15_000,
    () => runningPods(w.store, NS).map((p) => p.metadata.name));
  return w;
}

/** Codes of the newest complete round that started after this call. */
async function freshRound(w: World): Promise<Map<string, string>> {
  const log = () => { const p = podOf(w.store, NS, 'client'); return p ? w.runtime.hooks.podLog(NS, p.metadata.name, {}) : ''; };
  const rounds = (l: string) => l.split('\n').filter((x) => x === 'ROUND').length;
  const start = rounds(log());
  const l = await until('two more probe rounds', () => { const x = log(); return rounds(x) >= start + 2 && x; }, 15_000);
  const lines = l.trimEnd().split('\n');
  const lastRound = lines.lastIndexOf('ROUND');
  const prevRound = lines.lastIndexOf('ROUND', lastRound - 1);
  return new Map(lines.slice(prevRound + 1, lastRound).map((x) => x.split(': ') as [string, string]));
}

/** Resolves when the runtime has no pending work; fails naming the wait after `ms`. */
async function settledWithin(w: World, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`the services runtime did not settle within ${ms} ms after the change`)), ms); });
  try { await Promise.race([w.runtime.settled(), late]); } finally { clearTimeout(timer); }
}

function allowedOf(codes: Map<string, string>): Record<string, boolean> {
  return Object.fromEntries(Object.keys(TARGETS).map((k) => [k, ['200', '201', '204', '301', '302'].includes(codes.get(k) ?? '')]));
}

test('without faults every probe gets the bilateral verdict, externals included', async (t) => {
  const w = await faultWorld([]);
  t.after(() => w.stop());
  const codes = await freshRound(w);
  assert.deepEqual(allowedOf(codes), BASELINE, JSON.stringify([...codes]));
  assert.equal(codes.get('out-only'), '000');
  // Taking back an inbound declaration closes the edge through the re-applied Cilium policies (the
  // stale-policy-kept fault keeps their old rules). `both` loses its last caller, so `allow-to-both`
  // is no longer compiled (policy/mod.rs:372-384) and, as Lattice never deletes (controller.rs:211,
  // :824-837), stays as last applied.
  const both = w.store.get('lattice.dev/v1alpha1', 'LatticeService', 'both', NS)!;
  both.spec.resources = {};
  w.store.update(both);
  const ingressFromClient = () => JSON.stringify(w.store.get('cilium.io/v2', 'CiliumNetworkPolicy', 'policy-both', NS)?.spec?.ingress ?? []).includes('"app.kubernetes.io/name":"client"');
  await until('policy-both no longer admitting client', () => !ingressFromClient(), 10_000, () => w.store.get('cilium.io/v2', 'CiliumNetworkPolicy', 'policy-both', NS)?.spec?.ingress);
  assert.equal(allowedOf(await freshRound(w)).both, false);
  assert.deepEqual(w.store.get('security.istio.io/v1beta1', 'AuthorizationPolicy', 'allow-to-both', NS)?.spec.rules[0].from[0].source.principals,
    ['cluster.local/ns/faults/sa/client'], 'allow-to-both is left as last applied, not deleted');
});

const cases: Array<[FaultName, Record<string, boolean>]> = [
  ['one-sided-outbound-allowed', { 'out-only': true }],
  ['one-sided-inbound-allowed', { 'in-only': true }],
  ['wildcard-inbound-ignored', { wild: false }],
  ['external-open-to-all', { example: true, github: true }],
  ['no-waypoint', { both: false, wild: false }],
];
for (const [fault, change] of cases) {
  test(`fault ${fault} changes exactly the expected verdicts`, async (t) => {
    const w = await faultWorld([fault]);
    t.after(() => w.stop());
    const codes = await freshRound(w);
    assert.deepEqual(allowedOf(codes), { ...BASELINE, ...change }, JSON.stringify([...codes]));
    if (fault === 'no-waypoint') {
      assert.equal(w.store.get('apps/v1', 'Deployment', `${NS}-waypoint`, NS), undefined);
      assert.equal(w.store.get('gateway.networking.k8s.io/v1', 'Gateway', `${NS}-waypoint`, NS), undefined);
      assert.equal(runningPods(w.store, NS).length, 5, 'only the five services run: no waypoint pod');
    }
  });
}

test('fault stale-policy-kept: a withdrawn inbound declaration still lets traffic through', async (t) => {
  const w = await faultWorld(['stale-policy-kept']);
  t.after(() => w.stop());
  assert.equal(allowedOf(await freshRound(w)).both, true);
  const both = w.store.get('lattice.dev/v1alpha1', 'LatticeService', 'both', NS)!;
  both.spec.resources = {};
  w.store.update(both);
  // The fault changes nothing observable, so wait (bounded) until the controller has handled the change.
  await settledWithin(w, 10_000);
  assert.equal(allowedOf(await freshRound(w)).both, true);
  assert.deepEqual(w.store.get('security.istio.io/v1beta1', 'AuthorizationPolicy', 'allow-to-both', NS)?.spec.rules[0].from[0].source.principals, ['cluster.local/ns/faults/sa/client']);
});
