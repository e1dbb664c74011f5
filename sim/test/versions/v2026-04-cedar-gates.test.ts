/**
 * The five 2026-04 Cedar gates over a store's CedarPolicy objects, with upstream's own example
 * permits (docs/LATTICE-2026-04.md §5.3): each permits with its permit, denies by default
 * (`NoPermitPolicy`) and is denied by a forbid next to the permit (`ExplicitForbid`); the volume
 * gate is permissive (only a forbid denies). Entity shapes: the attributes upstream sets
 * (entities.rs), e.g. an external endpoint's port is a string.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, registerKinds, type KubeObject, type ObjectStore } from '../../src/apiserver/index.js';
import {
  checkClusterAccess, checkExternalEndpoint, checkSecurityOverride, checkVolumeAccess, checkWildcard, denialText,
} from '../../src/versions/v2026-04/cedar/index.js';

function storeWith(...policies: Array<[string, string] | KubeObject>): ObjectStore {
  const store = createStore();
  registerKinds(store, { apiVersion: '2026-04', crds: false });
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lattice-system' } });
  for (const p of policies) store.create(Array.isArray(p) ? cedarPolicy(p[0], p[1]) : p);
  return store;
}

export function cedarPolicy(name: string, policies: string, spec: Record<string, unknown> = {}, namespace = 'lattice-system', labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'lattice.dev/v1alpha1', kind: 'CedarPolicy', metadata: { name, namespace, ...(labels ? { labels } : {}) }, spec: { policies, ...spec } };
}

const forbidAll = (actionName: string) => `forbid(principal, action == Lattice::Action::"${actionName}", resource);`;

interface Gate {
  name: string;
  /** Upstream's example permit (or one of the same shape) for the request below. */
  permit: string;
  action: string;
  check: (s: ObjectStore) => ReturnType<typeof checkWildcard>;
  /** The same request with one attribute changed, which the permit must not cover. */
  other: (s: ObjectStore) => ReturnType<typeof checkWildcard>;
}

const gates: Gate[] = [
  {
    name: 'wildcard inbound (helpers/cedar.rs:241-258)',
    permit: 'permit(principal == Lattice::Service::"shop/catalog", action == Lattice::Action::"AllowWildcard", resource == Lattice::Mesh::"inbound");',
    action: 'AllowWildcard',
    check: (s) => checkWildcard(s, 'shop', 'catalog', 'inbound'),
    other: (s) => checkWildcard(s, 'shop', 'catalog', 'outbound'),
  },
  {
    name: 'external endpoint (port attribute is a string)',
    permit: 'permit(principal, action == Lattice::Action::"AccessExternalEndpoint", resource) when { resource.host == "api.stripe.com" && resource.port == "443" && resource.protocol == "https" && principal.kind == "service" };',
    action: 'AccessExternalEndpoint',
    check: (s) => checkExternalEndpoint(s, 'shop', 'payments', { host: 'api.stripe.com', port: 443, protocol: 'https' }),
    other: (s) => checkExternalEndpoint(s, 'shop', 'payments', { host: 'api.stripe.com', port: 8443, protocol: 'https' }),
  },
  {
    name: 'security override runAsRoot (helpers/cedar.rs:307-327)',
    permit: 'permit(principal == Lattice::Service::"shop/legacy", action == Lattice::Action::"OverrideSecurity", resource == Lattice::SecurityOverride::"runAsRoot");',
    action: 'OverrideSecurity',
    check: (s) => checkSecurityOverride(s, 'shop', 'legacy', { id: 'runAsRoot', category: 'container' }),
    other: (s) => checkSecurityOverride(s, 'shop', 'legacy', { id: 'privileged', category: 'container' }),
  },
  {
    name: 'cluster access (integration/cedar.rs:95-114)',
    permit: 'permit(principal == Lattice::User::"system:serviceaccount:cedar-test:reader", action == Lattice::Action::"AccessCluster", resource == Lattice::Cluster::"child-1");',
    action: 'AccessCluster',
    check: (s) => checkClusterAccess(s, { username: 'system:serviceaccount:cedar-test:reader', groups: [] }, { name: 'child-1', labels: {} }),
    other: (s) => checkClusterAccess(s, { username: 'system:serviceaccount:cedar-test:reader', groups: [] }, { name: 'child-2', labels: {} }),
  },
];

