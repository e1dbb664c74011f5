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
  // The unprivileged build (upstream's 2026-04 mesh servers, e2e/helpers/mod.rs:289-294) runs as
  // uid 101 and listens on 8080: a non-root process cannot bind 80.
  'nginxinc/nginx-unprivileged': {
    ports: [8080],
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

/** A container's own answers when its `sh -c` script configures and starts the image's server. */
export interface ScriptedServer { ports: number[]; respond(port: number, method: string, path: string): ImageResponse; startupLog: string[] }

const NGINX_IMAGES = new Set(['nginx', 'nginxinc/nginx-unprivileged']);

/**
 * Upstream's 2026-04 mesh servers run `sh -c "printf 'server { listen 8080; location / { return 200
 * \"ok\\n\"; ... } }' > /etc/nginx/conf.d/default.conf && nginx -g 'daemon off;'"`
 * (e2e/mesh_fixtures.rs:50-90). Such a script is the image's server with the configuration it
 * writes: it listens on the `listen` ports and answers every path with the `return` status and body.
 * Without `return` it serves the image's pages; undefined when the script does not start nginx.
 */
export function scriptedServer(image: string, script: string): ScriptedServer | undefined {
  const base = behaviourOf(image);
  if (!NGINX_IMAGES.has(imageRepository(image)) || !base || !/(^|[\s;&|])(exec\s+)?nginx(\s|$)/.test(script)) return undefined;
  const listen = [...script.matchAll(/listen\s+(\d+)/g)].map((m) => Number(m[1]));
  const ret = /return\s+(\d{3})(?:\s+"((?:[^"\\]|\\.)*)\\?")?/.exec(script);
  const contentType = /add_header\s+Content-Type\s+([^;\s]+)/i.exec(script)?.[1] ?? 'application/octet-stream';
  const ports = listen.length ? [...new Set(listen)] : base.ports;
  const body = ret?.[2]?.replace(/\\n/g, '\n').replace(/\\"/g, '"') ?? '';
  return {
    ports,
    respond: ret
      ? () => ({ status: Number(ret[1]), body, headers: { 'content-type': contentType, server: 'nginx' } })
      : (port, method, path) => base.respond(port, method, path, {}),
    startupLog: base.startupLog,
  };
}

/**
 * The user each image's config names (Dockerfile USER; none = root), for the kubelet's runAsNonRoot
 * check: '' or '0' is root, a name cannot be verified, another number is fine. Unknown images:
 * undefined (the target cannot know, and lets them start).
 */
const IMAGE_USERS: Record<string, string> = {
  nginx: '', 'nginxinc/nginx-unprivileged': '101', 'curlimages/curl': 'curl_user', busybox: '', alpine: '',
  'jellyfin/jellyfin': '', 'linuxserver/nzbget': '', 'linuxserver/sonarr': '', 'istio/proxyv2': '1337',
};

export function imageUser(image: string): string | undefined { return IMAGE_USERS[imageRepository(image)]; }
