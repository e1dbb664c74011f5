import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCluster } from '../../../support/kube/clients.js';
import { watchAcross, type WatchAcrossInput } from '../../../support/kube/watch-across.js';
import { startFakeApiServer, type FakeApiServer } from '../../helpers/fake-apiserver.js';

const PATH = '/apis/lattice.dev/v1alpha1/latticeclusters';
const BLOCKED = 'Deletion blocked: 1 child cluster(s) exist: e2e-workload2. Delete children first or remove finalizer for break-glass.';
interface Lc { metadata: { name: string; resourceVersion?: string }; status?: { phase?: string; message?: string } }
const lc = (message: string, phase = 'Ready') => ({ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name: 'e2e-workload' }, status: { phase, message } });

async function setup(t: Parameters<typeof startFakeApiServer>[0]): Promise<{ server: FakeApiServer; input: WatchAcrossInput<Lc> }> {
  const server = await startFakeApiServer(t);
  server.ensureCollection(PATH);
  server.put(PATH, lc('Cluster is self-managed and ready'));
  const client = openCluster(await server.writeKubeconfig('workload'));
  return {
    server,
    input: {
      client, path: PATH, name: 'e2e-workload', resource: 'LatticeCluster e2e-workload on its own API', conditionText: 'saying its deletion is blocked',
      timeoutMs: 5000, condition: (o) => o.status?.message === BLOCKED,
      describe: (o) => (o ? `phase ${o.status?.phase}: ${o.status?.message}` : 'gone'),
    },
  };
}

/** The API answers nothing any more, as a cluster torn down by its parent (its open streams end first, flushing what was written). */
async function goAway(server: FakeApiServer): Promise<void> {
  server.dropWatches();
  await server.close();
}

test('the action runs only once the watch is open, and a message the API wrote just before going away counts', async (t) => {
  const { server, input } = await setup(t);
  let watchesOpenAtAction = -1;
  const seen = await watchAcross(input, async () => {
    watchesOpenAtAction = server.requestsTo(PATH, true).length;
    // the message lives only moments: written, then the whole API goes
    server.put(PATH, lc(BLOCKED));
    server.put(PATH, lc('Agent sending CAPI resources to parent', 'Unpivoting'));
    await goAway(server);
  });
  assert.equal(watchesOpenAtAction, 1, 'a watch was open when the action ran');
  assert.equal(seen.status?.message, BLOCKED);
});

test('an API that goes away before the condition fails at once, naming that and the last version seen', async (t) => {
  const { server, input } = await setup(t);
  const started = Date.now();
  await assert.rejects(
    watchAcross(input, async () => { server.put(PATH, lc('Deletion pending: waiting for CAPI to stabilize')); await goAway(server); }),
    (err: Error) => {
      assert.match(err.message, /^LatticeCluster e2e-workload on its own API's API went away before it was saying its deletion is blocked \(.*\); last seen: phase Ready: Deletion pending: waiting for CAPI to stabilize$/);
      return true;
    },
  );
  assert.ok(Date.now() - started < 4000, 'not by the timeout');
});

test('a watch the server closes cleanly is reopened from the last version, and later versions still count', async (t) => {
  const { server, input } = await setup(t);
  const seen = await watchAcross(input, async () => {
    server.dropWatches();
    void server.waitForWatch(() => true, 2).then(() => server.put(PATH, lc(BLOCKED)));
  });
  assert.equal(seen.status?.message, BLOCKED);
  assert.equal(server.requestsTo(PATH, true).length, 2);
  await server.waitForNoOpenWatches();
});

test('a failIf reason ends the wait with that reason', async (t) => {
  const { server, input } = await setup(t);
  await assert.rejects(
    watchAcross({ ...input, failIf: (o) => (o.status?.phase === 'Unpivoting' ? 'it is Unpivoting' : undefined) },
      async () => { server.put(PATH, lc('Agent sending CAPI resources to parent', 'Unpivoting')); }),
    /can no longer become saying its deletion is blocked: it is Unpivoting/,
  );
});
