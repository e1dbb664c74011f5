/**
 * A loopback HTTP stand-in for a parent cluster's API, enough for the cloud provider: named GETs,
 * collection LISTs and watches (`?watch=true`, newline-delimited events) with a `metadata.name`
 * field selector. Tests change objects with `put`/`remove`; watchers see ADDED/MODIFIED/DELETED.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Obj { metadata: { name: string; namespace?: string; resourceVersion?: string }; [k: string]: unknown }
interface Watcher { collection: string; name?: string; res: ServerResponse }

export class FakeParentApi {
  private readonly objects = new Map<string, Map<string, Obj>>();
  private readonly watchers = new Set<Watcher>();
  private readonly sockets = new Set<Socket>();
  private rv = 1;
  /** Every event, so a watch from an older resourceVersion gets what it missed (as a real server does). */
  private readonly history: Array<{ collection: string; type: string; obj: Obj }> = [];
  /** Every request line seen, e.g. `GET /api/v1/...?watch=true` (tests assert watches were used). */
  readonly requests: string[] = [];
  private readonly server = createServer((req, res) => this.handle(req, res));
  port = 0;

  async start(): Promise<this> {
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.end();
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }

  /** A kubeconfig (http, token user) for this server, written 0600 in a fresh folder. */
  async writeKubeconfig(contextName = 'parent'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'fake-parent-'));
    const path = join(dir, 'kubeconfig');
    await writeFile(path, [
      'apiVersion: v1', 'kind: Config',
      'clusters:', `- name: ${contextName}`, '  cluster:', `    server: http://127.0.0.1:${this.port}`, '    insecure-skip-tls-verify: true',
      'users:', '- name: u', '  user:', '    token: test-token',
      'contexts:', `- name: ${contextName}`, '  context:', `    cluster: ${contextName}`, '    user: u',
      `current-context: ${contextName}`, '',
    ].join('\n'), { mode: 0o600 });
    return path;
  }

  put(collection: string, obj: Obj): void {
    const items = this.objects.get(collection) ?? new Map<string, Obj>();
    this.objects.set(collection, items);
    const type = items.has(obj.metadata.name) ? 'MODIFIED' : 'ADDED';
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    items.set(obj.metadata.name, stored);
    this.emit(collection, type, stored);
  }

  remove(collection: string, name: string): void {
    const obj = this.objects.get(collection)?.get(name);
    if (!obj) return;
    this.objects.get(collection)!.delete(name);
    this.emit(collection, 'DELETED', { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } });
  }

  private emit(collection: string, type: string, obj: Obj): void {
    this.history.push({ collection, type, obj });
    for (const w of this.watchers) {
      if (w.collection === collection && (!w.name || w.name === obj.metadata.name)) w.res.write(`${JSON.stringify({ type, object: obj })}\n`);
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    const notFound = (what: string) => json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${what} not found` });
    const nameSel = /metadata\.name=([^,]+)/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
    if (this.objects.has(url.pathname) || this.isCollection(url.pathname)) {
      if (url.searchParams.get('watch') === 'true') {
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        res.flushHeaders();
        const w: Watcher = { collection: url.pathname, name: nameSel, res };
        const from = Number(url.searchParams.get('resourceVersion') ?? NaN);
        if (Number.isFinite(from)) {
          for (const e of this.history) {
            if (e.collection === w.collection && (!w.name || w.name === e.obj.metadata.name) && Number(e.obj.metadata.resourceVersion) > from) {
              res.write(`${JSON.stringify({ type: e.type, object: e.obj })}\n`);
            }
          }
        }
        this.watchers.add(w);
        req.on('close', () => this.watchers.delete(w));
        return;
      }
      const items = [...(this.objects.get(url.pathname)?.values() ?? [])].filter((o) => !nameSel || o.metadata.name === nameSel);
      return json(200, { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) }, items });
    }
    const slash = url.pathname.lastIndexOf('/');
    const obj = this.objects.get(url.pathname.slice(0, slash))?.get(url.pathname.slice(slash + 1));
    return obj ? json(200, obj) : notFound(url.pathname);
  }

  /** Collections the tests use, known even while empty. */
  private isCollection(path: string): boolean {
    return /^\/apis\/lattice\.dev\/v1alpha1\/latticeclusters$/.test(path)
      || /^\/api\/v1\/namespaces\/[^/]+\/secrets$/.test(path)
      || /^\/apis\/cluster\.x-k8s\.io\/v1beta2\/namespaces\/[^/]+\/clusters$/.test(path);
  }
}
