/**
 * One simulated cluster's Kubernetes API over HTTPS on loopback: discovery, CRUD, patch, status and
 * scale subresources, watch, server-side tables for kubectl, pod logs and exec. Clients reach it
 * only through the kubeconfig it writes (own CA, bearer token), as they would a real cluster.
 */
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { StoreError, type KubeObject, type ObjectStore, type ResourceType } from './types.js';
import type { LogFollow, PodLogOptions, PodRuntimeHooks } from './hooks.js';
import { buildKubeconfig } from './kubeconfig.js';
import { createServingCert } from './tls.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, openApiV3GroupVersion, openApiV3Root } from './discovery.js';
import { HTTP_TEXT, HttpError, statusBody, toStatus } from './status.js';
import { toTable, wantsTable } from './table.js';
import { applyJsonPatch, applyStrategicMergePatch } from './patch.js';
import { applyMergePatch, apiVersionOf } from './store.js';
import { pickExecProtocol, serveExec } from './exec.js';
import { decodeK8sProtobuf } from './protobuf.js';
import { loadYamlBounded } from './yaml-bounded.js';
import { fieldValidationOf, unknownFieldWarnings } from './field-validation.js';
import { requestToken, reviewToken, tokenReview, TokenRequestError } from './tokens.js';

export interface ApiServerOptions {
  store: ObjectStore;
  clusterName: string;
  hooks?: PodRuntimeHooks;
  host?: string;
  port?: number;
  /** Bearer token clients must present (random when absent). */
  token?: string;
  /** Kubernetes version `/version` reports, e.g. '1.32.0' (a function follows upgrades). */
  kubernetesVersion?: string | (() => string);
  /** How often a watch that allowed bookmarks gets one (default 10 s). */
  bookmarkIntervalMs?: number;
}

export interface ApiServer {
  port: number;
  url: string;
  caPem: string;
  token: string;
  /** Kubeconfig YAML (certificate-authority-data + bearer token); cluster, user and context are named after the cluster. */
  kubeconfig(opts?: { server?: string }): string;
  /** Watches and exec sessions open right now (lets tests and benchmarks follow clients). */
  connections(): { watches: number; execs: number };
  /** Stops listening and closes every open connection, watch and exec socket. */
  stop(): Promise<void>;
}

interface Route {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

const JSON_TYPE = 'application/json';
// kube-apiserver's default MaxRequestBodyBytes (k8s.io/apiserver/pkg/server/config.go: 3 MiB).
export const MAX_BODY = 3 * 1024 * 1024;

function send(res: ServerResponse, code: number, body: unknown, warnings: string[] = []): void {
  if (res.headersSent) { res.end(); return; }
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private',
    ...(warnings.length ? { Warning: warnings } : {}),
  });
  res.end(text);
}

function sendStatus(res: ServerResponse, e: unknown, t?: ResourceType, name?: string): void {
  const s = toStatus(e, t, name);
  send(res, s.code, s);
}

function tooLarge(): HttpError {
  // The API server's own words (apimachinery errors.NewRequestEntityTooLargeError).
  return new HttpError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY}`);
}

/**
 * Reads a request body of at most MAX_BODY bytes. A larger one is refused as soon as that is known
 * (from Content-Length, or once the streamed bytes pass the limit): the rest is drained and
 * dropped, never held, so the client reads the 413 instead of a reset connection.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const refuse = () => {
      req.removeAllListeners('data');
      req.on('data', () => { /* drained, not kept */ });
      reject(tooLarge());
    };
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) { refuse(); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { chunks.length = 0; refuse(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(buf: Buffer, contentType = ''): unknown {
  // kubectl's typed generators (create namespace/secret/configmap) send protobuf.
  if (/protobuf/.test(contentType)) return decodeK8sProtobuf(buf);
  if (/cbor/.test(contentType)) {
    throw new HttpError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got ${contentType})`);
  }
  const text = buf.toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return /yaml/.test(contentType) ? loadYamlBounded(text) : JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'BadRequest', `the body of the request was in an unknown format: ${(e as Error).message}`);
  }
}

