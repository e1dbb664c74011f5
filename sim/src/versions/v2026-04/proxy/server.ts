/**
 * The auth proxy of a 2026-04 cell (crates/lattice-api at b5d50e90): HTTPS with a certificate of the
 * cell CA; `GET /healthz`; `GET /kubeconfig[?format=sa]`; `ANY /clusters/<name>[/<path>]`, also
 * multi-hop `/clusters/<a>/clusters/<b>/...`, forwarded to that cluster's API (streams: watch, log
 * follow) and exec/attach upgrades piped through. Every request is authenticated (ServiceAccount
 * token, TokenReview semantics) and authorized per hop (Cedar `AccessCluster`), errors as error.rs.
 */
import { createServer as createHttpsServer, request as httpsRequest, type Server } from 'node:https';
import { ServerResponse, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { ObjectStore } from '../../../apiserver/types.js';
import { API_AUDIENCE, reviewToken } from '../../../apiserver/tokens.js';
import { faultOn } from '../../../faults.js';
import { answerOnSocket, ProxyError, refuseUpgrade, sendProxyError, toProxyError } from './errors.js';
import { execRoute, hasWebsocketUpgradeHeaders, isExecPath, websocketRejection } from './exec-route.js';
import { buildProxyKubeconfig } from './kubeconfig.js';
import { closeWhenIdle, relayHeadOnly } from './lost-relay.js';
import { isDnsLabel, parseClusterPath } from './paths.js';
import { requestAttributes, selfRbacDenial, type RequestAttributes } from './self-rbac.js';

/** lattice-common/src/kube_utils/token.rs:11 and the API's own audience (lattice-operator/src/main.rs:1080-1083). */
export const PROXY_AUDIENCES = ['lattice-proxy', API_AUDIENCE];

export interface RouteInfo { isSelf: boolean; labels: Record<string, string> }
export interface UserIdentity { username: string; groups: string[] }
export interface AccessVerdict { allowed: boolean; detail: string }

/** What the proxy knows of the hierarchy (upstream: the cell's AgentRegistry routes). */
export interface ProxyBackend {
  /** This cluster and every descendant whose agent stream is up, with the labels Cedar sees. */
  routes(): Map<string, RouteInfo>;
  /** Whether `name` lies in the subtree of `ancestor` (a multi-hop chain must follow the tree). */
  isBelow(name: string, ancestor: string): boolean;
  /** The API server behind a cluster and the credentials the proxy uses there (upstream: its own SA plus impersonation). */
  endpoint(name: string): { url: string; caPem: string; token: string } | undefined;
}

export interface AuthProxyConfig {
  cluster: string;
  /** The cell's own store: TokenReview and the CedarPolicies live there. */
  store: ObjectStore;
  backend: ProxyBackend;
  /** Cedar `AccessCluster` for a user on a cluster. */
  authorize(user: UserIdentity, cluster: { name: string; labels: Record<string, string> }): AccessVerdict;
  certPem: string;
  keyPem: string;
  caPem: string;
  log(line: string): void;
}

export interface AuthProxyServer {
  server: Server;
  /** `https://<host>:<port>`: the base of the kubeconfig's server URLs; set once the address is known. */
  setBaseUrl(url: string): void;
  setCertificate(certPem: string, keyPem: string): void;
  stop(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'authorization']);
const isImpersonation = (h: string) => /^impersonate-/i.test(h);

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization;
  return typeof h === 'string' && h.startsWith('Bearer ') ? h.slice('Bearer '.length) : undefined;
}

