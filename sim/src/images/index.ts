/**
 * What the container images of the scenarios do when the target runs them without a real container
 * engine: which ports they listen on and how they answer HTTP. Images running `/bin/sh -c` are
 * executed for real by the pod runtime instead.
 */
export interface ImageResponse { status: number; body: string; headers?: Record<string, string> }

/** Request headers an image looks at (only credentials so far). */
export interface RequestHeaders { authorization?: string }

interface ImageBehaviour {
  ports: number[];
  respond(port: number, method: string, path: string, headers: RequestHeaders): ImageResponse;
  startupLog: string[];
}

const NGINX_PAGE = '<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>\n';

const NZBGET_AUTH = `Basic ${Buffer.from('nzbget:tegbzn6789').toString('base64')}`;

const BEHAVIOURS: Record<string, ImageBehaviour> = {
  nginx: {
    ports: [80],
    respond: (_port, _method, path) => (path === '/' || path === '/index.html'
      ? { status: 200, body: NGINX_PAGE, headers: { 'content-type': 'text/html', server: 'nginx' } }
      : { status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>\n', headers: { 'content-type': 'text/html', server: 'nginx' } }),
    startupLog: ['/docker-entrypoint.sh: Configuration complete; ready for start up', 'nginx: start worker processes'],
  },
  'jellyfin/jellyfin': {
    ports: [8096],
    respond: (_port, _method, path): ImageResponse => {
      if (path === '/health') return { status: 200, body: 'Healthy', headers: { 'content-type': 'text/plain' } };
      if (path === '/') return { status: 302, body: '', headers: { location: '/web/index.html' } };
      if (path.startsWith('/web')) return { status: 200, body: '<html><title>Jellyfin</title></html>', headers: { 'content-type': 'text/html' } };
      if (path === '/System/Info/Public') return { status: 200, body: '{"ServerName":"jellyfin","Version":"10.10.0","StartupWizardCompleted":false}', headers: { 'content-type': 'application/json' } };
      return { status: 404, body: '' };
    },
    startupLog: ['[INF] Main: Jellyfin version: 10.10.0', '[INF] Main: Startup complete'],
  },
  'linuxserver/nzbget': {
    ports: [6789],
    // NZBGet's web server asks for HTTP basic auth on every path; the linuxserver image ships the
    // control user nzbget / tegbzn6789. Without them a caller that reached it gets 401, not 200.
    respond: (_port, _method, _path, headers): ImageResponse => (headers.authorization === NZBGET_AUTH
      ? { status: 200, body: '<html><title>NZBGet</title></html>', headers: { 'content-type': 'text/html' } }
      : { status: 401, body: '', headers: { 'www-authenticate': 'Basic realm="NZBGet"', 'content-type': 'text/plain' } }),
    startupLog: ['[ls.io-init] done.', 'nzbget: Server listening on 0.0.0.0:6789'],
  },
  'linuxserver/sonarr': {
    ports: [8989],
    respond: (_port, _method, path) => (path === '/ping'
      ? { status: 200, body: '{"status":"OK"}', headers: { 'content-type': 'application/json' } }
      : { status: 200, body: '<html><title>Sonarr</title></html>', headers: { 'content-type': 'text/html' } }),
    startupLog: ['[ls.io-init] done.', '[Info] Microsoft.Hosting.Lifetime: Now listening on: http://[::]:8989'],
  },
  'istio/proxyv2': {
    ports: [15008, 15021],
    respond: (_port, _method, path) => ({ status: path === '/healthz/ready' ? 200 : 404, body: '' }),
    startupLog: ['info\tReadiness succeeded in 1.2s', 'info\tEnvoy proxy is ready'],
  },
};

/** `docker.io/library/nginx:alpine` → `nginx`; `ghcr.io/x/y@sha256:…` → `x/y`. */
export function imageRepository(image: string): string {
  let ref = image.split('@')[0];
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library' && parts.length > 1) parts.shift();
  return parts.join('/');
}

function behaviourOf(image: string): ImageBehaviour | undefined { return BEHAVIOURS[imageRepository(image)]; }

/** Ports the container listens on: the image's own, else the ports the pod declares. */
export function listeningPorts(image: string, declaredPorts: number[]): number[] {
  return behaviourOf(image)?.ports ?? declaredPorts;
}

/** The container's answer; undefined when nothing listens on the port (connection refused). */
export function respond(image: string, declaredPorts: number[], port: number, method: string, path: string, headers: RequestHeaders = {}): ImageResponse | undefined {
  if (!listeningPorts(image, declaredPorts).includes(port)) return undefined;
  const b = behaviourOf(image);
  if (b) return b.respond(port, method, path, headers);
  return { status: 200, body: 'OK\n', headers: { 'content-type': 'text/plain' } };
}

export function startupLog(image: string): string[] { return behaviourOf(image)?.startupLog ?? []; }

export interface Probe { httpGet?: { path?: string; port?: number | string }; exec?: { command?: string[] } }

/** Whether a readiness probe passes against the image's behaviour (`nc -z host port` ⇒ port listens). */
export function probePasses(image: string, declaredPorts: number[], probe: Probe | undefined): boolean {
  if (!probe) return true;
  if (probe.httpGet) {
    const r = respond(image, declaredPorts, Number(probe.httpGet.port ?? 80), 'GET', probe.httpGet.path ?? '/');
    return !!r && r.status >= 200 && r.status < 400;
  }
  const cmd = (probe.exec?.command ?? []).join(' ');
  const nc = /nc\s+-z\s+\S+\s+(\d+)/.exec(cmd);
  if (nc) return listeningPorts(image, declaredPorts).includes(Number(nc[1]));
  return true;
}

/** Stand-ins for the public endpoints the scenarios name: nothing leaves the machine. */
export function externalRespond(host: string, _port: number, method: string, path: string): ImageResponse {
  if (host === 'httpbin.org') {
    const status = /^\/status\/(\d{3})/.exec(path);
    if (status) return { status: Number(status[1]), body: '' };
    if (path.startsWith('/get')) return { status: 200, body: JSON.stringify({ url: `https://httpbin.org${path}`, method }), headers: { 'content-type': 'application/json' } };
  }
  if (host === 'github.com' || host === 'www.google.com') return { status: 200, body: `<html><title>${host}</title></html>`, headers: { 'content-type': 'text/html' } };
  return { status: 200, body: `<html><title>${host}</title></html>`, headers: { 'content-type': 'text/html' } };
}
