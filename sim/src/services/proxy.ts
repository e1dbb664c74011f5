/**
 * The enforcement point: an HTTP proxy on loopback that every pod's curl goes through (see the curl
 * shim in sandbox.ts). It identifies the calling pod by its token, asks `decide` (compiled policy
 * objects only) and then answers as the data plane would: a DNS failure or a Cilium drop closes the
 * connection without a reply (curl prints 000), an Istio L7 denial is a 403, no endpoint a 503, and
 * an allowed call is answered by the target's image or the stand-in of the external host.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getSpeed } from '../clock.js';
import { externalRespond, respond, type ImageResponse } from '../images/index.js';
import type { Decision, Verdict } from './policy.js';
import type { RunningPod } from './pods.js';

export interface ProxyDeps {
  identify(token: string): RunningPod | undefined;
  decide(caller: RunningPod, host: string, port: number, path: string): Decision;
  /** The running container of an allowed internal target. */
  container(namespace: string, name: string): RunningPod | undefined;
}

export interface EnforcementProxy { port: number; address: string; counts: Record<Verdict, number>; stop(): Promise<void> }

function tokenOf(req: IncomingMessage): string | undefined {
  const h = req.headers['proxy-authorization'];
  const m = typeof h === 'string' ? /^Basic\s+(.+)$/i.exec(h) : null;
  if (!m) return undefined;
  return Buffer.from(m[1], 'base64').toString('utf8').split(':')[0];
}

function send(res: ServerResponse, r: ImageResponse) {
  res.writeHead(r.status, { connection: 'close', 'content-length': Buffer.byteLength(r.body), ...(r.headers ?? {}) });
  res.end(r.body);
}

export function startEnforcementProxy(deps: ProxyDeps, host = '127.0.0.1'): Promise<EnforcementProxy> {
  const counts: Record<Verdict, number> = { 'dns-failure': 0, dropped: 0, reset: 0, forbidden: 0, unavailable: 0, allowed: 0 };
  const sockets = new Set<Socket>();
  const held = new Set<NodeJS.Timeout>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const token = tokenOf(req);
    if (!token) { res.writeHead(407, { 'proxy-authenticate': 'Basic realm="lattice-sim"', connection: 'close' }); res.end(); return; }
    const caller = deps.identify(token);
    if (!caller) { req.socket.destroy(); return; } // the pod is gone: its network is gone too
    let url: URL;
    try { url = new URL(req.url ?? ''); } catch { res.writeHead(400, { connection: 'close' }); res.end('absolute URL expected\n'); return; }
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const d = deps.decide(caller, url.hostname, port, url.pathname || '/');
    counts[d.verdict] += 1;
    switch (d.verdict) {
      case 'dns-failure':
      case 'reset': // ztunnel refuses the HBONE connection at once (no connect timeout spent)
        req.socket.destroy();
        return;
      case 'dropped': {
        // A Cilium drop costs the caller its connect timeout (simulated time: a tenth of it at speed 1).
        const ct = Number(req.headers['x-lattice-sim-connect-timeout'] ?? 0);
        const hold = Number.isFinite(ct) && ct > 0 ? Math.min(ct * 100, 10_000) / getSpeed() : 0;
        if (hold <= 0) { req.socket.destroy(); return; }
        const t = setTimeout(() => req.socket.destroy(), hold);
        held.add(t);
        req.socket.once('close', () => { clearTimeout(t); held.delete(t); });
        return;
      }
      case 'forbidden':
        send(res, { status: 403, body: 'RBAC: access denied', headers: { 'content-type': 'text/plain', server: 'istio-envoy' } });
        return;
      case 'unavailable':
        send(res, { status: 503, body: 'no healthy upstream', headers: { 'content-type': 'text/plain', server: 'istio-envoy' } });
        return;
      case 'allowed': {
        if (d.external) { send(res, externalRespond(d.external.host, d.external.port, req.method ?? 'GET', url.pathname)); return; }
        const target = d.pod && deps.container(d.pod.metadata.namespace ?? '', d.pod.metadata.name);
        const tport = d.targetPort ?? port;
        const answer = target && (target.server
          ? (target.server.ports.includes(tport) ? target.server.respond(tport, req.method ?? 'GET', url.pathname || '/') : undefined)
          : respond(target.image, target.declaredPorts, tport, req.method ?? 'GET', url.pathname || '/', { authorization: req.headers.authorization }));
        if (!answer && d.viaZtunnel) { req.socket.destroy(); return; } // ztunnel resets when nothing listens
        if (!answer) { send(res, { status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: connection failure', headers: { server: 'istio-envoy' } }); return; }
        send(res, answer);
      }
    }
  };

  const server: Server = createServer(handle);
  server.on('connection', (s: Socket) => { sockets.add(s); s.once('close', () => sockets.delete(s)); });
  // CONNECT tunnels (https not rewritten by the shim): decided the same way; an allowed tunnel gets
  // 200 and is then closed, since the target holds no certificates for external hosts.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    const token = tokenOf(req);
    const caller = token ? deps.identify(token) : undefined;
    const [h, p] = (req.url ?? '').split(':');
    if (!caller || !h) { socket.destroy(); return; }
    const d = deps.decide(caller, h, Number(p || 443), '/');
    counts[d.verdict] += 1;
    if (d.verdict !== 'allowed') { socket.destroy(); return; }
    socket.end('HTTP/1.1 200 Connection Established\r\n\r\n');
  });
  server.on('clientError', (_e, socket) => socket.destroy());

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port, address: `${host}:${port}`, counts,
        stop: () => new Promise<void>((r) => { for (const t of held) clearTimeout(t); for (const s of sockets) s.destroy(); server.close(() => r()); }),
      });
    });
  });
}
