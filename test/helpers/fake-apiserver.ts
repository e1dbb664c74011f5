/**
 * A small Kubernetes API stand-in on loopback: plain http (the kubeconfig sets
 * insecure-skip-tls-verify, as client-node requires for http) or https with a throwaway
 * self-signed certificate made by the `openssl` CLI (the kubeconfig carries it as CA data). It stores objects per collection
 * path, answers GET/LIST/POST/PATCH/DELETE and streams watches as chunked NDJSON, and lets a test
 * inject faults: status replies, refused watches, dropped watches, expired resourceVersions.
 * Every request is recorded for assertions.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  watch: boolean;
}

export interface Fault {
  /** Which requests it hits. */
  match: (req: RecordedRequest) => boolean;
  status: number;
  reason?: string;
  message?: string;
  /** How many times (default: forever). */
  times?: number;
}

type Obj = { metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string>; [k: string]: unknown }; [k: string]: unknown };

interface StoredEvent { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: Obj; rv: number }

interface Watcher { collection: string; res: http.ServerResponse; filter: (o: Obj) => boolean }

interface PodLog { text: string; followers: Set<http.ServerResponse>; ended: boolean }

export const FAKE_TOKEN = 'fake-token-s3cr3t-do-not-log';

export function statusBody(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

const REASONS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  409: 'AlreadyExists', 410: 'Expired', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable',
};

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly collections = new Map<string, Map<string, Obj>>();
  private readonly history = new Map<string, StoredEvent[]>();
  private readonly watchers = new Set<Watcher>();
  private readonly faults: Fault[] = [];
  private readonly podLogs = new Map<string, PodLog>();
  private rv = 100;
  private compactedBelow = 0;
  /** How an expired resourceVersion is reported: HTTP 410 or (like a real server) a 200 with an ERROR event. */
  goneAs: 'status' | 'event' = 'event';
  private tmp?: string;

  private constructor(private readonly server: http.Server, readonly url: string, private readonly caPem?: string, tmp?: string) {
    this.tmp = tmp;
  }

  static async start(opts: { tls?: boolean } = {}): Promise<FakeApiServer> {
    const ref: { self?: FakeApiServer } = {};
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => { void ref.self?.handle(req, res); };
    let server: http.Server;
    let caPem: string | undefined;
    let tmp: string | undefined;
    if (opts.tls) {
      tmp = mkdtempSync(join(tmpdir(), 'fake-apiserver-'));
      const cert = join(tmp, 'cert.pem');
      const key = join(tmp, 'key.pem');
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
        '-days', '1', '-subj', '/CN=fake-apiserver', '-addext', 'subjectAltName=IP:127.0.0.1',
      ], { stdio: 'ignore' });
      caPem = readFileSync(cert, 'utf8');
      server = https.createServer({ cert: caPem, key: readFileSync(key) }, handler);
    } else {
      server = http.createServer(handler);
    }
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    ref.self = new FakeApiServer(server, `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`, caPem, tmp);
    return ref.self;
  }

  /** Writes a kubeconfig for this server (mode 0600) in a temp folder removed by close(). */
  async writeKubeconfig(contextName = 'fake'): Promise<string> {
    this.tmp ??= await mkdtemp(join(tmpdir(), 'fake-apiserver-'));
    const path = join(this.tmp, `${contextName}.kubeconfig`);
    const text = [
      'apiVersion: v1', 'kind: Config', `current-context: ${contextName}`,
      'clusters:', `- name: ${contextName}`, '  cluster:', `    server: ${this.url}`,
      this.caPem ? `    certificate-authority-data: ${Buffer.from(this.caPem).toString('base64')}` : '    insecure-skip-tls-verify: true',
      'users:', `- name: ${contextName}-admin`, '  user:', `    token: ${FAKE_TOKEN}`,
      'contexts:', `- name: ${contextName}`, '  context:', `    cluster: ${contextName}`, `    user: ${contextName}-admin`, '',
    ].join('\n');
    await writeFile(path, text, { mode: 0o600 });
    return path;
  }

  async close(): Promise<void> {
    for (const w of this.watchers) w.res.destroy();
    for (const log of this.podLogs.values()) for (const res of log.followers) res.destroy();
    this.watchers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.tmp) await rm(this.tmp, { recursive: true, force: true });
  }

  // --- state ---------------------------------------------------------------------------------

  /** Makes a collection known (empty), so that listing it answers 200 instead of 404. */
  ensureCollection(collection: string): void {
    this.collection(collection);
  }

  /** Creates or replaces an object; returns the stored copy with its new resourceVersion. */
  put(collection: string, object: object): Obj {
    const obj = structuredClone(object) as Obj;
    const items = this.collection(collection);
    const key = objKey(obj);
    const type = items.has(key) ? 'MODIFIED' : 'ADDED';
    obj.metadata.resourceVersion = String(++this.rv);
    items.set(key, obj);
    this.emit(collection, { type, object: obj, rv: this.rv });
    return structuredClone(obj);
  }

  remove(collection: string, name: string, namespace?: string): void {
    const items = this.collection(collection);
    const key = `${namespace ?? ''}/${name}`;
    const obj = items.get(key);
    if (!obj) return;
    items.delete(key);
    const gone = structuredClone(obj);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit(collection, { type: 'DELETED', object: gone, rv: this.rv });
  }

  /** Adds text to a pod's log (`GET .../pods/<p>/log`, followed with `follow=true`). */
  appendPodLog(namespace: string, pod: string, text: string): void {
    const log = this.podLog(namespace, pod);
    log.text += text;
    for (const res of log.followers) res.write(text);
  }

  /** How many followed pod-log streams are open right now. */
  openLogFollowers(): number {
    let n = 0;
    for (const log of this.podLogs.values()) n += log.followers.size;
    return n;
  }

  /** The pod's container stopped: followed logs end, and the log is gone (404) as the pod is. */
  endPodLog(namespace: string, pod: string): void {
    const log = this.podLog(namespace, pod);
    log.ended = true;
    for (const res of log.followers) res.end();
    log.followers.clear();
  }

  private podLog(namespace: string, pod: string): PodLog {
    const key = `${namespace}/${pod}`;
    let log = this.podLogs.get(key);
    if (!log) this.podLogs.set(key, log = { text: '', followers: new Set(), ended: false });
    return log;
  }

  private serveLog(rec: RecordedRequest, res: http.ServerResponse): void {
    const [, , , , namespace, , pod] = rec.path.split('/');
    const log = this.podLogs.get(`${namespace}/${pod}`);
    if (!log || log.ended) return reply(res, 404, statusBody(404, 'NotFound', `pods "${pod}" not found`));
    if (rec.query.get('follow') !== 'true') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(log.text);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    if (log.text) res.write(log.text);
    log.followers.add(res);
    res.on('close', () => log.followers.delete(res));
  }

  get(collection: string, name: string, namespace?: string): Obj | undefined {
    const obj = this.collections.get(collection)?.get(`${namespace ?? ''}/${name}`);
    return obj ? structuredClone(obj) : undefined;
  }

  currentResourceVersion(): string {
    return String(this.rv);
  }

  // --- faults --------------------------------------------------------------------------------

  addFault(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  /** Refuses every watch with `status` (405 by default), as a server without watch support would. */
  rejectWatches(status = 405): void {
    this.addFault({ match: (r) => r.watch, status });
  }

  /** Ends every open watch stream now (the client sees a clean close). */
  dropWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** Forgets history up to now: watches from an older resourceVersion get 410 Gone. */
  compactHistory(): void {
    this.compactedBelow = this.rv;
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  /** Resolves once no watch stream is open, or rejects after `timeoutMs`. */
  async waitForNoOpenWatches(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.watchers.size > 0) {
      if (Date.now() > deadline) throw new Error(`${this.watchers.size} watch stream(s) still open after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Resolves once a watch request matching `match` is open (for tests that act mid-watch). */
  async waitForWatch(match: (r: RecordedRequest) => boolean = () => true, count = 1, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.filter((r) => r.watch && match(r)).length < count || this.watchers.size === 0) {
      if (Date.now() > deadline) throw new Error(`no watch #${count} opened within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Recorded requests, optionally only watches (true) or only non-watch ones (false). */
  requestsTo(pathPrefix: string, watch?: boolean): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix) && (watch === undefined || r.watch === watch));
  }

  // --- HTTP ----------------------------------------------------------------------------------

  private collection(path: string): Map<string, Obj> {
    let c = this.collections.get(path);
    if (!c) { c = new Map(); this.collections.set(path, c); }
    return c;
  }

  private emit(collection: string, event: StoredEvent): void {
    let h = this.history.get(collection);
    if (!h) { h = []; this.history.set(collection, h); }
    h.push(event);
    for (const w of this.watchers) {
      if (w.collection === collection && w.filter(event.object)) writeEvent(w.res, event.type, event.object);
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const rec: RecordedRequest = {
      method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'), watch: url.searchParams.get('watch') === 'true',
    };
    this.requests.push(rec);
    if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return reply(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
    const fault = this.faults.find((f) => (f.times === undefined || f.times > 0) && f.match(rec));
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      const reason = fault.reason ?? REASONS[fault.status] ?? 'Error';
      return reply(res, fault.status, statusBody(fault.status, reason, fault.message ?? `injected ${fault.status}`));
    }
    // Route: a known collection, else `<collection>/<name>`.
    const slash = rec.path.lastIndexOf('/');
    const parent = rec.path.slice(0, slash);
    const name = decodeURIComponent(rec.path.slice(slash + 1));
    const isItem = this.collections.has(parent) && !this.collections.has(rec.path);
    try {
      if (rec.method === 'GET' && /^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+\/log$/.test(rec.path)) return this.serveLog(rec, res);
      if (rec.method === 'GET' && rec.watch) return this.watch(rec, res);
      if (isItem) return this.item(rec, res, parent, name);
      return this.list(rec, res);
    } catch (err) {
      reply(res, 500, statusBody(500, 'InternalError', String(err)));
    }
  }

  private list(rec: RecordedRequest, res: http.ServerResponse): void {
    if (rec.method === 'POST') {
      const obj = JSON.parse(rec.body) as Obj;
      const ns = namespaceOf(rec.path);
      if (ns && !obj.metadata.namespace) obj.metadata.namespace = ns;
      if (this.collections.get(rec.path)?.has(objKey(obj))) {
        return reply(res, 409, statusBody(409, 'AlreadyExists', `${lastSegment(rec.path)} "${obj.metadata.name}" already exists`));
      }
      return reply(res, 201, this.put(rec.path, obj));
    }
    if (rec.method !== 'GET') return reply(res, 405, statusBody(405, 'MethodNotAllowed', `${rec.method} not allowed`));
    const c = this.collections.get(rec.path);
    if (!c) {
      // an unknown collection: answer as a real server does for an item of a known type
      return reply(res, 404, statusBody(404, 'NotFound', `${lastSegment(parentOf(rec.path))} "${lastSegment(rec.path)}" not found`));
    }
    const filter = selectorFilter(rec.query);
    const items = [...c.values()].filter(filter);
    reply(res, 200, { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) }, items });
  }

  private item(rec: RecordedRequest, res: http.ServerResponse, collection: string, name: string): void {
    const ns = namespaceOf(collection);
    const key = `${ns ?? ''}/${name}`;
    const items = this.collection(collection);
    const obj = items.get(key);
    const notFound = () => reply(res, 404, statusBody(404, 'NotFound', `${lastSegment(collection)} "${name}" not found`));
    if (rec.method === 'GET') return obj ? reply(res, 200, obj) : notFound();
    if (rec.method === 'DELETE') {
      if (!obj) return notFound();
      this.remove(collection, name, ns);
      return reply(res, 200, obj);
    }
    if (rec.method === 'PATCH') {
      if (!obj) return notFound();
      const type = String(rec.headers['content-type'] ?? '');
      if (!type.startsWith('application/merge-patch+json')) {
        return reply(res, 415, statusBody(415, 'UnsupportedMediaType', `this fake only takes merge patches, got ${type}`));
      }
      const merged = mergePatch(structuredClone(obj), JSON.parse(rec.body)) as Obj;
      return reply(res, 200, this.put(collection, merged));
    }
    reply(res, 405, statusBody(405, 'MethodNotAllowed', `${rec.method} not allowed`));
  }

  private watch(rec: RecordedRequest, res: http.ServerResponse): void {
    const filter = selectorFilter(rec.query);
    const fromRv = rec.query.get('resourceVersion');
    const from = fromRv && fromRv !== '0' ? Number(fromRv) : undefined;
    if (from !== undefined && from < this.compactedBelow) {
      const gone = statusBody(410, 'Expired', `too old resource version: ${from} (${this.compactedBelow})`);
      if (this.goneAs === 'status') return reply(res, 410, gone);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    if (from === undefined) {
      for (const obj of this.collections.get(rec.path)?.values() ?? []) if (filter(obj)) writeEvent(res, 'ADDED', obj);
    } else {
      for (const e of this.history.get(rec.path) ?? []) if (e.rv > from && filter(e.object)) writeEvent(res, e.type, e.object);
    }
    const w: Watcher = { collection: rec.path, res, filter };
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
  }
}