export function createAuthProxyServer(c: AuthProxyConfig): AuthProxyServer {
  let baseUrl = 'https://lattice-cell.lattice-system.svc:8082';
  const upgraded = new Set<Duplex>();

  /** lattice-api/src/auth/authorize.rs:54-60: bearer token ⇒ TokenReview (OIDC not played). */
  function authenticate(headers: IncomingHttpHeaders): UserIdentity {
    const token = bearer(headers);
    if (token === undefined) throw new ProxyError('Unauthorized', 'Missing Authorization header');
    const r = reviewToken(c.store, token, PROXY_AUDIENCES);
    if (!r.authenticated) throw new ProxyError('Unauthorized', r.error);
    return { username: r.user.username, groups: r.user.groups };
  }

  /** proxy.rs:59-72: unknown cluster first (503), then authentication (401), then Cedar (403). */
  function authorizeRequest(name: string, headers: IncomingHttpHeaders): UserIdentity {
    const route = c.backend.routes().get(name);
    if (!route) throw new ProxyError('ClusterNotFound', name);
    const user = authenticate(headers);
    if (faultOn('proxy-ignores-access-cluster')) return user;
    const v = c.authorize(user, { name, labels: route.labels });
    if (!v.allowed) throw new ProxyError('Forbidden', `${user.username} may not access cluster ${name}: ${v.detail}`);
    return user;
  }

  /** Authorizes every hop of the path and finds the cluster it ends at (proxy.rs:116-124; k8s_forwarder route_to_cluster). */
  function resolve(path: string, headers: IncomingHttpHeaders): { target: string; k8sPath: string; user: UserIdentity } {
    const first = path.slice('/clusters/'.length).split('/')[0];
    if (!isDnsLabel(first)) throw new ProxyError('ClusterNotFound', 'cluster name');
    const parsed = parseClusterPath(path);
    if (!parsed) throw new ProxyError('ClusterNotFound', 'missing cluster path');
    let user: UserIdentity | undefined;
    for (const hop of parsed.hops) user = authorizeRequest(hop, headers);
    // Each further hop is routed by the cluster before it: it must be that cluster or below it.
    let at = c.cluster;
    for (const hop of parsed.hops) {
      if (hop !== at && !c.backend.isBelow(hop, at)) throw new ProxyError('ClusterNotFound', hop);
      at = hop;
    }
    return { target: at, k8sPath: parsed.k8sPath, user: user! };
  }

  function forwardHeaders(headers: IncomingHttpHeaders, keepUpgrade: boolean): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined || isImpersonation(k)) continue; // user-supplied impersonation is always stripped (k8s_forwarder)
      if (HOP_BY_HOP.has(k) && !(keepUpgrade && (k === 'connection' || k === 'upgrade'))) continue;
      out[k] = v;
    }
    return out;
  }

  function forward(req: IncomingMessage, res: ServerResponse, target: string, k8sPath: string, query: string): void {
    const ep = c.backend.endpoint(target);
    if (!ep) throw new ProxyError('ClusterNotFound', target);
    const u = new URL(ep.url);
    const up = httpsRequest({
      host: u.hostname, port: u.port, method: req.method, path: `${k8sPath}${query}`, ca: ep.caPem,
      headers: { ...forwardHeaders(req.headers, false), authorization: `Bearer ${ep.token}` },
    }, (ures) => {
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(ures.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
      res.writeHead(ures.statusCode ?? 502, headers);
      if (typeof res.flushHeaders === 'function') res.flushHeaders(); // a quiet watch or log follow answers at once
      ures.pipe(res);
    });
    up.on('error', (e) => sendProxyError(res, new ProxyError('Proxy', e.message)));
    res.on('close', () => { if (!res.writableFinished) up.destroy(); });
    if ((req as IncomingMessage & { upgrade?: boolean }).upgrade) up.end(); // an upgrade request served as a plain one (proxy_handler) has no body to pipe
    else req.pipe(up);
  }

  /** The cell's own cluster: the caller's RBAC there, as the impersonated request meets it (self-rbac.ts). */
  function refusedByOwnRbac(res: ServerResponse, user: UserIdentity, a: RequestAttributes): boolean {
    const denial = selfRbacDenial(user.username, a);
    if (!denial) return false;
    const text = JSON.stringify(denial);
    res.writeHead(403, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return true;
  }

  function serveKubeconfig(req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
    const user = authenticate(req.headers);
    const routes = c.backend.routes();
    const names = [...routes.keys()].sort();
    const accessible = faultOn('proxy-kubeconfig-lists-all-clusters')
      ? names
      : names.filter((n) => c.authorize(user, { name: n, labels: routes.get(n)!.labels }).allowed);
    if (!accessible.length) throw new ProxyError('Forbidden', 'No accessible clusters');
    const text = buildProxyKubeconfig({ clusters: accessible, username: user.username, baseUrl, caPem: c.caPem, format: q.get('format'), bearerToken: bearer(req.headers) });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://proxy');
    const path = url.pathname;
    try {
      if (path === '/healthz' && req.method === 'GET') { res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }); res.end('ok'); return; }
      if (path === '/kubeconfig') {
        if (req.method !== 'GET') { res.writeHead(405); res.end(); return; }
        serveKubeconfig(req, res, url.searchParams);
        return;
      }
      if (path.startsWith('/clusters/') && path.length > '/clusters/'.length) {
        const route = execRoute(path);
        const rejection = route && route.subresource !== 'portforward' ? websocketRejection(req.method ?? 'GET', req.headers) : undefined;
        if (rejection) { res.writeHead(rejection[0], { 'Content-Type': 'text/plain; charset=utf-8' }); res.end(rejection[1]); return; }
        const { target, k8sPath, user } = resolve(path, req.headers);
        if (target === c.cluster && refusedByOwnRbac(res, user, requestAttributes(req.method ?? 'GET', k8sPath, url.searchParams))) return;
        forward(req, res, target, k8sPath, url.search);
        return;
      }
      res.writeHead(404); res.end();
    } catch (e) {
      const pe = toProxyError(e);
      c.log(`auth proxy: ${req.method} ${path}: ${pe.code} ${pe.message}`);
      sendProxyError(res, pe);
    }
  }

  /**
   * Upgrades. The exec/attach/portforward routes (exec-route.ts) are authorized like any request and
   * piped to the cluster's API; on the cell's own cluster the caller's RBAC applies first (upstream
   * execs there with the caller impersonated, exec_proxy/handlers.rs:160-175). Any other path is
   * upstream's catch-all handler: a websocket exec there is a 500, everything else is served as a
   * plain request (the upgrade headers are not forwarded).
   */
  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'https://proxy');
    const route = execRoute(url.pathname);
    const refuse = (e: unknown) => {
      const pe = toProxyError(e);
      c.log(`auth proxy: upgrade ${url.pathname}: ${pe.code} ${pe.message}`);
      refuseUpgrade(socket, pe);
    };
    if (!route) {
      try {
        const first = url.pathname.startsWith('/clusters/') ? url.pathname.slice('/clusters/'.length).split('/')[0]! : undefined;
        if (first !== undefined && !isDnsLabel(first)) throw new ProxyError('ClusterNotFound', 'cluster name');
        if (first !== undefined && isExecPath(url.pathname) && hasWebsocketUpgradeHeaders(req.headers)) {
          throw new ProxyError('Internal', 'WebSocket exec requests should use the exec handler route');
        }
      } catch (e) { refuse(e); return; }
      const res = new ServerResponse(req);
      res.shouldKeepAlive = false;
      res.assignSocket(socket as Socket);
      res.on('finish', () => socket.end());
      handle(req, res);
      return;
    }
    const rejection = route.subresource === 'portforward' ? undefined : websocketRejection(req.method ?? 'GET', req.headers);
    if (rejection) { answerOnSocket(socket, rejection[0], 'text/plain; charset=utf-8', rejection[1]); return; }
    let target: string;
    let k8sPath: string;
    try {
      for (const name of [route.namespace, route.pod]) if (!isDnsLabel(name)) throw new ProxyError('ClusterNotFound', name);
      let user: UserIdentity;
      ({ target, k8sPath, user } = resolve(url.pathname, req.headers));
      if (target === c.cluster) {
        // Kubernetes 1.32 authorizes a websocket exec/attach/portforward GET as `create` on the subresource.
        const denial = selfRbacDenial(user.username, { ...requestAttributes('POST', k8sPath, url.searchParams), verb: 'create' });
        if (denial) { answerOnSocket(socket, 403, 'application/json', JSON.stringify(denial)); return; }
      }
    } catch (e) { refuse(e); return; }
    const ep = c.backend.endpoint(target);
    if (!ep) { refuseUpgrade(socket, new ProxyError('ClusterNotFound', target)); return; }
    const u = new URL(ep.url);
    const lost = route.subresource !== 'portforward' && faultOn('forwarded-exec-output-dropped') && forwardedByAgent(target);
    let relay: { upgraded(): boolean } | undefined;
    const up = tlsConnect({ host: u.hostname, port: Number(u.port), ca: ep.caPem, ALPNProtocols: ['http/1.1'] }, () => {
      const headers = { ...forwardHeaders(req.headers, true), host: u.host, authorization: `Bearer ${ep.token}` };
      const lines = [`${req.method} ${k8sPath}${url.search} HTTP/1.1`];
      for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      socket.pipe(up);
      if (lost) relay = relayHeadOnly(up, socket);
      else up.pipe(socket);
    });
    upgraded.add(socket);
    const end = () => { upgraded.delete(socket); socket.destroy(); up.destroy(); };
    // With the fault the child's end is lost like its output: the caller waits for the idle timeout.
    let held = false;
    const upEnded = () => { if (!relay?.upgraded()) end(); else if (!held) { held = true; closeWhenIdle(socket); } };
    up.on('error', lost ? upEnded : end);
    up.on('close', lost ? upEnded : end);
    socket.on('close', end);
  }

  /** Whether a cluster's agent session goes through another agent: a grandchild or further down (agent commands/exec.rs:18-43). */
  function forwardedByAgent(target: string): boolean {
    if (target === c.cluster) return false;
    return [...c.backend.routes().keys()].some((r) => r !== c.cluster && r !== target && c.backend.isBelow(target, r));
  }

  const server = createHttpsServer({ cert: c.certPem, key: c.keyPem }, handle);
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_e, socket) => socket.destroy());

  return {
    server,
    setBaseUrl(url) { baseUrl = url; },
    setCertificate(certPem, keyPem) { server.setSecureContext({ cert: certPem, key: keyPem }); },
    async stop() {
      for (const s of upgraded) s.destroy();
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
    },
  };
}
