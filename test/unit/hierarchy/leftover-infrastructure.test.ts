// After an uninstall on a cloud, what is left is asked of the right provider: the hierarchy's
// clusters of their own (cloud) provider, the install/uninstall kind clusters of Docker's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConfig } from '../../../support/config/index.js';
import { leftoverInfrastructure } from '../../../support/hierarchy/uninstall.js';
import { ClusterRegistry } from '../../../support/run/cluster-registry.js';
import type { RunContext } from '../../../support/run/run-context.js';
import type { ClusterRef, Provider, ProviderKind } from '../../../support/providers/types.js';
import { REPO } from '../../integration/helpers.js';
import { spellingFor } from '../../../support/versions/index.js';

function stub(name: string, asked: string[], left: readonly string[]): Provider {
  return {
    name, canDestroyInfrastructure: false,
    kubeconfigFor: () => Promise.reject(new Error('not used')), destroyInfrastructure: () => Promise.reject(new Error('not used')),
    infrastructureGone: (c: ClusterRef) => { asked.push(`${name}:${c.name}`); return left.includes(c.name) ? Promise.reject(new Error('still there')) : Promise.resolve(); },
    sweep: () => Promise.resolve([]),
  };
}

function cloudRun(kindLeft: readonly string[]): { run: RunContext; asked: string[] } {
  const asked: string[] = [];
  const cloud = stub('cloud', asked, []);
  const docker = stub('docker', asked, kindLeft);
  const clusters = new ClusterRegistry();
  clusters.add({ role: 'management', name: 'e2e-mgmt', fixturePath: join(REPO, 'fixtures', 'clusters', 'aws-mgmt.yaml'), version: '1.32.0', timeline: [], state: 'live' });
  const run: RunContext = {
    config: loadConfig({ PATH: process.env.PATH }), clusters, providerFor: (k: ProviderKind) => (k === 'docker' ? docker : cloud),
    providers: () => [cloud, docker], cliEnv: {}, startedAt: new Date(), signal: new AbortController().signal, version: '2026-01', versionHow: 'test', spelling: spellingFor('2026-01'),
  };
  return { run, asked };
}

test('on a cloud, the kind clusters are looked for on Docker, not through the cloud provider', async () => {
  const { run, asked } = cloudRun([]);
  assert.deepEqual(await leftoverInfrastructure({ run, log: () => {} }), []);
  assert.deepEqual(asked, ['cloud:e2e-mgmt', 'docker:lattice-bootstrap', 'docker:lattice-uninstall']);
});

test('a kind cluster still on Docker is named as left over', async () => {
  const { run } = cloudRun(['lattice-uninstall']);
  assert.deepEqual(await leftoverInfrastructure({ run, log: () => {} }), ['lattice-uninstall']);
});
