// Finding, destroying and sweeping one cluster's containers on a real engine, with a neighbour whose
// name starts with the same text (`e2e-workload` / `e2e-workload2`) standing next to it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { DockerProvider } from '../../support/providers/docker.js';
import { kubeconfigServers } from '../../support/kube/kubeconfig-file.js';
import { CAPD_CLUSTER_LABEL, CAPD_ROLE_LABEL } from '../../support/providers/docker/labels.js';
import { WaitTimeoutError } from '../../support/errors.js';
import type { ClusterRef } from '../../support/providers/types.js';
import { probeDockerEngine, requireEngine, skipUnlessEngine } from '../helpers/docker-engine.js';
import { DockerTestBed, sampleKubeconfig } from '../helpers/docker-testbed.js';

const gate = await probeDockerEngine();
const ref = (name: string): ClusterRef => ({ name, provider: 'docker', bootstrap: 'kubeadm' });

describe('docker provider: one cluster\'s containers, never its neighbour\'s', { skip: skipUnlessEngine(gate) }, () => {
  let docker: Docker; let bed: DockerTestBed; let workDir: string; let provider: DockerProvider;
  const ids = async (names: string[]): Promise<string[]> => (await Promise.all(names.map(async (n) => (await docker.getContainer(n).inspect()).Id))).sort();
  const namesOf = async (cluster: string): Promise<string[]> => (await provider.containersOf(cluster)).map((c) => c.name);

  before(async () => {
    docker = requireEngine(gate);
    bed = new DockerTestBed(docker);
    workDir = await mkdtemp(join(tmpdir(), 'lattice-docker-clusters-'));
    provider = new DockerProvider({ workDir, kubeconfigAttempts: 20, kubeconfigIntervalMs: 250, goneIntervalMs: 2_000 });
  });
  after(async () => {
    const left = await bed?.cleanup();
    await rm(workDir, { recursive: true, force: true });
    assert.deepEqual(left ?? [], [], 'every container and network of the test run is removed');
  });

  for (const labelled of ['e2e-workload', 'e2e-workload2'] as const) {
    it(`never confuses e2e-workload with e2e-workload2 (CAPD labels on ${labelled} only), and force-deletes exactly one`, async () => {
      const w1 = `${bed.runId}-${labelled === 'e2e-workload' ? 'a' : 'b'}-e2e-workload`;
      const w2 = `${w1}2`;
      await Promise.all([
        bed.cluster(w1, { capdLabels: labelled === 'e2e-workload', kubeconfig: sampleKubeconfig('first'), workers: 2 }),
        bed.cluster(w2, { capdLabels: labelled === 'e2e-workload2', kubeconfig: sampleKubeconfig('second'), workers: 1 }),
      ]);

      const of1 = await namesOf(w1); const of2 = await namesOf(w2);
      assert.equal(of1.length, 4, `e2e-workload has lb, control plane, 2 workers: ${of1.join(', ')}`);
      assert.equal(of2.length, 3, `e2e-workload2 has lb, control plane, 1 worker: ${of2.join(', ')}`);
      assert.ok(of1.every((n) => !n.startsWith(w2)), `no e2e-workload2 container among e2e-workload's: ${of1.join(', ')}`);
      assert.ok(of2.every((n) => n.startsWith(`${w2}-`)));

      // Each kubeconfig comes from its own control plane and points at its own lb.
      for (const [cluster, tag] of [[w1, 'first'], [w2, 'second']] as const) {
        const text = await readFile(await provider.kubeconfigFor(ref(cluster)), 'utf8');
        assert.match(text, new RegExp(`name: ${tag}-admin`));
        assert.equal(kubeconfigServers(text)[0], `https://127.0.0.1:${await provider.loadBalancerPort(cluster)}`);
      }
      assert.notEqual(await provider.loadBalancerPort(w1), await provider.loadBalancerPort(w2));

      const w2Ids = await ids(of2);
      await provider.destroyInfrastructure(ref(w1));
      await provider.infrastructureGone(ref(w1), 10_000);
      assert.deepEqual(await namesOf(w1), []);
      assert.deepEqual(await ids(await namesOf(w2)), w2Ids, 'e2e-workload2 keeps every container');
      for (const n of of2) assert.equal((await docker.getContainer(n).inspect()).State.Running, true, `${n} still runs`);

      await assert.rejects(provider.infrastructureGone(ref(w2), 500), (err: unknown) => {
        assert.ok(err instanceof WaitTimeoutError);
        assert.match(err.message, new RegExp(`containers of cluster ${w2} to be gone`));
        assert.match(err.message, new RegExp(`${w2}-lb \\(running\\)`));
        return true;
      });
      await provider.destroyInfrastructure(ref(w2));
      assert.deepEqual(await namesOf(w2), []);
    });
  }

  it('infrastructureGone follows removals made by someone else, before its timeout', async () => {
    const name = `${bed.runId}-gone`;
    await bed.cluster(name, { capdLabels: true, kubeconfig: sampleKubeconfig(name) });
    const started = Date.now();
    // The provider's fallback poll is 2 s and the timeout 20 s: only the destroy events make this quick.
    const removal = (async () => {
      await new Promise((r) => setTimeout(r, 300));
      for (const c of await provider.containersOf(name)) await docker.getContainer(c.id).remove({ force: true });
    })();
    await provider.infrastructureGone(ref(name), 20_000);
    await removal;
    assert.deepEqual(await namesOf(name), []);
    assert.ok(Date.now() - started < 15_000, `followed the removals (took ${Date.now() - started} ms)`);
  });

  it('a container named like the cluster\'s but labelled for another cluster is not the cluster\'s', async () => {
    const name = `${bed.runId}-owned`;
    await bed.run(`${name}-md-0-abc-def`, 'while :; do sleep 3600; done', { labels: { [CAPD_CLUSTER_LABEL]: `${name}-other`, [CAPD_ROLE_LABEL]: 'worker' } });
    await bed.worker(name, { capdLabels: false });
    const found = await provider.containersOf(name);
    assert.equal(found.length, 1);
    assert.doesNotMatch(found[0]!.name, /-abc-def$/);
    assert.equal(found[0]!.matchedBy, 'name');
    assert.deepEqual((await provider.containersOf(`${name}-other`)).map((c) => c.name), [`${name}-md-0-abc-def`]);
  });

  it('sweep by cluster names removes only those clusters\' containers; sweep by run id removes labelled containers and networks', async () => {
    const a = `${bed.runId}-swa`; const b = `${bed.runId}-swb`;
    await Promise.all([bed.cluster(a, { capdLabels: false, kubeconfig: sampleKubeconfig(a) }), bed.cluster(b, { capdLabels: true, kubeconfig: sampleKubeconfig(b) })]);
    const lines = await provider.sweep({ names: [a] });
    assert.equal(lines.length, 3, lines.join(' | '));
    assert.ok(lines.every((l) => l.includes(`of cluster ${a}`)));
    assert.deepEqual(await namesOf(a), []);
    assert.equal((await namesOf(b)).length, 3);

    // A separate bed gives a separate run id, so this sweep cannot touch the other tests' things.
    const other = new DockerTestBed(docker);
    try {
      await other.worker(`${other.runId}-x`, { capdLabels: true });
      await other.createNetwork(`${other.runId}-net`, '10.251.0.0/24', '10.251.0.1');
      const swept = await provider.sweep({ runId: other.runId });
      assert.deepEqual(swept.map((l) => l.split(' ').slice(0, 2).join(' ')).sort(), ['removed container', 'removed network']);
      assert.deepEqual(await other.leftovers(), []);
      assert.equal((await namesOf(b)).length, 3, 'another run\'s containers stay');
    } finally {
      await other.cleanup();
    }
  });

  it('removes stale bootstrap clusters by their containers when kind is not installed', async () => {
    const boot = `${bed.runId}-lattice-bootstrap`;
    await bed.run(`${boot}-control-plane`, 'while :; do sleep 3600; done', { labels: { [CAPD_CLUSTER_LABEL]: boot, [CAPD_ROLE_LABEL]: 'control-plane' } });
    const p = new DockerProvider({ workDir, bootstrapClusters: [boot, `${bed.runId}-lattice-uninstall`], kindBinary: join(workDir, 'no-such-kind') });
    const lines = await p.removeStaleBootstrapClusters();
    assert.deepEqual(lines, [`removed container ${boot}-control-plane of bootstrap cluster ${boot}`]);
    assert.deepEqual(await namesOf(boot), []);
  });

  it('removes stale bootstrap clusters with `kind delete cluster` when kind is installed', async () => {
    const boot = `${bed.runId}-lattice-uninstall`;
    await bed.run(`${boot}-control-plane`, 'while :; do sleep 3600; done', { labels: { [CAPD_CLUSTER_LABEL]: boot, [CAPD_ROLE_LABEL]: 'control-plane' } });
    // A stand-in kind that records its arguments and deletes the node as kind would.
    const record = join(workDir, 'kind-calls');
    const kind = join(workDir, 'kind');
    await writeFile(kind, `#!/bin/sh\necho "$*" >> ${record}\nif [ "$1" = delete ]; then docker rm -f "$4-control-plane" >/dev/null; fi\n`);
    await chmod(kind, 0o755);
    const p = new DockerProvider({ workDir, bootstrapClusters: [boot], kindBinary: kind });
    const lines = await p.sweep({ names: [boot] });
    assert.deepEqual(lines, [`deleted kind cluster ${boot}`]);
    assert.deepEqual((await readFile(record, 'utf8')).trim().split('\n'), ['version', `delete cluster --name ${boot}`]);
    assert.deepEqual(await namesOf(boot), []);
  });
});
