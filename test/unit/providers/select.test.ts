import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { join } from 'node:path';
import { ProviderSelector, providerFamily } from '../../../support/providers/select.js';
import { DockerProvider } from '../../../support/providers/docker.js';
import { CloudProvider } from '../../../support/providers/cloud.js';
import { FixtureError } from '../../../support/errors.js';
import type { ProviderKind } from '../../../support/providers/types.js';

describe('choosing a provider from a cluster fixture', () => {
  it('docker ⇒ Docker provider; aws, openstack, proxmox ⇒ cloud provider, one instance per family', () => {
    const s = new ProviderSelector({ workDir: '/tmp/x', runId: 'r1' });
    const docker = s.forCluster({ provider: 'docker' });
    assert.ok(docker instanceof DockerProvider);
    assert.equal(docker.canDestroyInfrastructure, true);
    const clouds = (['aws', 'openstack', 'proxmox'] as const).map((k) => s.forCluster({ provider: k }));
    for (const c of clouds) assert.ok(c instanceof CloudProvider);
    assert.equal(clouds[0], clouds[1]);
    assert.equal(clouds[1], clouds[2]);
    assert.equal(clouds[0]!.canDestroyInfrastructure, false);
    assert.equal(s.forCluster({ provider: 'docker' }), docker);
  });

  it('names a provider kind it does not know', () => {
    assert.throws(() => providerFamily('gcp' as ProviderKind), (e: unknown) => e instanceof FixtureError && /provider "gcp" has no provider here; use one of docker, aws, openstack, proxmox/.test(e.message));
  });

  it('picks by the fixture files\' own provider.config blocks', () => {
    const dir = join(process.cwd(), 'fixtures', 'clusters');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 4, `cluster fixtures under ${dir}`);
    const s = new ProviderSelector({ workDir: '/tmp/x' });
    for (const f of files) {
      const doc = yaml.load(readFileSync(join(dir, f), 'utf8')) as { spec: { provider: { config?: Record<string, unknown> } } };
      // The one block set under provider.config names the kind; none set means docker.
      const kind = (Object.keys(doc.spec.provider.config ?? {})[0] ?? 'docker') as ProviderKind;
      const expected = f.startsWith('docker-') ? DockerProvider : CloudProvider;
      assert.ok(s.forCluster({ provider: kind }) instanceof expected, `${f} (${kind})`);
    }
  });
});
