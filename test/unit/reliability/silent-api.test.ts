// An API server that accepts a connection and never answers must not hold the run: each request
// the suite makes ends with a clear error within its time limit, and the process can then exit
// (a finished run used to stay forever, its reports written, SIGTERM ignored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { scratch } from '../../helpers/scratch.js';
import { waitUntil } from '../../helpers/wait-until.js';

test('requests to a server that never answers time out with one clear line each, and the process exits by itself', { timeout: 120_000 }, async (t) => {
  const sockets = new Set<Socket>();
  const server = createServer((s) => { sockets.add(s); s.on('error', () => {}); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => { for (const s of sockets) s.destroy(); server.close(); });
  const port = (server.address() as { port: number }).port;
  const kubeconfig = join(scratch(t, 'lattice-silent-'), 'kubeconfig');
  writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: silent',
    'clusters:', '- name: silent', '  cluster:', `    server: http://127.0.0.1:${port}`, '    insecure-skip-tls-verify: true',
    'users:', '- name: u', '  user:', '    token: not-a-secret-token',
    'contexts:', '- name: silent', '  context:', '    cluster: silent', '    user: u', '',
  ].join('\n'), { mode: 0o600 });

  const child = spawn(process.execPath, ['--no-warnings', '--import', './test/register.mjs', 'test/unit/reliability/fixtures/silent-api-client.ts'], {
    env: { ...process.env, SILENT_KUBECONFIG: kubeconfig, TS_NODE_TRANSPILE_ONLY: 'true' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = ''; let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  t.after(() => { child.kill('SIGKILL'); });
  // Bounded: each request's limit is 0.4 s; a request left hanging keeps the process alive for ever.
  await waitUntil('the client process to exit by itself', () => child.exitCode !== null || child.signalCode !== null, 60_000, 100,
    () => `it is still running; it printed:\n${out}${err.slice(-1000)}`);
  const result = child.exitCode;
  assert.equal(result, 0, err.slice(-1000));

  const outcomes = out.trim().split('\n').map((l) => JSON.parse(l) as { op: string; error: string; ms: number });
  assert.deepEqual(outcomes.map((o) => o.op), ['typed list', 'typed read (KubernetesObjectApi)', 'raw GET', 'log stream', 'watch', 'diagnostics']);
  const diagnostics = outcomes.pop()!;
  assert.match(diagnostics.error, /no answer within 5s/, 'diagnostics say the cluster did not answer');
  for (const o of outcomes) {
    assert.match(o.error, new RegExp(`^RequestTimeoutError: (Failed to fetch resource metadata for v1/Namespace: )?no answer from 127\\.0\\.0\\.1:${port} within 0\\.4s \\(the connection was accepted, no reply came\\)$`), `${o.op}: ${o.error}`);
    assert.ok(o.ms < 10_000, `${o.op} took ${o.ms} ms`);
  }
});
