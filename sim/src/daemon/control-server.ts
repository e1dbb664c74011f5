/**
 * The daemon's control surface: HTTP JSON on 127.0.0.1, bearer token from daemon.json. It offers
 * what a real environment offers outside Kubernetes (docker ps / docker exec cat admin.conf /
 * docker rm -f) plus the installer jobs the `lattice` CLI streams.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { KubeObject } from '../apiserver/types.js';
import { loadYamlBounded } from '../apiserver/yaml-bounded.js';
import { activeFaults, parseFaults, setFaults } from '../faults.js';
import { getSpeed, setSpeed } from '../clock.js';
import { parseApiVersion, type ApiVersion } from '../versions/index.js';
import { Infrastructure, install, uninstall, readKubeconfig, type BootstrapType } from '../lifecycle/index.js';
import { reviewToken } from '../apiserver/tokens.js';
import type { ProxyRegistry } from '../versions/v2026-04/proxy/index.js';
import { adminAccessJob } from './admin-access-job.js';

export const RUN_ID_LABEL = 'lattice-acceptance/run-id';

export interface ControlServerOptions {
  infra: Infrastructure;
  /** The 2026-04 auth proxies this daemon runs (install's admin step, uninstall through a proxy kubeconfig). */
  proxies?: ProxyRegistry;
  token: string;
  host?: string;
  port?: number;
  /** Called when a client asks the daemon to stop. */
  onStop: () => void;
  /** Called after every job or destruction, so the daemon can exit once nothing is left. */
  onSettled: () => void;
  startedAt: number;
}

export interface ControlServer { server: Server; port: number; jobs(): number }

class HttpFailure extends Error { constructor(readonly status: number, message: string) { super(message); } }

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 4 * 1024 * 1024) throw new HttpFailure(413, 'request body too large');
    chunks.push(c as Buffer);
  }
  if (size === 0) return {};
  try { return JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { throw new HttpFailure(400, 'request body is not JSON'); }
}

