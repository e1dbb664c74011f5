import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { startApiServer } from '../../src/apiserver/server.js';
import { MEDIA_NS, MESH_NS, mediaStack, nginxService, probeScript, scriptService } from './fixtures.js';
import { applyAll, podOf, startWorld, until } from './world.js';

function sink() {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, cb) { text += chunk.toString(); cb(); } });
  return { stream, text: () => text };
}

async function kubectlExec(kc: k8s.KubeConfig, ns: string, pod: string, command: string[]): Promise<{ status: k8s.V1Status; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const status = await new Promise<k8s.V1Status>((resolve, reject) => {
    new k8s.Exec(kc).exec(ns, pod, 'main', command, out.stream, err.stream, null, false, (s) => resolve(s)).catch(reject);
  });
  return { status, stdout: out.text(), stderr: err.text() };
}

test('exec and logs through the API server with client-node: shared volume, exit codes, probe logs', async (t) => {
  const w = await startWorld({ workers: 1, namespaces: [MEDIA_NS, MESH_NS] });
  t.after(() => w.stop());
  const api = await startApiServer({ store: w.store, clusterName: 'services-test', hooks: w.runtime.hooks, host: '127.0.0.1', port: 0 });
  t.after(() => api.stop());
  const kc = new k8s.KubeConfig();
  kc.loadFromString(api.kubeconfig());

  applyAll(w.store, mediaStack());
  applyAll(w.store, [
    nginxService('api', MESH_NS, { probe: { type: 'service', direction: 'inbound' } }),
    scriptService('probe', MESH_NS, probeScript(['api'], MESH_NS), { api: { type: 'service' } }),
  ]);
  const jellyfin = await until('jellyfin running', () => podOf(w.store, MEDIA_NS, 'jellyfin'), 15_000);
  const sonarr = await until('sonarr running', () => podOf(w.store, MEDIA_NS, 'sonarr'), 15_000);

  const write = await kubectlExec(kc, MEDIA_NS, jellyfin.metadata.name, ['sh', '-c', 'echo jellyfin-marker > /media/.test-marker']);
  assert.equal(write.status.status, 'Success');
  const read = await kubectlExec(kc, MEDIA_NS, sonarr.metadata.name, ['sh', '-c', 'cat /tv/.test-marker']);
  assert.equal(read.stdout, 'jellyfin-marker\n');
  const fail = await kubectlExec(kc, MEDIA_NS, sonarr.metadata.name, ['sh', '-c', 'echo nope >&2; exit 3']);
  assert.equal(fail.status.status, 'Failure');
  assert.equal(fail.status.reason, 'NonZeroExitCode');
  assert.equal(fail.status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message, '3');
  assert.equal(fail.stderr, 'nope\n');
  const curl = await kubectlExec(kc, MEDIA_NS, sonarr.metadata.name, ['sh', '-c', "curl -s -o /dev/null -w '%{http_code}' --connect-timeout 5 http://nzbget:6789/ || true"]);
  assert.equal(curl.stdout, '401', 'nzbget reached: its UI asks for basic auth');

  const core = kc.makeApiClient(k8s.CoreV1Api);
  const probe = await until('probe running', () => podOf(w.store, MESH_NS, 'probe'), 15_000);
  const log = await until('a probe round in the log served by the API', async () => {
    const l = await core.readNamespacedPodLog({ name: probe.metadata.name, namespace: MESH_NS, container: 'main', tailLines: 10 });
    return l.includes('ROUND') ? l : false;
  }, 15_000);
  assert.match(log, /^api: 200$/m);
  const pods = await core.listNamespacedPod({ namespace: MESH_NS, labelSelector: 'app.kubernetes.io/name=api' });
  assert.equal(pods.items[0].status?.phase, 'Running');
  assert.equal(pods.items[0].status?.containerStatuses?.[0].ready, true);
});
