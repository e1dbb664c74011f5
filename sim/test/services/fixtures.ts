/**
 * LatticeService declarations for the target's own tests, written from lattice-facts §4.4–§4.6
 * (the suite's mesh and media modules are deliberately not imported).
 */
import type { KubeObject } from '../../src/apiserver/types.js';

export const MESH_NS = 'mesh-test';
export const FRONTENDS = ['frontend-web', 'frontend-mobile', 'frontend-admin'] as const;
export const BACKENDS = ['api-gateway', 'api-users', 'api-orders', 'db-users', 'db-orders', 'cache'] as const;

type Res = Record<string, { type: string; direction?: string; id?: string; namespace?: string; params?: Record<string, unknown> }>;

export function latticeService(name: string, namespace: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService', metadata: { name, namespace, labels }, spec };
}

export function externalService(name: string, namespace: string, url: string, allowedRequesters: string[]): KubeObject {
  return { apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeExternalService', metadata: { name, namespace }, spec: { endpoints: { default: url }, allowedRequesters, resolution: 'dns' } };
}

export function nginxService(name: string, namespace: string, resources: Res): KubeObject {
  return latticeService(name, namespace, {
    containers: { main: { image: 'nginx:alpine' } },
    service: { ports: { http: { port: 80 } } },
    resources,
  }, { 'lattice.dev/environment': namespace });
}

export function scriptService(name: string, namespace: string, script: string, resources: Res): KubeObject {
  return latticeService(name, namespace, {
    containers: { main: { image: 'curlimages/curl:latest', command: ['/bin/sh'], args: ['-c', script] } },
    resources,
  }, { 'lattice.dev/environment': namespace });
}

const out = (...names: string[]): Res => Object.fromEntries(names.map((n) => [n, { type: 'service', direction: 'outbound' }]));
const inb = (...names: string[]): Res => Object.fromEntries(names.map((n) => [n, { type: 'service', direction: 'inbound' }]));

/** The fixed 9-service mesh of facts §4.4 (frontends carry the given script). */
export function fixedMesh(frontendScript: (name: string) => string = () => 'sleep 3600'): KubeObject[] {
  const all = [...FRONTENDS, ...BACKENDS];
  return [
    nginxService('db-users', MESH_NS, inb('api-gateway', 'api-users')),
    nginxService('db-orders', MESH_NS, inb('api-gateway', 'api-orders')),
    nginxService('cache', MESH_NS, inb('api-gateway', 'api-users', 'api-orders')),
    nginxService('api-gateway', MESH_NS, { ...out('db-users', 'db-orders', 'cache'), ...inb(...FRONTENDS) }),
    nginxService('api-users', MESH_NS, { ...out('db-users', 'cache'), ...inb('frontend-web', 'frontend-admin') }),
    nginxService('api-orders', MESH_NS, { ...out('db-orders', 'cache'), ...inb('frontend-mobile', 'frontend-admin') }),
    ...FRONTENDS.map((f) => scriptService(f, MESH_NS, frontendScript(f), out(...all.filter((n) => n !== f)))),
  ];
}

/** Expected results of facts §4.4: target → allowed? per frontend. */
export const EXPECTED: Record<string, Record<string, boolean>> = {
  'frontend-web': { 'api-gateway': true, 'api-users': true, 'api-orders': false, 'db-users': false, 'db-orders': false, cache: false, 'frontend-mobile': false, 'frontend-admin': false },
  'frontend-mobile': { 'api-gateway': true, 'api-users': false, 'api-orders': true, 'db-users': false, 'db-orders': false, cache: false, 'frontend-web': false, 'frontend-admin': false },
  'frontend-admin': { 'api-gateway': true, 'api-users': true, 'api-orders': true, 'db-users': false, 'db-orders': false, cache: false, 'frontend-web': false, 'frontend-mobile': false },
};

export const MEDIA_NS = 'media';

/** The media stack of facts §4.6. */
export function mediaStack(): KubeObject[] {
  const vol = (size: string) => ({ type: 'volume', params: { size } });
  return [
    latticeService('jellyfin', MEDIA_NS, {
      containers: { main: {
        image: 'jellyfin/jellyfin:latest',
        volumes: { '/config': { source: '${resources.config}' }, '/cache': { source: '${resources.cache}' }, '/media': { source: '${resources.media}', path: 'library' } },
        readinessProbe: { httpGet: { path: '/health', port: 8096 } },
      } },
      service: { ports: { http: { port: 8096 } } },
      resources: {
        config: vol('10Gi'), cache: vol('20Gi'),
        media: { type: 'volume', id: 'media-storage', params: { size: '1Ti', accessMode: 'ReadWriteOnce' } },
        sonarr: { type: 'service', direction: 'inbound' },
      },
      ingress: { hosts: ['jellyfin.home.local'], tls: { mode: 'auto', issuerRef: { name: 'letsencrypt-prod' } } },
    }),
    latticeService('nzbget', MEDIA_NS, {
      containers: { main: {
        image: 'linuxserver/nzbget:latest',
        volumes: { '/config': { source: '${resources.config}' }, '/downloads': { source: '${resources.media}', path: 'downloads' } },
        readinessProbe: { exec: { command: ['nc', '-z', '127.0.0.1', '6789'] } },
      } },
      service: { ports: { http: { port: 6789 } } },
      resources: { config: vol('1Gi'), media: { type: 'volume', id: 'media-storage' }, sonarr: { type: 'service', direction: 'inbound' } },
    }),
    latticeService('sonarr', MEDIA_NS, {
      containers: { main: {
        image: 'linuxserver/sonarr:latest',
        volumes: { '/config': { source: '${resources.config}' }, '/downloads': { source: '${resources.media}', path: 'downloads' }, '/tv': { source: '${resources.media}', path: 'library' } },
        readinessProbe: { httpGet: { path: '/ping', port: 8989 } },
      } },
      service: { ports: { http: { port: 8989 } } },
      resources: {
        config: vol('5Gi'), media: { type: 'volume', id: 'media-storage' },
        nzbget: { type: 'service', direction: 'outbound' }, jellyfin: { type: 'service', direction: 'outbound' },
      },
      ingress: { hosts: ['sonarr.home.local'], tls: { mode: 'auto', issuerRef: { name: 'letsencrypt-prod' } } },
    }),
  ];
}

/** A Running, Ready pod for each compiled Deployment (for decisions without a runtime). */
export function runningPodsFor(objects: KubeObject[]): KubeObject[] {
  return objects.filter((o) => o.kind === 'Deployment').map((d) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `${d.metadata.name}-abc12`, namespace: d.metadata.namespace, labels: d.spec.template.metadata.labels },
    spec: { ...d.spec.template.spec, nodeName: 'worker-0' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  }));
}

export function find(objects: KubeObject[], kind: string, name: string, namespace?: string): KubeObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
}

/** A probe script of the target's own: one line `<target>: <http code>` per target, then `ROUND`. */
export function probeScript(targets: string[], ns: string): string {
  return `while true; do
  for t in ${targets.join(' ')}; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --connect-timeout 3 http://$t.${ns}.svc.cluster.local/)
    echo "$t: $code"
  done
  echo ROUND
  sleep 0.2
done`;
}

/** Last code per target in a frontend's log, once a full round is in. */
export function lastCodes(log: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of log.split('\n')) { const x = /^([\w-]+): (\d{3})$/.exec(line); if (x) m.set(x[1], x[2]); }
  return m;
}

/** Codes of the last complete round in a log. */
export function lastRoundCodes(log: string): Map<string, string> {
  const lines = log.trimEnd().split('\n');
  const last = lines.lastIndexOf('ROUND');
  const prev = lines.lastIndexOf('ROUND', last - 1);
  return lastCodes(lines.slice(prev + 1, last).join('\n'));
}

export function roundCount(log: string): number { return log.split('\n').filter((l) => l === 'ROUND').length; }
