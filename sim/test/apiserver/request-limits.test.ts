/**
 * Request limits of the embedded API server, as a real kube-apiserver has them: a body over 3 MiB
 * (the server's default max request body, k8s.io/apiserver options: MaxRequestBodyBytes) is
 * answered 413 RequestEntityTooLarge without being read into memory, whether it announces its
 * length or streams it; a YAML body whose aliases expand beyond a sane size is refused 400
 * (go-yaml: "document contains excessive aliasing") instead of exhausting the daemon's memory.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { createStore, registerKinds, startApiServer, type ApiServer } from '../../src/apiserver/index.js';

let server: ApiServer;
before(async () => {
  const store = createStore({ historyLimit: 50 });
  registerKinds(store);
  server = await startApiServer({ store, clusterName: 'e2e-limits' });
});
after(() => server.stop());

const LIMIT = 3 * 1024 * 1024;
const PATH = '/api/v1/namespaces/default/configmaps';

interface Answer { code: number; body: { reason?: string; message?: string; code?: number }; sentBeforeAnswer: number }

/**
 * POSTs `total` bytes in 64 KiB chunks, honouring backpressure, and stops sending once the answer
 * arrives; `sentBeforeAnswer` tells how much the server had to take before it answered.
 */
function post(total: number, opts: { contentType?: string; announceLength: boolean; body?: Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { Authorization: `Bearer ${server.token}`, 'Content-Type': opts.contentType ?? 'application/json' };
    if (opts.announceLength) headers['Content-Length'] = opts.body?.length ?? total;
    const req = request(`${server.url}${PATH}`, { method: 'POST', ca: server.caPem, headers });
    let sent = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const at = sent;
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => { req.destroy(); resolve({ code: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, sentBeforeAnswer: at }); });
    });
    req.on('error', (err) => { if (!answered) reject(err); });
    if (opts.body) { req.end(opts.body); sent = opts.body.length; return; }
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) { req.once('drain', pump); return; }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

function configMapOf(bytes: number, name: string): Buffer {
  return Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { blob: 'x'.repeat(bytes) } }));
}

test('a 4 MB ConfigMap is refused 413 RequestEntityTooLarge (the body limit is 3 MiB)', async () => {
  const a = await post(0, { announceLength: true, body: configMapOf(4_000_000, 'big') });
  assert.equal(a.code, 413, JSON.stringify(a.body).slice(0, 300));
  assert.equal(a.body.reason, 'RequestEntityTooLarge');
  assert.match(a.body.message ?? '', /^Request entity too large: limit is 3145728$/);
});

test('a ConfigMap just under the body limit is accepted', async () => {
  const a = await post(0, { announceLength: true, body: configMapOf(900_000, 'under-limit') });
  assert.equal(a.code, 201, JSON.stringify(a.body).slice(0, 300));
});

test('a 64 MB body with its length announced is answered 413 at once, not a reset connection', async () => {
  const a = await post(64 * 1024 * 1024, { announceLength: true });
  assert.equal(a.code, 413, JSON.stringify(a.body).slice(0, 300));
  assert.ok(a.sentBeforeAnswer < 16 * 1024 * 1024, `the server took ${a.sentBeforeAnswer} bytes before answering`);
});

test('a 64 MB streamed body (no length) is answered 413 once it passes the limit, without reading the rest', async () => {
  const a = await post(64 * 1024 * 1024, { announceLength: false });
  assert.equal(a.code, 413, JSON.stringify(a.body).slice(0, 300));
  assert.ok(a.sentBeforeAnswer < LIMIT + 16 * 1024 * 1024, `the server took ${a.sentBeforeAnswer} bytes before answering`);
});

test('a 1 KB YAML alias bomb is refused 400 with one line, and the server keeps answering', async () => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const bomb = Buffer.from(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n${levels.join('\n')}\ndata: {}\n`);
  assert.ok(bomb.length < 1024);
  const a = await post(0, { announceLength: true, body: bomb, contentType: 'application/yaml' });
  assert.equal(a.code, 400, JSON.stringify(a.body).slice(0, 300));
  assert.match(a.body.message ?? '', /excessive aliasing/);
  assert.ok(!(a.body.message ?? '').includes('\n'));
  const ok = await post(0, { announceLength: true, body: configMapOf(10, 'after-bomb'), contentType: 'application/json' });
  assert.equal(ok.code, 201, 'the server still answers');
});
