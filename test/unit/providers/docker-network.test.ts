// Pinning the `kind` network before `lattice install`, against a fake engine (upstream
// helpers.rs:64-139 at 1236706e): created when missing, kept when right, recreated when unused and
// different, refused naming the attached containers when in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { DockerProvider } from '../../../support/providers/docker.js';
import { KIND_NETWORK, NetworkPinError } from '../../../support/providers/docker/network.js';
import { RUN_ID_LABEL } from '../../../support/providers/docker/labels.js';
import { FakeDockerEngine } from './fake-docker-engine.js';

async function engine(t: { after: (fn: () => Promise<void>) => void }): Promise<{ fake: FakeDockerEngine; provider: DockerProvider }> {
  const fake = await new FakeDockerEngine().start();
  t.after(() => fake.close());
  return { fake, provider: new DockerProvider({ workDir: tmpdir(), runId: 'run-1', dockerHost: fake.host }) };
}
const subnetOf = (fake: FakeDockerEngine): string => {
  const n = fake.byName('kind');
  return n ? n.IPAM.Config.map((c) => `${c.Subnet} gw ${c.Gateway}`).join(', ') : 'absent';
};

test('before install, a missing kind network is created with 172.18.0.0/16, gateway 172.18.0.1, labelled with the run', async (t) => {
  const { fake, provider } = await engine(t);
  // A network whose name merely contains "kind" is not it (the engine's name filter is a substring match).
  fake.add('kind-other', '10.9.0.0/16', '10.9.0.1');
  assert.equal(await provider.prepareInstall(), 'Docker network kind: created (subnet 172.18.0.0/16, gateway 172.18.0.1)');
  assert.equal(subnetOf(fake), '172.18.0.0/16 gw 172.18.0.1');
  assert.equal(fake.byName('kind')!.Labels[RUN_ID_LABEL], 'run-1');
  assert.equal(fake.byName('kind-other')!.IPAM.Config[0]!.Subnet, '10.9.0.0/16', 'the other network is left alone');
});

test('a right kind network is kept as it is', async (t) => {
  const { fake, provider } = await engine(t);
  const id = fake.add('kind', KIND_NETWORK.subnet, KIND_NETWORK.gateway, ['someone-else']).Id;
  assert.match(await provider.prepareInstall(), /^Docker network kind: kept/);
  assert.equal(fake.byName('kind')!.Id, id);
  assert.ok(!fake.calls.some((c) => c.startsWith('DELETE') || c.startsWith('POST')), fake.calls.join(', '));
});

test('an unused kind network with another subnet is recreated pinned', async (t) => {
  const { fake, provider } = await engine(t);
  const id = fake.add('kind', '172.19.0.0/16', '172.19.0.1').Id;
  assert.match(await provider.prepareInstall(), /^Docker network kind: recreated/);
  assert.notEqual(fake.byName('kind')!.Id, id);
  assert.equal(subnetOf(fake), '172.18.0.0/16 gw 172.18.0.1');
});

test('a kind network in use with another subnet is refused in one line naming the containers, and left alone', async (t) => {
  const { fake, provider } = await engine(t);
  const id = fake.add('kind', '172.19.0.0/16', '172.19.0.1', ['old-control-plane', 'old-lb']).Id;
  await assert.rejects(provider.prepareInstall(), (e: unknown) => {
    assert.ok(e instanceof NetworkPinError, String(e));
    assert.equal(e.message.split('\n').length, 1);
    assert.match(e.message, /Docker network kind has 172\.19\.0\.0\/16 gw 172\.19\.0\.1 instead of 172\.18\.0\.0\/16 gw 172\.18\.0\.1 and is in use by old-control-plane, old-lb/);
    return true;
  });
  assert.equal(fake.byName('kind')!.Id, id);
  assert.equal(subnetOf(fake), '172.19.0.0/16 gw 172.19.0.1');
});
