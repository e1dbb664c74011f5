/**
 * The fault `forwarded-exec-output-dropped` next to the same exec sessions without it: a cell's auth
 * proxy (sim/src/versions/v2026-04/proxy/server.ts) in front of a hierarchy mgmt → wl → wl2, whose
 * clusters' API is a stand-in that answers an exec websocket with one stdout frame and a close.
 * Without the fault the caller gets both from the child and the grandchild; with it the child's
 * session still works (its agent execs locally, agent commands/exec.rs:32-33) while the grandchild's
 * output and end never come back: the caller's session ends only by the cell's idle timeout.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createStore, registerKinds } from '../../src/apiserver/index.js';
import { requestToken } from '../../src/apiserver/tokens.js';
import { getSpeed, setSpeed } from '../../src/clock.js';
import { setFaults } from '../../src/faults.js';
import { cellCaOf } from '../../src/versions/v2026-04/proxy/cell-ca.js';
import { createAuthProxyServer, type AuthProxyServer, type ProxyBackend } from '../../src/versions/v2026-04/proxy/server.js';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC11B65';
const PARENT: Record<string, string> = { wl: 'mgmt', wl2: 'wl' };
const EXEC = '/api/v1/namespaces/default/pods/hello/exec?command=true&stdout=true';

/** A server frame (unmasked, short payload), as the k8s channel protocol sends stdout (channel 1). */
const frame = (opcode: number, payload: Buffer) => Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
const stdout = (text: string) => frame(0x2, Buffer.concat([Buffer.from([1]), Buffer.from(text)]));
const close = (reason: string) => frame(0x8, Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from(reason)]));

/** The frames of a server's byte stream: opcode and payload each. */
function frames(bytes: Buffer): Array<{ opcode: number; payload: string }> {
  const out: Array<{ opcode: number; payload: string }> = [];
  for (let i = 0; i + 2 <= bytes.length; i += 2 + bytes[i + 1]!) {
    out.push({ opcode: bytes[i]! & 0x0f, payload: bytes.subarray(i + 2, i + 2 + bytes[i + 1]!).toString('latin1') });
  }
  return out;
}

let api: Server;
let proxy: AuthProxyServer;
let base = '';
let caPem = '';
let token = '';
const speed = getSpeed();

before(async () => {
  const store = createStore();
  registerKinds(store, { apiVersion: '2026-04' });
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lattice-system' } });
  store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'operator', namespace: 'lattice-system' } });
  token = (requestToken(store, 'lattice-system', 'operator', { spec: { audiences: ['lattice-proxy'] } } as never).status as { token: string }).token;
  const ca = await cellCaOf(store, 'mgmt');
  caPem = ca.caPem;
  const cert = await ca.serverCert(['127.0.0.1']);
  // Every cluster's API: the exec upgrade answered, the command's output written, the session closed.
  api = createServer({ cert: cert.certPem, key: cert.keyPem });
  api.on('upgrade', (req, socket: Duplex) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${WS_GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n`);
    socket.end(Buffer.concat([stdout(`exec-ok ${req.url}`), close('')]));
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  const apiUrl = `https://127.0.0.1:${(api.address() as AddressInfo).port}`;
  const isBelow = (name: string, ancestor: string): boolean => {
    for (let p = PARENT[name]; p; p = PARENT[p]) if (p === ancestor) return true;
    return false;
  };
  const backend: ProxyBackend = {
    isBelow,
    routes: () => new Map(['mgmt', 'wl', 'wl2'].map((n) => [n, { isSelf: n === 'mgmt', labels: {} }])),
    endpoint: () => ({ url: apiUrl, caPem, token: 'cluster-admin' }),
  };
  proxy = createAuthProxyServer({
    cluster: 'mgmt', store, backend, authorize: () => ({ allowed: true, detail: 'permitted' }), certPem: cert.certPem, keyPem: cert.keyPem, caPem, log: () => undefined,
  });
  await new Promise<void>((r) => proxy.server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
});
after(async () => {
  setSpeed(speed);
  await proxy?.stop();
  await new Promise<void>((r) => (api ? api.close(() => r()) : r()));
});
afterEach(() => { setFaults(new Set()); setSpeed(speed); });

/** One websocket exec through the proxy: the upgrade's status and every byte after it, once the proxy closes the session. */
function execThroughProxy(cluster: string): Promise<{ status: number; after: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/clusters/${cluster}${EXEC}`, {
      ca: caPem,
      headers: {
        Authorization: `Bearer ${token}`, Connection: 'Upgrade', Upgrade: 'websocket',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io',
      },
    });
    req.on('response', (res) => reject(new Error(`exec on ${cluster} was not upgraded: HTTP ${res.statusCode}`)));
    req.on('upgrade', (res, socket, head) => {
      const chunks: Buffer[] = [head];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('close', () => resolve({ status: res.statusCode ?? 0, after: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Fails naming what was awaited when the promise has not settled in time. */
function within<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

for (const fault of [false, true]) {
  describe(`forwarded-exec-output-dropped ${fault ? 'on' : 'off'}`, () => {
    it('an exec on the child (one hop) answers with its output', async () => {
      setFaults(new Set(fault ? ['forwarded-exec-output-dropped'] : []));
      const r = await within('the exec session on wl to end', execThroughProxy('wl'), 10_000);
      assert.equal(r.status, 101);
      assert.deepEqual(frames(r.after), [{ opcode: 2, payload: `\u0001exec-ok ${EXEC}` }, { opcode: 8, payload: '\u0003\u00e8' }]);
    });

    it(fault ? 'an exec on the grandchild (two hops) gets no output, only the idle timeout\'s close' : 'an exec on the grandchild (two hops) answers with its output', async () => {
      setFaults(new Set(fault ? ['forwarded-exec-output-dropped'] : []));
      // 600 s of Lattice's idle timeout in a tenth of a second of the test's time.
      setSpeed(6000);
      const started = Date.now();
      const r = await within('the exec session on wl2 to end', execThroughProxy('wl2'), 10_000);
      assert.equal(r.status, 101);
      if (fault) {
        assert.deepEqual(frames(r.after), [{ opcode: 8, payload: '\u0003\u00e8Exec session ended' }]);
        assert.ok(Date.now() - started >= 600_000 / 6000, 'the session lasted until the idle timeout');
      } else {
        assert.deepEqual(frames(r.after), [{ opcode: 2, payload: `\u0001exec-ok ${EXEC}` }, { opcode: 8, payload: '\u0003\u00e8' }]);
      }
    });
  });
}