for (const g of gates) {
  test(`${g.name}: permitted by its permit, default deny without one, forbid wins`, () => {
    const none = g.check(storeWith());
    assert.deepEqual([none.allowed, none.denial], [false, 'NoPermitPolicy'], none.detail);
    assert.equal(denialText(none), 'no permit policy for this service and resource');

    const permitted = storeWith(['allow', g.permit]);
    const ok = g.check(permitted);
    assert.equal(ok.allowed, true, ok.detail);
    assert.match(ok.detail, /allow_policy0/);
    const outside = g.other(permitted);
    assert.deepEqual([outside.allowed, outside.denial], [false, 'NoPermitPolicy'], outside.detail);

    const forbidden = g.check(storeWith(['allow', g.permit], ['deny', forbidAll(g.action)]));
    assert.deepEqual([forbidden.allowed, forbidden.denial], [false, 'ExplicitForbid'], forbidden.detail);
    assert.match(forbidden.detail, /deny_policy0/);
    assert.equal(denialText(forbidden), 'access explicitly forbidden by policy');
  });
}

test('shared volume: permissive, no policy allows, a forbid denies, entity is Volume "<ns>/<id>" with volume_id', () => {
  const check = (s: ObjectStore) => checkVolumeAccess(s, 'media', 'sonarr', { namespace: 'media', id: 'media-storage' });
  assert.equal(check(storeWith()).allowed, true);
  const forbid = 'forbid(principal == Lattice::Service::"media/sonarr", action == Lattice::Action::"AccessVolume", resource == Lattice::Volume::"media/media-storage") when { resource.volume_id == "media-storage" && resource.namespace == "media" };';
  const denied = check(storeWith(['no-sonarr', forbid]));
  assert.deepEqual([denied.allowed, denied.denial], [false, 'ExplicitForbid'], denied.detail);
  assert.equal(checkVolumeAccess(storeWith(['no-sonarr', forbid]), 'media', 'jellyfin', { namespace: 'media', id: 'media-storage' }).allowed, true);
});

test('cluster access: groups are the user\'s parents; environment only when labelled, region and tier defaulted', () => {
  const store = storeWith(
    ['admins', 'permit(principal in Lattice::Group::"admins", action == Lattice::Action::"AccessCluster", resource);'],
    ['devs', 'permit(principal in Lattice::Group::"developers", action == Lattice::Action::"AccessCluster", resource) when { resource has environment && resource.environment != "prod" && resource.region == "unknown" && resource.tier == "standard" };'],
  );
  const access = (groups: string[], labels: Record<string, string>) => checkClusterAccess(store, { username: 'dev@example.com', groups }, { name: 'c1', labels }).allowed;
  assert.equal(access(['admins'], {}), true);
  assert.equal(access(['developers'], { 'lattice.dev/environment': 'staging' }), true);
  assert.equal(access(['developers'], { 'lattice.dev/environment': 'prod' }), false);
  assert.equal(access(['developers'], {}), false, 'no environment label: `resource has environment` is false');
  assert.equal(access(['developers'], { 'lattice.dev/environment': 'staging', 'lattice.dev/tier': 'premium' }), false);
  assert.equal(access([], {}), false);
});

test('the principal carries namespace, name and kind "service"', () => {
  const store = storeWith(['attrs', 'permit(principal, action == Lattice::Action::"AllowWildcard", resource) when { principal.namespace == "shop" && principal.name == "catalog" && principal.kind == "service" };']);
  assert.equal(checkWildcard(store, 'shop', 'catalog', 'advertise').allowed, true);
  assert.equal(checkWildcard(store, 'shop', 'catalog', 'advertise', 'job').allowed, false);
});