function asObject(body: unknown): KubeObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'BadRequest', 'the request body must be a JSON object');
  const o = body as KubeObject;
  if (!o.metadata || typeof o.metadata !== 'object') o.metadata = { name: '' };
  return o;
}

/**
 * Authentication: the cluster's admin token (the kubeconfig's), or a ServiceAccount token this
 * cluster issued (TokenRequest or a token Secret) that TokenReview would accept. The target does
 * no RBAC: an authenticated ServiceAccount may do what the admin may (sim/FIDELITY.md).
 */
function bearerOk(req: IncomingMessage, token: string, store: ObjectStore): boolean {
  const h = req.headers.authorization ?? '';
  const m = h.match(/^Bearer\s+(.+)$/i);
  if (!m) return false;
  const a = Buffer.from(m[1].trim());
  const b = Buffer.from(token);
  if (a.length === b.length && timingSafeEqual(a, b)) return true;
  return reviewToken(store, m[1].trim()).authenticated;
}

/** Writes a plain HTTP response on a raw socket (upgrade requests that are refused). */
function refuseUpgrade(socket: Duplex, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${code} ${HTTP_TEXT[code] ?? 'Error'}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const { store, clusterName, hooks } = opts;
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('hex');
  const bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 10_000;
  const tls = await createServingCert(clusterName);
  const openWatches = new Set<() => void>();
  const sockets = new Set<WebSocket>();
  let stopping = false;

  const k8sVersion = () => {
    const v = typeof opts.kubernetesVersion === 'function' ? opts.kubernetesVersion() : opts.kubernetesVersion ?? '1.32.0';
    return v.replace(/^v/, '');
  };

  // ---- routing -----------------------------------------------------------------------------

  function findType(group: string, version: string, plural: string): ResourceType | undefined {
    return store.types().find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  /** Resolves `/api/v1/...` and `/apis/<g>/<v>/...` resource paths. */
  function route(group: string, version: string, segs: string[]): Route | undefined {
    if (segs[0] === 'namespaces' && segs.length >= 3 && !(segs.length === 3 && ['status', 'finalize'].includes(segs[2]) && group === '')) {
      const type = findType(group, version, segs[2]);
      if (!type || !type.namespaced) return undefined;
      return { type, namespace: segs[1], name: segs[3], subresource: segs[4] };
    }
    const type = findType(group, version, segs[0]);
    if (!type) return undefined;
    return { type, name: segs[1], subresource: segs[2] };
  }

  const notFoundPath = () => new HttpError(404, 'NotFound', 'the server could not find the requested resource');
  const methodNotAllowed = () => new HttpError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

  // ---- handlers ----------------------------------------------------------------------------

  function listOrTable(req: IncomingMessage, res: ServerResponse, r: Route, q: URLSearchParams): void {
    const t = r.type;
    const { items, resourceVersion } = store.list(apiVersionOf(t), t.kind, {
      namespace: r.namespace, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined,
    });
    if (wantsTable(req.headers.accept)) { send(res, 200, toTable(t, items, resourceVersion, q.get('includeObject'))); return; }
    send(res, 200, { kind: `${t.kind}List`, apiVersion: apiVersionOf(t), metadata: { resourceVersion }, items });
  }

  function getObject(r: Route): KubeObject {
    const o = store.get(apiVersionOf(r.type), r.type.kind, r.name!, r.namespace);
    if (!o) throw new StoreError(404, 'NotFound', `${r.type.group ? `${r.type.plural}.${r.type.group}` : r.type.plural} "${r.name}" not found`);
    return o;
  }

  function serveWatch(req: IncomingMessage, res: ServerResponse, r: Route, q: URLSearchParams): void {
    const t = r.type;
    const table = wantsTable(req.headers.accept);
    const fieldSelector = [q.get('fieldSelector'), r.name ? `metadata.name=${r.name}` : undefined].filter(Boolean).join(',') || undefined;
    const sel = { namespace: r.namespace, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector };
    const rvParam = q.get('resourceVersion') ?? '';
    const initial = q.get('sendInitialEvents') === 'true';
    const wrap = (o: KubeObject) => (table ? toTable(t, [o], o.metadata.resourceVersion ?? '', q.get('includeObject')) : o);
    const lines: string[] = [];
    let fromRv = rvParam;
    // Selectors are parsed (and 400s raised) before the 200 goes out.
    if (rvParam === '' || rvParam === '0' || initial) {
      const list = store.list(apiVersionOf(t), t.kind, sel);
      for (const o of list.items) lines.push(JSON.stringify({ type: 'ADDED', object: wrap(o) }));
      if (initial) {
        lines.push(JSON.stringify({ type: 'BOOKMARK', object: { kind: t.kind, apiVersion: apiVersionOf(t), metadata: { resourceVersion: list.resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } } } }));
      }
      fromRv = list.resourceVersion;
    }
    let unsubscribe: () => void;
    try {
      unsubscribe = store.watch(apiVersionOf(t), t.kind, { ...sel, resourceVersion: fromRv }, (e) => {
        if (!res.writableEnded) res.write(JSON.stringify({ type: e.type, object: e.type === 'BOOKMARK' ? e.object : wrap(e.object) }) + '\n');
      });
    } catch (e) {
      if (e instanceof StoreError && e.code === 410) {
        // Kubernetes answers a too-old watch with 200 and an ERROR event carrying the 410 Status.
        res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-cache, private' });
        res.end(JSON.stringify({ type: 'ERROR', object: statusBody(410, 'Expired', e.message) }) + '\n');
        return;
      }
      throw e;
    }
    res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    for (const l of lines) res.write(l + '\n');
    const timers: NodeJS.Timeout[] = [];
    if (q.get('allowWatchBookmarks') === 'true') {
      const iv = setInterval(() => {
        if (!res.writableEnded) res.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: t.kind, apiVersion: apiVersionOf(t), metadata: { resourceVersion: store.currentResourceVersion() } } }) + '\n');
      }, bookmarkIntervalMs);
      iv.unref();
      timers.push(iv);
    }
    const timeoutSeconds = Number(q.get('timeoutSeconds') ?? '0');
    const close = () => {
      unsubscribe();
      timers.forEach((x) => clearTimeout(x));
      openWatches.delete(close);
      if (!res.writableEnded) res.end();
    };
    if (timeoutSeconds > 0) { const to = setTimeout(close, timeoutSeconds * 1000); to.unref(); timers.push(to); }
    openWatches.add(close);
    req.on('close', close);
    res.on('close', close);
  }

  async function patchedObject(r: Route, contentType: string, patch: unknown, current: KubeObject): Promise<KubeObject> {
    if (contentType.startsWith('application/json-patch+json')) return applyJsonPatch(current, patch) as KubeObject;
    if (contentType.startsWith('application/strategic-merge-patch+json')) return applyStrategicMergePatch(current, patch) as KubeObject;
    if (contentType.startsWith('application/merge-patch+json') || contentType.startsWith('application/apply-patch')) return applyMergePatch(current, patch) as KubeObject;
    throw new HttpError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
  }

  /** A write under the request's fieldValidation, answered with Warn's headers when fields were pruned. */
  function sendWrite(res: ServerResponse, q: URLSearchParams, code: number, write: () => KubeObject): void {
    const mode = fieldValidationOf(q);
    const { result, unknown } = store.withFieldValidation(mode, write);
    send(res, code, result, mode === 'Warn' ? unknownFieldWarnings(unknown) : []);
  }

  async function servePatch(req: IncomingMessage, res: ServerResponse, r: Route, q: URLSearchParams): Promise<void> {
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    const patch = parseJson(await readBody(req), contentType);
    const t = r.type;
    const av = apiVersionOf(t);
    if (contentType.startsWith('application/apply-patch')) {
      // Server-side apply, approximated: create when absent, else merge the applied configuration.
      const body = asObject(patch);
      const existing = store.get(av, t.kind, r.name!, r.namespace);
      if (!existing) {
        body.metadata = { ...body.metadata, name: r.name!, ...(t.namespaced ? { namespace: r.namespace } : {}) };
        sendWrite(res, q, 201, () => store.create({ ...body, apiVersion: av, kind: t.kind }));
        return;
      }
    }
    if (contentType.startsWith('application/merge-patch+json') && !r.subresource) {
      sendWrite(res, q, 200, () => store.mergePatch(av, t.kind, r.name!, r.namespace, patch));
      return;
    }
    const current = getObject(r);
    const next = await patchedObject(r, contentType, patch, current);
    if (!next || typeof next !== 'object' || !next.metadata) throw new HttpError(422, 'Invalid', 'the patch removes the object metadata');
    next.metadata.name = current.metadata.name;
    if (t.namespaced) next.metadata.namespace = current.metadata.namespace;
    sendWrite(res, q, 200, () => (r.subresource === 'status' ? store.updateStatus(next) : store.update(next)));
  }

  function scaleOf(o: KubeObject): Record<string, unknown> {
    const sel = o.spec?.selector?.matchLabels as Record<string, string> | undefined;
    return {
      kind: 'Scale', apiVersion: 'autoscaling/v1',
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
      spec: { replicas: o.spec?.replicas ?? 0 },
      status: { replicas: o.status?.replicas ?? 0, ...(sel ? { selector: Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') } : {}) },
    };
  }

  async function serveScale(req: IncomingMessage, res: ServerResponse, r: Route): Promise<void> {
    const current = getObject(r);
    if (req.method === 'GET') { send(res, 200, scaleOf(current)); return; }
    let scale: Record<string, unknown>;
    const body = parseJson(await readBody(req), req.headers['content-type']);
    if (req.method === 'PUT') scale = asObject(body) as unknown as Record<string, unknown>;
    else if (req.method === 'PATCH') scale = await patchedObject(r, (req.headers['content-type'] ?? '').toLowerCase(), body, scaleOf(current) as unknown as KubeObject) as unknown as Record<string, unknown>;
    else throw methodNotAllowed();
    const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw new StoreError(422, 'Invalid', `Scale.autoscaling "${r.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, [{ field: 'spec.replicas', message: 'must be greater than or equal to 0' }]);
    }
    const updated = store.mergePatch(apiVersionOf(r.type), r.type.kind, r.name!, r.namespace, { spec: { replicas } });
    send(res, 200, scaleOf(updated));
  }

  function containerOf(pod: KubeObject, requested: string | null, verb: string): string {
    const names = ((pod.spec?.containers ?? []) as Array<{ name: string }>).map((c) => c.name);
    if (requested) {
      if (!names.includes(requested)) throw new HttpError(400, 'BadRequest', `container ${requested} is not valid for pod ${pod.metadata.name}`);
      return requested;
    }
    if (names.length === 1) return names[0];
    throw new HttpError(400, 'BadRequest', `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]${verb === 'log' ? '' : ''}`);
  }

  function serveLog(res: ServerResponse, r: Route, q: URLSearchParams): void {
    const pod = getObject(r);
    const container = containerOf(pod, q.get('container'), 'log');
    if (!hooks) throw new HttpError(400, 'BadRequest', `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
    const num = (k: string) => (q.get(k) !== null && q.get(k) !== '' ? Number(q.get(k)) : undefined);
    const opts = { container, tailLines: num('tailLines'), sinceSeconds: num('sinceSeconds') };
    if (q.get('follow') === 'true') { followLog(res, r, opts); return; }
    const text = hooks.podLog(r.namespace!, r.name!, opts);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
    res.end(text);
  }

  // As the kubelet does: a chunked stream of the log so far and each new line, closed when the
  // container stops (so a follower of an evicted pod keeps everything it printed) or the server stops.
  function followLog(res: ServerResponse, r: Route, opts: PodLogOptions): void {
    let headersSent = false;
    let closed = false;
    const pending: string[] = [];
    const close = () => {
      if (closed) return;
      closed = true;
      openWatches.delete(close);
      sub?.cancel();
      if (!headersSent) res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
      res.end();
    };
    const sub: LogFollow | undefined = hooks!.podLogFollow(r.namespace!, r.name!, opts, (text) => {
      if (closed) return;
      if (!headersSent) pending.push(text); else res.write(text);
    }, () => queueMicrotask(close));
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders(); // a quiet log still answers at once
    headersSent = true;
    if (pending.length) res.write(pending.join(''));
    openWatches.add(close);
    res.on('close', close);
  }

  async function serveCreate(req: IncomingMessage, res: ServerResponse, r: Route, q: URLSearchParams): Promise<void> {
    const body = asObject(parseJson(await readBody(req), req.headers['content-type']));
    const t = r.type;
    if (body.kind && body.kind !== t.kind) throw new HttpError(400, 'BadRequest', `the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersionOf(t)})`);
    if (t.namespaced) {
      if (body.metadata.namespace && body.metadata.namespace !== r.namespace) {
        throw new HttpError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
      }
      body.metadata.namespace = r.namespace;
    }
    const obj: KubeObject = { ...body, apiVersion: apiVersionOf(t), kind: t.kind };
    // As in Kubernetes, a create cannot set status where status is a subresource.
    if (t.statusSubresource) delete obj.status;
    if (t.group === '' && t.kind === 'Pod') obj.status = { phase: 'Pending' };
    delete obj.metadata.resourceVersion;
    delete obj.metadata.uid;
    try {
      sendWrite(res, q, 201, () => store.create(obj));
    } catch (e) {
      sendStatus(res, e, t, obj.metadata.name);
    }
  }

  async function serveUpdate(req: IncomingMessage, res: ServerResponse, r: Route, q: URLSearchParams): Promise<void> {
    const body = asObject(parseJson(await readBody(req), req.headers['content-type']));
    const t = r.type;
    if (body.metadata.name && body.metadata.name !== r.name) {
      throw new HttpError(400, 'BadRequest', `the name of the object (${body.metadata.name}) does not match the name on the URL (${r.name})`);
    }
    if (t.namespaced && body.metadata.namespace && body.metadata.namespace !== r.namespace) {
      throw new HttpError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
    const obj: KubeObject = { ...body, apiVersion: apiVersionOf(t), kind: t.kind, metadata: { ...body.metadata, name: r.name!, ...(t.namespaced ? { namespace: r.namespace } : {}) } };
    sendWrite(res, q, 200, () => (r.subresource === 'status' ? store.updateStatus(obj) : store.update(obj)));
  }

  async function serveDelete(req: IncomingMessage, res: ServerResponse, r: Route, q: URLSearchParams): Promise<void> {
    const body = parseJson(await readBody(req), req.headers['content-type']) as { propagationPolicy?: string; preconditions?: { uid?: string; resourceVersion?: string } } | undefined;
    const policy = (body?.propagationPolicy ?? q.get('propagationPolicy') ?? undefined) as 'Orphan' | 'Background' | 'Foreground' | undefined;
    const t = r.type;
    if (!r.name) {
      // deletecollection
      const { items } = store.list(apiVersionOf(t), t.kind, { namespace: r.namespace, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined });
      const deleted = items.map((o) => store.delete(apiVersionOf(t), t.kind, o.metadata.name, o.metadata.namespace, { propagationPolicy: policy })).filter(Boolean);
      send(res, 200, { kind: `${t.kind}List`, apiVersion: apiVersionOf(t), metadata: { resourceVersion: store.currentResourceVersion() }, items: deleted });
      return;
    }
    const gone = store.delete(apiVersionOf(t), t.kind, r.name, r.namespace, { propagationPolicy: policy, preconditions: body?.preconditions });
    if (!gone) getObject(r); // throws the 404
    send(res, 200, gone);
  }

  async function serveResource(req: IncomingMessage, res: ServerResponse, r: Route, q: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    const isWatch = q.get('watch') === 'true' || q.get('watch') === '1';
    const t = r.type;
    if (r.subresource) {
      if (!r.name) throw notFoundPath();
      if (r.subresource === 'status' && t.statusSubresource) {
        if (method === 'GET') { send(res, 200, getObject(r)); return; }
        if (method === 'PUT') { await serveUpdate(req, res, r, q); return; }
        if (method === 'PATCH') { await servePatch(req, res, r, q); return; }
        throw methodNotAllowed();
      }
      if (r.subresource === 'scale' && t.scaleSubresource) { await serveScale(req, res, r); return; }
      if (t.group === '' && t.plural === 'pods' && r.subresource === 'log') {
        if (method !== 'GET') throw methodNotAllowed();
        serveLog(res, r, q);
        return;
      }
      if (t.group === '' && t.plural === 'pods' && r.subresource === 'exec') {
        throw new HttpError(400, 'BadRequest', 'Upgrade request required');
      }
      if (t.group === '' && t.plural === 'namespaces' && r.subresource === 'finalize' && method === 'PUT') { await serveUpdate(req, res, { ...r, subresource: 'status' }, q); return; }
      throw notFoundPath();
    }
    if (!r.name) {
      if (method === 'GET') { if (isWatch) serveWatch(req, res, r, q); else listOrTable(req, res, r, q); return; }
      if (method === 'POST') {
        if (t.namespaced && !r.namespace) throw methodNotAllowed();
        await serveCreate(req, res, r, q);
        return;
      }
      if (method === 'DELETE') { await serveDelete(req, res, r, q); return; }
      throw methodNotAllowed();
    }
    if (t.namespaced && !r.namespace) throw notFoundPath();
    switch (method) {
      case 'GET':
        if (isWatch) { serveWatch(req, res, r, q); return; }
        if (wantsTable(req.headers.accept)) { const o = getObject(r); send(res, 200, toTable(t, [o], o.metadata.resourceVersion ?? '', q.get('includeObject'))); return; }
        send(res, 200, getObject(r));
        return;
      case 'PUT': await serveUpdate(req, res, r, q); return;
      case 'PATCH': await servePatch(req, res, r, q); return;
      case 'DELETE': await serveDelete(req, res, r, q); return;
      default: throw methodNotAllowed();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const q = url.searchParams;
    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' }); res.end('ok'); return;
    }
    if (path === '/version') {
      const v = k8sVersion();
      const [major, minor] = v.split('.');
      send(res, 200, { major, minor, gitVersion: `v${v}`, gitCommit: 'lattice-sim', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.23', compiler: 'gc', platform: 'linux/amd64' });
      return;
    }
    if (!bearerOk(req, token, store)) { send(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized')); return; }
    const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
    const types = store.types();
    let r: Route | undefined;
    if (segs[0] === 'openapi' && segs[1] === 'v3') {
      if (segs.length === 2) { send(res, 200, openApiV3Root(types)); return; }
      const doc = segs[2] === 'api' ? openApiV3GroupVersion(types, '', segs[3], k8sVersion())
        : segs[2] === 'apis' ? openApiV3GroupVersion(types, segs[3], segs[4], k8sVersion()) : undefined;
      if (!doc) throw notFoundPath();
      send(res, 200, doc);
      return;
    }
    if (await serveTokenEndpoints(req, res, segs)) return;
    if (segs[0] === 'api') {
      if (segs.length === 1) { send(res, 200, apiVersions(`${host}:${port}`)); return; }
      if (segs[1] !== 'v1') throw notFoundPath();
      if (segs.length === 2) { send(res, 200, apiResourceList(types, '', 'v1')); return; }
      r = route('', 'v1', segs.slice(2));
    } else if (segs[0] === 'apis') {
      if (segs.length === 1) { send(res, 200, apiGroupList(types)); return; }
      if (segs.length === 2) { const g = apiGroup(types, segs[1]); if (!g) throw notFoundPath(); send(res, 200, g); return; }
      if (segs.length === 3) { const l = apiResourceList(types, segs[1], segs[2]); if (!l) throw notFoundPath(); send(res, 200, l); return; }
      r = route(segs[1], segs[2], segs.slice(3));
    }
    if (!r) throw notFoundPath();
    try {
      await serveResource(req, res, r, q);
    } catch (e) {
      sendStatus(res, e, r.type, r.name);
    }
  }

  /** TokenRequest (`serviceaccounts/<sa>/token`) and TokenReview; true when the request was one of them. */
  async function serveTokenEndpoints(req: IncomingMessage, res: ServerResponse, segs: string[]): Promise<boolean> {
    const isTokenRequest = segs.length === 7 && segs[0] === 'api' && segs[1] === 'v1' && segs[2] === 'namespaces' && segs[4] === 'serviceaccounts' && segs[6] === 'token';
    const isTokenReview = segs.length === 4 && segs.join('/') === 'apis/authentication.k8s.io/v1/tokenreviews';
    if (!isTokenRequest && !isTokenReview) return false;
    if (req.method !== 'POST') throw methodNotAllowed();
    const body = parseJson(await readBody(req), req.headers['content-type']) as KubeObject | undefined;
    try {
      if (isTokenReview) send(res, 201, tokenReview(store, body));
      else send(res, 201, requestToken(store, segs[3], segs[5], body));
    } catch (e) {
      if (e instanceof TokenRequestError) { send(res, e.code, statusBody(e.code, e.reason, e.message, e.code === 404 ? { name: segs[5], kind: 'serviceaccounts' } : undefined)); return true; }
      throw e;
    }
    return true;
  }

  // ---- exec upgrades -----------------------------------------------------------------------

  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => pickExecProtocol(offered) ?? false });

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    if (stopping) { socket.destroy(); return; }
    if (!bearerOk(req, token, store)) { refuseUpgrade(socket, 401, statusBody(401, 'Unauthorized', 'Unauthorized')); return; }
    const url = new URL(req.url ?? '/', 'https://localhost');
    const m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec\/?$/);
    if (!m) { refuseUpgrade(socket, 404, statusBody(404, 'NotFound', 'the server could not find the requested resource')); return; }
    const [namespace, pod] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
    const q = url.searchParams;
    try {
      const offered = new Set(String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
      if (!pickExecProtocol(offered)) {
        throw new HttpError(400, 'BadRequest', `unable to upgrade: no supported subprotocol offered (server speaks v5.channel.k8s.io, v4.channel.k8s.io), got [${[...offered].join(', ')}]`);
      }
      const podObj = store.get('v1', 'Pod', pod, namespace);
      if (!podObj) throw new StoreError(404, 'NotFound', `pods "${pod}" not found`);
      const container = containerOf(podObj, q.get('container'), 'exec');
      const command = q.getAll('command');
      if (!command.length) throw new HttpError(400, 'BadRequest', 'you must specify at least 1 command');
      if (!hooks) throw new HttpError(400, 'BadRequest', `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`);
      const flag = (k: string) => q.get(k) === 'true' || q.get(k) === '1';
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (stopping) { ws.terminate(); return; }
        sockets.add(ws);
        void serveExec(ws, hooks, { namespace, pod, container, command, stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr') })
          .finally(() => sockets.delete(ws));
      });
    } catch (e) {
      const s = toStatus(e, undefined, pod);
      refuseUpgrade(socket, s.code, s);
    }
  }

  // ---- server ------------------------------------------------------------------------------

  const server: Server = createHttpsServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    handle(req, res).catch((e) => { try { sendStatus(res, e); } catch { res.destroy(); } });
  });
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `https://${host}:${port}`;

  return {
    port, url, caPem: tls.caPem, token,
    kubeconfig(o = {}) { return buildKubeconfig(clusterName, { server: o.server ?? url, caPem: tls.caPem, token }); },
    connections() { return { watches: openWatches.size, execs: sockets.size }; },
    async stop() {
      if (stopping) return;
      stopping = true;
      for (const close of [...openWatches]) close();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
