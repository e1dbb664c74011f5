/**
 * The daemon's control surface in-process: token check, install job streaming, cluster listing,
 * kubeconfig offered for Docker clusters only, destruction, sweep by run id, fault settings.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as yaml from 'js-yaml';
import { startControlServer, type ControlServer } from '../../src/daemon/control-server.js';
import { call, DaemonError } from '../../src/daemon/client.js';
import { setFaults } from '../../src/faults.js';
import { clusterManifest, newHarness, storeOf, waitForPhase } from './harness.js';

describe('control surface', () => {
  const h = newHarness();
  const token = 'test-token-0123456789';
  let control: ControlServer;
  let settled = 0;
  let stopped = 0;
  const info = () => ({ port: control.port, token });
  before(async () => {
    control = await startControlServer({ infra: h.infra, token, startedAt: Date.now(), onStop: () => { stopped++; }, onSettled: () => { settled++; } });
  });
  after(async () => { control.server.closeAllConnections(); control.server.close(); setFaults(new Set()); await h.dispose(); });

  it('rejects calls without the bearer token', async () => {
    await assert.rejects(call({ port: control.port, token: 'wrong-token-000000000' }, '/v1/status'), (e: Error) => e instanceof DaemonError && /bearer token/.test(e.message));
  });

  it('streams an install job and answers with the kubeconfig', async () => {
    const lines: string[] = [];
    const manifest = yaml.dump(clusterManifest('e2e-mgmt', { parent: true, host: '172.18.255.10', labels: { 'lattice-acceptance/run-id': 'run-a' } }));
    const done = await call(info(), '/v1/install', { method: 'POST', body: { manifest, apiVersion: '2026-01' }, onLine: (e) => { if (e.event === 'log') lines.push(e.line); } });
    assert.equal(done.event, 'done');
    assert.match(done.kubeconfig, /server: https:\/\/127\.0\.0\.1:\d+/);
    assert.ok(lines.some((l) => l.includes('lattice-bootstrap')), 'progress names the bootstrap cluster');
    assert.ok(lines.at(-1)?.startsWith('Installation complete'));
    assert.ok(settled >= 1);
  });

  it('reports an install failure as an error event', async () => {
    const manifest = yaml.dump(clusterManifest('broken', { controlPlane: 2 }));
    const done = await call(info(), '/v1/install', { method: 'POST', body: { manifest, apiVersion: '2026-01' }, onLine: () => undefined });
    assert.equal(done.event, 'error');
    assert.match(done.message, /broken failed: validation error for unknown: control plane count must be odd/);
    assert.equal(h.infra.has('lattice-bootstrap'), false, 'bootstrap removed on failure without the keep flag');
  });

  it('keeps the bootstrap cluster of a failed install when asked, and refuses a second one', async () => {
    const manifest = yaml.dump(clusterManifest('broken2', { controlPlane: 0 }));
    const done = await call(info(), '/v1/install', { method: 'POST', body: { manifest, keepBootstrapOnFailure: true, apiVersion: '2026-01' }, onLine: () => undefined });
    assert.equal(done.event, 'error');
    assert.equal(h.infra.has('lattice-bootstrap'), true, 'kept for inspection');
    const again = await call(info(), '/v1/install', { method: 'POST', body: { manifest: yaml.dump(clusterManifest('other')), apiVersion: '2026-01' }, onLine: () => undefined });
    assert.equal(again.event, 'error');
    assert.match(again.message, /already exist for a cluster with the name "lattice-bootstrap"/);
    await call(info(), '/v1/clusters/lattice-bootstrap', { method: 'DELETE' });
  });

  it('refuses to install over an existing cluster name', async () => {
    const done = await call(info(), '/v1/install', { method: 'POST', body: { manifest: yaml.dump(clusterManifest('e2e-mgmt')), apiVersion: '2026-01' }, onLine: () => undefined });
    assert.equal(done.event, 'error');
    assert.match(done.message, /a cluster named e2e-mgmt already exists/);
  });

  it('lists clusters and offers the admin kubeconfig of Docker clusters only', async () => {
    const mgmt = storeOf(h, 'e2e-mgmt');
    mgmt.create(clusterManifest('cloud-child', { provider: 'aws', labels: { 'lattice-acceptance/run-id': 'run-b' } }));
    await waitForPhase(mgmt, 'cloud-child', 'Ready');
    const { clusters } = await call(info(), '/v1/clusters');
    assert.deepEqual(clusters.map((c: { name: string }) => c.name), ['cloud-child', 'e2e-mgmt']);
    const child = clusters.find((c: { name: string }) => c.name === 'cloud-child');
    assert.equal(child.parent, 'e2e-mgmt');
    assert.equal(child.provider, 'aws');
    assert.match(await call(info(), '/v1/clusters/e2e-mgmt/kubeconfig'), /server: https:\/\/127\.0\.0\.1/);
    await assert.rejects(call(info(), '/v1/clusters/cloud-child/kubeconfig'), /CAPI secret capi-cloud-child\/cloud-child-kubeconfig/);
    await assert.rejects(call(info(), '/v1/clusters/nope/kubeconfig'), /no cluster named nope/);
  });

  it('sweeps the clusters of one run id only', async () => {
    const res = await call(info(), '/v1/sweep', { method: 'POST', body: { runId: 'run-b' } });
    assert.deepEqual(res.removed, ['cluster cloud-child']);
    assert.equal(h.infra.has('e2e-mgmt'), true);
  });

  it('destroys a cluster at once', async () => {
    const before = settled;
    await call(info(), '/v1/clusters/e2e-mgmt', { method: 'DELETE' });
    assert.equal(h.infra.has('e2e-mgmt'), false);
    assert.ok(settled > before, 'the daemon is told to check whether anything is left');
  });

  it('sets faults, rejecting unknown names', async () => {
    assert.deepEqual((await call(info(), '/v1/faults', { method: 'PUT', body: { faults: ['no-pivot'] } })).faults, ['no-pivot']);
    await assert.rejects(call(info(), '/v1/faults', { method: 'PUT', body: { faults: ['made-up'] } }), /unknown fault "made-up"/);
    assert.deepEqual((await call(info(), '/v1/faults', { method: 'PUT', body: { faults: [] } })).faults, []);
  });

  it('accepts a stop request', async () => {
    assert.deepEqual(await call(info(), '/v1/stop', { method: 'POST' }), { stopping: true });
    assert.equal(stopped, 1);
  });
});
