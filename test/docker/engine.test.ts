// The engine itself: an unreachable one is one clear line (these cases need no engine), and the test
// bed removes what a failing test created.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { DockerProvider } from '../../support/providers/docker.js';
import { PrerequisiteError } from '../../support/errors.js';
import type { ClusterRef } from '../../support/providers/types.js';
import { probeDockerEngine, requireEngine, skipUnlessEngine } from '../helpers/docker-engine.js';
import { withTestBed } from '../helpers/docker-testbed.js';

const ref: ClusterRef = { name: 'e2e-workload', provider: 'docker', bootstrap: 'kubeadm' };

/** A loopback port nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe('docker provider: an unreachable engine', () => {
  it('names the DOCKER_HOST address and the fix when the socket does not exist', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      const p = new DockerProvider({ workDir: tmpdir() });
      for (const call of [() => p.kubeconfigFor(ref), () => p.destroyInfrastructure(ref), () => p.infrastructureGone(ref, 1_000), () => p.sweep({ names: ['e2e-workload'] }), () => p.ensureNetwork()]) {
        await assert.rejects(call(), (err: unknown) => {
          assert.ok(err instanceof PrerequisiteError, String(err));
          assert.equal(err.message, 'the Docker engine at unix:///nonexistent/docker.sock is unreachable (ENOENT); start dockerd (as .ci/run does) or point DOCKER_HOST at a running engine');
          return true;
        });
      }
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST; else process.env.DOCKER_HOST = saved;
    }
  });

  it('reports a refused TCP address the same way', async () => {
    const host = `tcp://127.0.0.1:${await closedPort()}`;
    await assert.rejects(new DockerProvider({ workDir: tmpdir(), dockerHost: host }).kubeconfigFor(ref), (err: unknown) => {
      assert.ok(err instanceof PrerequisiteError);
      assert.match(err.message, new RegExp(`^the Docker engine at ${host} is unreachable \\(ECONNREFUSED\\)`));
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  });

  it('rejects an address it cannot use, naming it', () => {
    assert.throws(() => new DockerProvider({ workDir: tmpdir(), dockerHost: 'ssh://somewhere' }), /DOCKER_HOST "ssh:\/\/somewhere" is not a unix:\/\/ or tcp:\/\/ address/);
  });
});

const gate = await probeDockerEngine();

describe('docker test bed', { skip: skipUnlessEngine(gate) }, () => {
  it('removes the containers and networks of a test that fails', async () => {
    const docker = requireEngine(gate);
    let runId = '';
    await assert.rejects(withTestBed(docker, async (bed) => {
      runId = bed.runId;
      await bed.createNetwork(`${bed.runId}-net`, '10.250.0.0/24', '10.250.0.1');
      await bed.cluster(`${bed.runId}-doomed`, { capdLabels: true, kubeconfig: 'clusters: []', network: `${bed.runId}-net` });
      assert.equal((await bed.leftovers()).length, 4, 'lb, control plane, worker and network exist before the failure');
      throw new Error('the test failed here');
    }), /the test failed here/);
    const label = `lattice-acceptance/run-id=${runId}`;
    assert.deepEqual(await docker.listContainers({ all: true, filters: { label: [label] } }), []);
    assert.deepEqual(await docker.listNetworks({ filters: { label: [label] } }), []);
  });
});
