import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteMountPaths } from '../../src/services/sandbox.js';
import { sandboxAvailable } from '../../src/services/index.js';
import { MEDIA_NS, mediaStack } from './fixtures.js';
import { applyAll, execIn, startWorld, until } from './world.js';

// Without mount namespaces (not root) the target rewrites mount paths in commands instead; without
// a C compiler the shell shim runs the real curl through the proxy. This file plays both.
process.env.LATTICE_SIM_NO_SANDBOX = '1';
process.env.LATTICE_SIM_REAL_CURL = '1';

test('mount paths are rewritten only at path boundaries, longest first', () => {
  const mounts = [{ path: '/media', hostDir: '/h/lib' }, { path: '/media/deep', hostDir: '/h/deep' }, { path: '/tv', hostDir: '/h/tv' }];
  assert.equal(rewriteMountPaths('echo x > /media/.test-marker', mounts), 'echo x > /h/lib/.test-marker');
  assert.equal(rewriteMountPaths('cat /media/deep/f /tv', mounts), 'cat /h/deep/f /h/tv');
  assert.equal(rewriteMountPaths('cat /mediation /x/media', mounts), 'cat /mediation /x/media');
  assert.equal(rewriteMountPaths("sh -c 'cat \"/tv/a\"'", mounts), "sh -c 'cat \"/h/tv/a\"'");
});

test('without a sandbox, shared volumes are still shared through rewritten paths', async (t) => {
  assert.equal(sandboxAvailable(), false);
  const w = await startWorld({ workers: 1, namespaces: [MEDIA_NS] });
  t.after(() => w.stop());
  applyAll(w.store, mediaStack());
  await until('sonarr and jellyfin available', () => ['jellyfin', 'sonarr', 'nzbget'].every((s) => w.store.get('apps/v1', 'Deployment', s, MEDIA_NS)?.status?.availableReplicas === 1), 15_000);
  assert.equal((await execIn(w, MEDIA_NS, 'jellyfin', ['sh', '-c', 'echo jellyfin-marker > /media/.test-marker'])).code, 0);
  assert.match((await execIn(w, MEDIA_NS, 'sonarr', ['sh', '-c', 'cat /tv/.test-marker'])).stdout, /jellyfin-marker/);
  assert.notEqual((await execIn(w, MEDIA_NS, 'nzbget', ['sh', '-c', 'cat /downloads/.test-marker'])).code, 0);
  const curl = await execIn(w, MEDIA_NS, 'sonarr', ['sh', '-c', "curl -s -o /dev/null -w '%{http_code}' http://nzbget:6789/"]);
  assert.equal(curl.stdout, '401', 'nzbget reached: its UI asks for basic auth');
  const version = await execIn(w, MEDIA_NS, 'sonarr', ['sh', '-c', 'curl --version | head -1']);
  assert.match(version.stdout, /^curl \d/, 'the real curl answers');
  const blocked = await execIn(w, MEDIA_NS, 'jellyfin', ['sh', '-c', "curl -s -o /dev/null -w '%{http_code}' --connect-timeout 3 http://sonarr:8989/ping || true"]);
  assert.equal(blocked.stdout, '000');
  // https is rewritten by the shell shim so the proxy sees the URL; no external is declared here.
  const ext = await execIn(w, MEDIA_NS, 'sonarr', ['sh', '-c', "curl -s -o /dev/null -w '%{http_code}' https://httpbin.org/status/200 || true"]);
  assert.equal(ext.stdout, '000');
});
