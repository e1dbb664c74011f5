/**
 * The `lattice-system/lattice-cell` LoadBalancer Service at 2026-04: the operator ensures it at
 * start-up with the four cell ports (lattice-common/src/kube_utils/service.rs:13-85, called from
 * lattice-operator/src/startup/cell.rs:84-140 when the cluster has parentConfig), and the load
 * balancer (cloud LB / Cilium L2 upstream; the target's stand-in here) writes its ingress address:
 * the auth proxy's address on this machine. When the proxy's port is not 8082 (listen.ts fallback)
 * the annotation `lattice-sim.dev/auth-proxy-port` names the port to use instead.
 */
import type { KubeObject, ObjectStore } from '../../../apiserver/types.js';
import { AUTH_PROXY_PORT } from './listen.js';

export const CELL_SERVICE = 'lattice-cell';
export const LATTICE_SYSTEM = 'lattice-system';
export const PROXY_PORT_ANNOTATION = 'lattice-sim.dev/auth-proxy-port';

export interface CellPorts { bootstrapPort: number; grpcPort: number; proxyPort: number }

/** parentConfig's ports with their serde defaults (lattice-core/src/lib.rs:26-32). */
export function cellPorts(parentConfig: Record<string, unknown>): CellPorts {
  const n = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
  return { bootstrapPort: n(parentConfig.bootstrapPort, 8443), grpcPort: n(parentConfig.grpcPort, 50051), proxyPort: n(parentConfig.proxyPort, 8081) };
}

function desiredSpecPorts(p: CellPorts): KubeObject['spec'] {
  const port = (name: string, n: number) => ({ name, port: n, targetPort: n, protocol: 'TCP' });
  return [port('bootstrap', p.bootstrapPort), port('grpc', p.grpcPort), port('proxy', p.proxyPort), port('auth-proxy', AUTH_PROXY_PORT)];
}

/** Creates the Service or brings its ports and selector to b5d50e90's (server-side apply upstream). */
export function ensureCellService(store: ObjectStore, p: CellPorts): void {
  const ports = desiredSpecPorts(p);
  const selector = { app: 'lattice-operator', 'lattice.dev/leader': 'true' };
  if (!store.get('v1', 'Namespace', LATTICE_SYSTEM)) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: LATTICE_SYSTEM } });
  const cur = store.get('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM);
  if (!cur) {
    store.create({
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: CELL_SERVICE, namespace: LATTICE_SYSTEM, labels: { app: 'lattice-operator' } },
      spec: { type: 'LoadBalancer', selector, ports, clusterIP: '10.96.100.10' },
    });
    return;
  }
  if (JSON.stringify(cur.spec?.ports) !== JSON.stringify(ports) || JSON.stringify(cur.spec?.selector) !== JSON.stringify(selector)) {
    store.mergePatch('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM, { spec: { type: 'LoadBalancer', selector, ports } });
  }
}

/** The load balancer's part: the ingress address (and the port annotation when it is not 8082). */
export function publishIngress(store: ObjectStore, host: string, port: number): void {
  const cur = store.get('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM);
  if (!cur) return;
  const ingress = cur.status?.loadBalancer?.ingress;
  if (!(ingress?.length === 1 && ingress[0].ip === host && !ingress[0].hostname)) {
    store.updateStatus({ ...cur, status: { ...cur.status, loadBalancer: { ingress: [{ ip: host }] } } });
  }
  const annotated = cur.metadata.annotations?.[PROXY_PORT_ANNOTATION];
  const want = port === AUTH_PROXY_PORT ? undefined : String(port);
  if (annotated !== want) store.mergePatch('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM, { metadata: { annotations: { [PROXY_PORT_ANNOTATION]: want ?? null } } });
}