function writeEvent(res: http.ServerResponse, type: string, object: Obj): void {
  res.write(`${JSON.stringify({ type, object })}\n`);
}

function reply(res: http.ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function objKey(o: Obj): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function namespaceOf(collectionPath: string): string | undefined {
  return /\/namespaces\/([^/]+)\//.exec(collectionPath)?.[1];
}

function lastSegment(p: string): string {
  return p.split('/').filter(Boolean).pop() ?? p;
}

function parentOf(p: string): string {
  return p.slice(0, p.lastIndexOf('/'));
}

/** `metadata.name=`/`metadata.namespace=` field selectors; `k=v`, `k!=v`, `k`, `!k` label selectors. */
function selectorFilter(q: URLSearchParams): (o: Obj) => boolean {
  const fields = (q.get('fieldSelector') ?? '').split(',').filter(Boolean).map((t) => t.split('='));
  // Commas inside `in (...)` do not separate terms.
  const labels = (q.get('labelSelector') ?? '').split(/,(?![^(]*\))/).map((t) => t.trim()).filter(Boolean);
  return (o) => {
    for (const [k, v] of fields) {
      if (k === 'metadata.name' && o.metadata.name !== v) return false;
      if (k === 'metadata.namespace' && o.metadata.namespace !== v) return false;
    }
    const l = o.metadata.labels ?? {};
    for (const term of labels) {
      const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
      if (set) {
        const has = set[3]!.split(',').map((v) => v.trim()).includes(l[set[1]!] ?? '\u0000');
        if (has !== (set[2] === 'in')) return false;
        continue;
      }
      if (term.startsWith('!')) { if (term.slice(1) in l) return false; continue; }
      const ne = term.split('!=');
      if (ne.length === 2) { if (l[ne[0]!] === ne[1]) return false; continue; }
      const eq = term.split(/==?/);
      if (eq.length === 2) { if (l[eq[0]!] !== eq[1]) return false; continue; }
      if (!(term in l)) return false;
    }
    return true;
  };
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Starts a server for one test and closes it afterwards, also on failure. */
export async function startFakeApiServer(t: { after: (fn: () => Promise<void>) => void }, opts: { tls?: boolean } = {}): Promise<FakeApiServer> {
  const server = await FakeApiServer.start(opts);
  t.after(() => server.close());
  return server;
}
