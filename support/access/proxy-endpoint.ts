/**
 * Where the management cluster's auth proxy answers (docs/LATTICE-2026-04.md §7): the
 * `lattice-system/lattice-cell` LoadBalancer Service, its ingress address, port 8082 (the auth-proxy
 * port, lattice-common/src/lib.rs:53). The embedded target names another port in the annotation
 * `lattice-sim.dev/auth-proxy-port` when it could not bind 8082 (sim/README.md); a real Lattice never sets it.
 */
import { SuiteError } from '../errors.js';

export const CELL_SERVICE = 'lattice-cell';
export const CELL_NAMESPACE = 'lattice-system';
export const AUTH_PROXY_PORT = 8082;
const PORT_ANNOTATION = 'lattice-sim.dev/auth-proxy-port';

export interface CellServiceView {
  metadata?: { annotations?: Record<string, string> };
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } };
}

/** `https://<ingress>:<port>`, or undefined while the load balancer has no address yet. */
export function proxyBaseUrl(svc: CellServiceView | undefined): string | undefined {
  const ingress = svc?.status?.loadBalancer?.ingress?.[0];
  const host = ingress?.hostname ?? ingress?.ip;
  if (!host) return undefined;
  const annotated = svc?.metadata?.annotations?.[PORT_ANNOTATION];
  const port = annotated === undefined ? AUTH_PROXY_PORT : Number(annotated);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SuiteError(`${CELL_NAMESPACE}/${CELL_SERVICE}: annotation ${PORT_ANNOTATION}=${JSON.stringify(annotated)} is not a port`);
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The proxy path of a cluster (lattice-api/src/server.rs:112-136). */
export function clusterPath(cluster: string, apiPath = ''): string {
  return `/clusters/${encodeURIComponent(cluster)}${apiPath}`;
}
