// Pinning the `kind` network on a real engine: created when absent, kept when right, recreated when
// wrong and unused, refused (naming the containers) when wrong and in use. The cycles run on a name
// of the test's own: a real `kind` network on this machine is only ever read, never created or removed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type Docker from 'dockerode';
import { tmpdir } from 'node:os';
import { DockerProvider } from '../../support/providers/docker.js';
import { KIND_NETWORK, NetworkPinError, type NetworkPin } from '../../support/providers/docker/network.js';
import { RUN_ID_LABEL } from '../../support/providers/docker/labels.js';
import { probeDockerEngine, requireEngine, skipUnlessEngine } from '../helpers/docker-engine.js';
import { DockerTestBed, randomToken } from '../helpers/docker-testbed.js';

const gate = await probeDockerEngine();
const WRONG = { subnet: '10.253.0.0/16', gateway: '10.253.0.1' };

interface NetInfo { Id: string; Name: string; IPAM: { Config: Array<{ Subnet?: string; Gateway?: string }> }; Containers?: Record<string, { Name: string }>; Labels?: Record<string, string> }
async function findNetwork(docker: Docker, name: string): Promise<NetInfo | undefined> {
  const hit = (await docker.listNetworks({ filters: { name: [name] } })).find((n) => n.Name === name);
  return hit ? (await docker.getNetwork(hit.Id).inspect()) as NetInfo : undefined;
}

// Decided before the tests are declared: whether `kind` already exists here, and whether 172.18.0.0/16 is free.
const existingKind = gate.run === true ? await findNetwork(gate.docker, 'kind') : undefined;
const subnetTaken = gate.run === true && (await gate.docker.listNetworks()).some((n) => (n.IPAM?.Config ?? []).some((c) => c.Subnet === KIND_NETWORK.subnet));

function pinCycle(title: string, pin: () => NetworkPin, getBed: () => DockerTestBed): void {
  describe(title, () => {
    let docker: Docker; let provider: DockerProvider;
    before(() => {
      docker = requireEngine(gate);
      provider = new DockerProvider({ workDir: tmpdir(), runId: getBed().runId, network: pin() });
    });
    const subnets = async (): Promise<string> => {
      const n = await findNetwork(docker, pin().name);
      return (n?.IPAM.Config ?? []).map((c) => `${c.Subnet} gw ${c.Gateway}`).join(', ');
    };

    it('creates the network when absent, with the pinned subnet and gateway and the run id label', async () => {
      assert.equal(await findNetwork(docker, pin().name), undefined);
      assert.equal(await provider.ensureNetwork(), 'created');
      assert.equal(await subnets(), `${pin().subnet} gw ${pin().gateway}`);
      assert.equal((await findNetwork(docker, pin().name))!.Labels?.[RUN_ID_LABEL], getBed().runId);
    });

    it('keeps it when it is right', async () => {
      const id = (await findNetwork(docker, pin().name))!.Id;
      assert.equal(await provider.ensureNetwork(), 'kept');
      assert.equal((await findNetwork(docker, pin().name))!.Id, id);
    });

    it('recreates it when the subnet is wrong and nothing is attached', async () => {
      await docker.getNetwork(pin().name).remove();
      const wrong = await getBed().createNetwork(pin().name, WRONG.subnet, WRONG.gateway);
      assert.equal(await provider.ensureNetwork(), 'recreated');
      const now = (await findNetwork(docker, pin().name))!;
      assert.notEqual(now.Id, wrong.id);
      assert.equal(await subnets(), `${pin().subnet} gw ${pin().gateway}`);
    });

    it('refuses when the subnet is wrong and containers are attached, naming them, and leaves the network alone', async () => {
      await docker.getNetwork(pin().name).remove();
      const wrong = await getBed().createNetwork(pin().name, WRONG.subnet, WRONG.gateway);
      const node = `${getBed().runId}-attached-${randomToken()}`;
      await getBed().run(node, 'while :; do sleep 3600; done', { network: pin().name });
      await assert.rejects(provider.ensureNetwork(), (err: unknown) => {
        assert.ok(err instanceof NetworkPinError, String(err));
        assert.ok(err.message.includes(`network ${pin().name} has ${WRONG.subnet} gw ${WRONG.gateway} instead of ${pin().subnet} gw ${pin().gateway}`), err.message);
        assert.match(err.message, new RegExp(`in use by ${node}`));
        return true;
      });
      assert.equal((await findNetwork(docker, pin().name))!.Id, wrong.id);
      assert.equal(await subnets(), `${WRONG.subnet} gw ${WRONG.gateway}`);
      await docker.getContainer(node).remove({ force: true });
      await docker.getNetwork(pin().name).remove();
    });
  });
}

describe('docker provider: pinning the kind network', { skip: skipUnlessEngine(gate) }, () => {
  let bed: DockerTestBed;
  before(() => { bed = new DockerTestBed(requireEngine(gate)); });
  after(async () => {
    const left = await bed?.cleanup();
    assert.deepEqual(left ?? [], [], 'every container and network of the test run is removed');
  });

  const attached = Object.values(existingKind?.Containers ?? {}).map((c) => c.Name);
  const right = existingKind?.IPAM.Config.some((c) => c.Subnet === KIND_NETWORK.subnet) ?? false;
  // Someone's `kind` network is here and judging it leaves it alone (kept, or refused because it is
  // in use); an unused one with another subnet would be recreated, which only a real run may do.
  if (existingKind !== undefined && (right || attached.length > 0)) {
    it('judges the existing `kind` network without disturbing it', async () => {
      const provider = new DockerProvider({ workDir: tmpdir(), runId: bed.runId });
      if (right) assert.equal(await provider.ensureNetwork(), 'kept');
      else await assert.rejects(provider.ensureNetwork(), new RegExp(`in use by ${attached.sort().join(', ')}`));
      assert.equal((await findNetwork(bed.docker, 'kind'))!.Id, existingKind!.Id);
    });
  }

  // 172.18.0.0/16 can be held by one network at a time: the test's own name takes it when it is
  // free, another private range when someone else's network holds it.
  const ownPin = (): NetworkPin => ({
    name: `${bed.runId}-kind`,
    ...(!subnetTaken ? { subnet: KIND_NETWORK.subnet, gateway: KIND_NETWORK.gateway } : { subnet: '10.254.0.0/16', gateway: '10.254.0.1' }),
  });
  pinCycle('on a name of the test\'s own', ownPin, () => bed);

  it('prepares an install by pinning the network, before anything else runs on it', async () => {
    const docker = requireEngine(gate);
    const provider = new DockerProvider({ workDir: tmpdir(), runId: bed.runId, network: ownPin() });
    assert.equal(await findNetwork(docker, ownPin().name), undefined);
    assert.equal(await provider.prepareInstall(), `Docker network ${ownPin().name}: created (subnet ${ownPin().subnet}, gateway ${ownPin().gateway})`);
    assert.deepEqual((await findNetwork(docker, ownPin().name))!.IPAM.Config.map((c) => [c.Subnet, c.Gateway]), [[ownPin().subnet, ownPin().gateway]]);
    assert.match(await provider.prepareInstall(), /: kept /);
    await docker.getNetwork(ownPin().name).remove();
  });
});
