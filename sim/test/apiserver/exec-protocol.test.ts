/**
 * The exec websocket at the frame level: subprotocol choice (v5 preferred, v4 accepted, older
 * refused), channel bytes, the status frame, stdin close under v5, and never a 255 frame from the server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { createStore, registerKinds, startApiServer, type ApiServer } from '../../src/apiserver/index.js';
import { createFakeRuntime } from '../helpers/fake-runtime.js';

let server: ApiServer;
const SESSION_TIMEOUT_MS = 10_000;

before(async () => {
  const store = createStore();
  registerKinds(store);
  store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'main', image: 'x' }] }, status: { phase: 'Running' } });
  server = await startApiServer({ store, clusterName: 'frames', hooks: createFakeRuntime({ 'default/web': { main: [] } }) });
});
after(async () => { await server?.stop(); });

interface Session { protocol: string; frames: Buffer[]; closeCode: number }

function open(command: string[], protocols: string[], opts: { stdin?: string; token?: string; pod?: string } = {}): Promise<Session> {
  const q = new URLSearchParams({ container: 'main', stdout: 'true', stderr: 'true', stdin: opts.stdin !== undefined ? 'true' : 'false' });
  for (const c of command) q.append('command', c);
  const url = `${server.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/${opts.pod ?? 'web'}/exec?${q}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { ca: server.caPem, headers: { Authorization: `Bearer ${opts.token ?? server.token}` } });
    const frames: Buffer[] = [];
    const timer = setTimeout(() => { ws.terminate(); reject(new Error(`exec ${command.join(' ')} did not finish; frames: ${frames.map((f) => f[0])}`)); }, SESSION_TIMEOUT_MS);
    ws.on('open', () => {
      if (opts.stdin !== undefined) {
        ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(opts.stdin)]));
        ws.send(Buffer.from([255, 0])); // v5: close stdin
      }
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => { assert.ok(isBinary, 'frames are binary'); frames.push(Buffer.from(data)); });
    ws.on('close', (code) => { clearTimeout(timer); resolve({ protocol: ws.protocol, frames, closeCode: code }); });
    ws.on('unexpected-response', (_req, res) => { clearTimeout(timer); reject(Object.assign(new Error(`refused ${res.statusCode}`), { statusCode: res.statusCode })); ws.terminate(); });
    ws.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

const channel = (s: Session, ch: number) => Buffer.concat(s.frames.filter((f) => f[0] === ch).map((f) => f.subarray(1))).toString();

test('v5 is preferred; output and status arrive on their channels; no 255 frame is sent', async () => {
  const s = await open(['echo', 'hi'], ['v4.channel.k8s.io', 'v5.channel.k8s.io', 'channel.k8s.io']);
  assert.equal(s.protocol, 'v5.channel.k8s.io');
  assert.equal(channel(s, 1), 'hi\n');
  assert.deepEqual(JSON.parse(channel(s, 3)), { metadata: {}, status: 'Success' });
  assert.equal(s.frames[s.frames.length - 1][0], 3, 'the status is the last frame');
  assert.ok(s.frames.every((f) => f[0] !== 255));
  assert.equal(s.closeCode, 1000);
});

test('v4 is accepted and carries the NonZeroExitCode status', async () => {
  const s = await open(['fail', '42', 'nope'], ['v4.channel.k8s.io']);
  assert.equal(s.protocol, 'v4.channel.k8s.io');
  assert.equal(channel(s, 2), 'nope\n');
  const status = JSON.parse(channel(s, 3));
  assert.equal(status.status, 'Failure');
  assert.equal(status.reason, 'NonZeroExitCode');
  assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '42' }]);
});

test('stdin is delivered and the v5 close frame ends it', async () => {
  const s = await open(['cat'], ['v5.channel.k8s.io'], { stdin: 'piped' });
  assert.equal(channel(s, 1), 'piped');
  assert.equal(JSON.parse(channel(s, 3)).status, 'Success');
});

test('older subprotocols only, a bad token or a missing pod are refused before the upgrade', async () => {
  await assert.rejects(open(['echo'], ['v3.channel.k8s.io', 'channel.k8s.io']), { statusCode: 400 });
  await assert.rejects(open(['echo'], ['v5.channel.k8s.io'], { token: 'wrong' }), { statusCode: 401 });
  await assert.rejects(open(['echo'], ['v5.channel.k8s.io'], { pod: 'ghost' }), { statusCode: 404 });
  assert.equal(server.connections().execs, 0);
});