function authorized(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Settings a CLI run may carry (its --faults flag, LATTICE_SIM_FAULTS, LATTICE_SIM_SPEED). */
function applySettings(body: { faults?: unknown; speed?: unknown }): void {
  try { applySettingsOrThrow(body); } catch (e) { throw new HttpFailure(400, (e as Error).message); }
}

function applySettingsOrThrow(body: { faults?: unknown; speed?: unknown }): void {
  if (Array.isArray(body.faults)) setFaults(parseFaults(body.faults.join(',')));
  else if (typeof body.faults === 'string') setFaults(parseFaults(body.faults));
  if (body.speed !== undefined && body.speed !== null) setSpeed(Number(body.speed));
}

export function startControlServer(o: ControlServerOptions): Promise<ControlServer> {
  const { infra } = o;
  let jobs = 0;

  /** Runs an installer job, streaming its progress lines as NDJSON; aborted when the client goes. */
  async function streamJob(req: IncomingMessage, res: ServerResponse, job: (log: (l: string) => void, signal: AbortSignal) => Promise<object>): Promise<void> {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-cache' });
    const abort = new AbortController();
    res.on('close', () => { if (!res.writableFinished) abort.abort(new Error('client went away')); });
    const write = (o: object) => { if (!res.writableEnded) res.write(JSON.stringify(o) + '\n'); };
    jobs++;
    try {
      const result = await job((line) => { infra.log(`job: ${line}`); write({ event: 'log', line }); }, abort.signal);
      write({ event: 'done', ...result });
    } catch (e) {
      write({ event: 'error', message: (e as Error).message });
    } finally {
      jobs--;
      res.end();
      o.onSettled();
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    if (!authorized(req, o.token)) throw new HttpFailure(401, 'missing or wrong bearer token (see daemon.json)');
    if (parts[0] !== 'v1') throw new HttpFailure(404, `no such endpoint: ${url.pathname}`);
    const [, resource, name, sub] = parts;

    if (resource === 'status' && method === 'GET') {
      return sendJson(res, 200, {
        pid: process.pid, uptimeMs: Date.now() - o.startedAt, clusters: infra.names().length, jobs,
        faults: activeFaults(), speed: getSpeed(),
      });
    }
    if (resource === 'clusters' && !name && method === 'GET') return sendJson(res, 200, { clusters: infra.list() });
    if (resource === 'clusters' && name) {
      const info = infra.info(name);
      if (!info) throw new HttpFailure(404, `no cluster named ${name}`);
      if (!sub && method === 'GET') return sendJson(res, 200, info);
      if (!sub && method === 'DELETE') {
        await infra.destroyCluster(name);
        sendJson(res, 200, { destroyed: name });
        o.onSettled();
        return;
      }
      if (sub === 'kubeconfig' && method === 'GET') {
        if (info.provider !== 'docker' && info.provider !== 'kind') {
          throw new HttpFailure(409, `cluster ${name} runs on ${info.provider}: there is no control-plane container to read admin.conf from; read the CAPI secret capi-${name}/${name}-kubeconfig from its parent before the pivot`);
        }
        const text = infra.adminKubeconfig(name);
        if (!text) throw new HttpFailure(409, `cluster ${name} has no control plane answering yet`);
        res.writeHead(200, { 'Content-Type': 'application/yaml' });
        res.end(text);
        return;
      }
    }
    if (resource === 'install' && method === 'POST') {
      const body = await readBody(req);
      applySettings(body);
      let cluster: KubeObject;
      try { cluster = loadYamlBounded(String(body.manifest ?? '')) as KubeObject; } catch (e) { throw new HttpFailure(400, `failed to parse cluster config: ${(e as Error).message}`); }
      if (!cluster || typeof cluster !== 'object' || !cluster.metadata?.name) throw new HttpFailure(400, 'cluster config has no metadata.name');
      // The Lattice API version of the new management cluster; `lattice` sends LATTICE_SIM_API_VERSION.
      let apiVersion: ApiVersion;
      try { apiVersion = parseApiVersion(body.apiVersion === undefined ? undefined : String(body.apiVersion), 'the install job\'s apiVersion'); } catch (e) { throw new HttpFailure(400, (e as Error).message); }
      // The run id of the `lattice` process (LATTICE_SIM_RUN_ID) labels what it creates, like a docker label.
      if (body.runId && !cluster.metadata.labels?.[RUN_ID_LABEL]) cluster.metadata.labels = { ...(cluster.metadata.labels ?? {}), [RUN_ID_LABEL]: String(body.runId) };
      return streamJob(req, res, async (log, signal) => {
        const result = await install({
          infra, cluster, log, signal,
          image: body.image, bootstrap: body.bootstrap as BootstrapType | undefined,
          keepBootstrapOnFailure: !!body.keepBootstrapOnFailure, registryCredentials: body.registryCredentials, env: body.env ?? {},
          apiVersion, latticeRunId: typeof body.latticeRunId === 'string' ? body.latticeRunId : undefined, // 2026-04: --run-id (install.rs:294-300)
        });
        // 2026-04: admin access and the proxy endpoint (install.rs:1274-1490); the CLI fetches the proxy kubeconfig.
        const store = infra.host(result.name)?.store;
        if (apiVersion !== '2026-04' || !o.proxies || !store) return result;
        return { ...result, ...(await adminAccessJob({ store, cluster: result.name, proxies: o.proxies, log, signal })) };
      });
    }
    if (resource === 'uninstall' && method === 'POST') {
      const body = await readBody(req);
      applySettings(body);
      let target: { server: string; token?: string };
      try { target = readKubeconfig(String(body.kubeconfig ?? '')); } catch (e) { throw new HttpFailure(400, `invalid kubeconfig: ${(e as Error).message}`); }
      // A direct kubeconfig names the cluster's API; a 2026-04 proxy kubeconfig (--kubeconfig-out) names `<proxy>/clusters/<name>`.
      const viaProxy = infra.clusterByServer(target.server) ? undefined : o.proxies?.clusterOf(target.server);
      const cluster = infra.clusterByServer(target.server) ?? viaProxy;
      if (!cluster) throw new HttpFailure(502, `failed to connect to cluster at ${target.server}: connection refused`);
      const ep = infra.endpoint(cluster);
      const entry = viaProxy ? [...infra.names()].map((n) => o.proxies?.get(n)).find((e) => e && target.server.startsWith(`${e.baseUrl}/`)) : undefined;
      const accepted = viaProxy
        ? !!entry && !!target.token && reviewToken(entry.store, target.token, ['lattice-proxy', 'https://kubernetes.default.svc.cluster.local']).authenticated
        : !ep || target.token === ep.token || (!!target.token && !!infra.host(cluster) && reviewToken(infra.host(cluster)!.store, target.token).authenticated);
      if (!accepted) throw new HttpFailure(401, `cluster at ${target.server} rejected the kubeconfig's credentials (Unauthorized)`);
      return streamJob(req, res, (log, signal) => uninstall({
        infra, cluster, name: body.name || undefined, keepBootstrapOnFailure: !!body.keepBootstrapOnFailure, log, signal,
        latticeRunId: typeof body.latticeRunId === 'string' ? body.latticeRunId : undefined, // 2026-04: --run-id (uninstall.rs:41-59, :137-140)
      }));
    }
    if (resource === 'sweep' && method === 'POST') {
      const body = await readBody(req);
      const names: string[] = Array.isArray(body.names) ? body.names.map(String) : [];
      const picked = infra.list().filter((c) => body.all === true
        || (body.runId && c.labels[RUN_ID_LABEL] === String(body.runId))
        || names.includes(c.name));
      const removed: string[] = [];
      for (const c of picked) if (await infra.destroyCluster(c.name)) removed.push(`cluster ${c.name}`);
      sendJson(res, 200, { removed });
      o.onSettled();
      return;
    }
    if (resource === 'faults' && method === 'GET') return sendJson(res, 200, { faults: activeFaults() });
    if (resource === 'faults' && method === 'PUT') {
      const body = await readBody(req);
      applySettings({ faults: body.faults ?? [] });
      return sendJson(res, 200, { faults: activeFaults() });
    }
    if (resource === 'speed' && method === 'PUT') {
      const body = await readBody(req);
      applySettings({ speed: body.speed ?? null });
      return sendJson(res, 200, { speed: getSpeed() });
    }
    if (resource === 'stop' && method === 'POST') {
      sendJson(res, 200, { stopping: true });
      o.onStop();
      return;
    }
    throw new HttpFailure(404, `no such endpoint: ${method} ${url.pathname}`);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((e) => {
      const status = e instanceof HttpFailure ? e.status : 500;
      if (!res.headersSent) sendJson(res, status, { error: (e as Error).message });
      else res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : 0, jobs: () => jobs });
    });
  });
}
