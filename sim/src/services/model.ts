/**
 * The parts of LatticeService / LatticeExternalService the target reads (lattice-facts §1.3, §1.4),
 * the names it derives from them (§6), and the bilateral-agreement rule that decides which edges
 * are active.
 */
import type { KubeObject } from '../apiserver/types.js';

export const LATTICE_API = 'lattice.dev/v1alpha1';
export const TRUST_DOMAIN = 'cluster.local';
export const NAME_LABEL = 'app.kubernetes.io/name';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** Marks everything the services runtime compiled, so stale objects can be found and removed. */
export const COMPILED_LABEL = 'lattice.dev/compiled';
/** The LatticeService (or `waypoint`, or `external:<name>`) an object was compiled for. */
export const OWNER_LABEL = 'lattice.dev/service';
export const WAYPOINT_PORT = 15008;

export type Direction = 'outbound' | 'inbound' | 'both';

export interface ResourceSpec {
  type: string;
  direction?: Direction;
  id?: string;
  namespace?: string;
  params?: { size?: string; storageClass?: string; accessMode?: string; [k: string]: unknown };
}

export interface VolumeMountSpec { source: string; path?: string; readOnly?: boolean }
export interface ProbeSpec { httpGet?: { path?: string; port?: number | string }; exec?: { command?: string[] } }

export interface ContainerSpec {
  image: string;
  command?: string[];
  args?: string[];
  variables?: Record<string, string>;
  resources?: unknown;
  files?: unknown;
  volumes?: Record<string, VolumeMountSpec>;
  livenessProbe?: ProbeSpec;
  readinessProbe?: ProbeSpec;
  startupProbe?: ProbeSpec;
}

export interface ServicePortSpec { port: number; targetPort?: number; protocol?: string }

export interface LatticeServiceSpec {
  containers: Record<string, ContainerSpec>;
  resources?: Record<string, ResourceSpec>;
  service?: { ports?: Record<string, ServicePortSpec> };
  replicas?: { min?: number; max?: number };
  deploy?: { strategy?: string };
  ingress?: { hosts?: string[]; paths?: string[]; tls?: { mode?: string; issuerRef?: { name: string; kind?: string } }; gatewayClass?: string };
}

export interface ExternalEndpoint { name: string; url: string; scheme: string; host: string; port: number; protocol: string }

export function principalOf(namespace: string, serviceAccount: string): string {
  return `${TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;
}
export function waypointName(namespace: string): string { return `${namespace}-waypoint`; }
export function serviceKey(namespace: string, name: string): string { return `${namespace}/${name}`; }

export function directionOf(r: ResourceSpec): Direction { return r.direction ?? 'outbound'; }
export function isOutbound(r: ResourceSpec): boolean { const d = directionOf(r); return d === 'outbound' || d === 'both'; }
export function isInbound(r: ResourceSpec): boolean { const d = directionOf(r); return d === 'inbound' || d === 'both'; }
export function targetOf(key: string, r: ResourceSpec, ownNamespace: string): { name: string; namespace: string } {
  return { name: r.id ?? key, namespace: r.namespace ?? ownNamespace };
}

/** Number of replicas: block omitted ⇒ 1, `min` omitted inside the block ⇒ 0 (facts §1.3). */
export function replicasOf(spec: LatticeServiceSpec): number {
  if (!spec.replicas) return 1;
  return spec.replicas.min ?? 0;
}

/** Parses `https://h[:p]/…`, `http://…`, `tcp://h:p`, `grpc://h:p`, `h:p` (facts §1.4). */
export function parseEndpoint(name: string, url: string): ExternalEndpoint | string {
  const m = /^(?:([a-z]+):\/\/)?([^/:\s]+)(?::(\d+))?(\/.*)?$/i.exec(url.trim());
  if (!m) return `endpoint ${name}: "${url}" is not a URL or host:port`;
  const scheme = (m[1] ?? '').toLowerCase();
  const defaults: Record<string, number> = { https: 443, http: 80 };
  if (scheme && !['https', 'http', 'tcp', 'grpc'].includes(scheme)) return `endpoint ${name}: unsupported scheme "${scheme}"`;
  const port = m[3] ? Number(m[3]) : defaults[scheme];
  if (!port) return `endpoint ${name}: "${url}" needs a port`;
  const protocol = scheme === 'https' ? 'TLS' : scheme === 'http' ? 'HTTP' : scheme === 'grpc' ? 'GRPC' : 'TCP';
  return { name, url, scheme: scheme || 'tcp', host: m[2].toLowerCase(), port, protocol };
}

/** Validation errors of a LatticeService spec (empty = valid). */
export function validateService(obj: KubeObject): string[] {
  const spec = obj.spec as LatticeServiceSpec | undefined;
  const errors: string[] = [];
  if (!spec || typeof spec !== 'object') return ['spec is required'];
  const containers = spec.containers ?? {};
  if (Object.keys(containers).length === 0) errors.push('spec.containers needs at least one container');
  const resources = spec.resources ?? {};
  for (const [cname, c] of Object.entries(containers)) {
    if (!c || typeof c.image !== 'string' || !c.image) errors.push(`containers.${cname}.image is required`);
    for (const [mountPath, v] of Object.entries(c?.volumes ?? {})) {
      const key = /^\$\{resources\.([^}]+)\}$/.exec(v?.source ?? '')?.[1];
      if (!mountPath.startsWith('/')) errors.push(`containers.${cname}.volumes: mount path "${mountPath}" must be absolute`);
      if (!key) errors.push(`containers.${cname}.volumes.${mountPath}.source must be "\${resources.<key>}"`);
      else if (resources[key]?.type !== 'volume') errors.push(`containers.${cname}.volumes.${mountPath}: resource "${key}" is not a volume`);
    }
  }
  for (const [key, r] of Object.entries(resources)) {
    if (!r || typeof r.type !== 'string') errors.push(`resources.${key}.type is required`);
    else if (r.direction && !['outbound', 'inbound', 'both'].includes(r.direction)) errors.push(`resources.${key}.direction must be outbound, inbound or both`);
  }
  for (const [pname, p] of Object.entries(spec.service?.ports ?? {})) {
    if (!Number.isInteger(p?.port) || p.port < 1 || p.port > 65535) errors.push(`service.ports.${pname}.port must be 1..65535`);
  }
  if (spec.replicas?.max !== undefined && spec.replicas.max < (spec.replicas.min ?? 0)) errors.push('replicas.max must not be below replicas.min');
  return errors;
}

export function validateExternal(obj: KubeObject): string[] {
  const endpoints = (obj.spec?.endpoints ?? {}) as Record<string, string>;
  if (Object.keys(endpoints).length === 0) return ['spec.endpoints needs at least one endpoint'];
  const errors: string[] = [];
  for (const [n, u] of Object.entries(endpoints)) {
    const e = parseEndpoint(n, String(u));
    if (typeof e === 'string') errors.push(e);
  }
  const res = obj.spec?.resolution;
  if (res !== undefined && res !== 'dns' && res !== 'static') errors.push('spec.resolution must be dns or static');
  return errors;
}
