/**
 * What `lattice install` at 2026-04 does on the management cluster after the pivot
 * (cli/commands/install.rs:1274-1410): ServiceAccount `lattice-system/lattice-admin`, its token Secret
 * `lattice-admin-token` (filled by the token controller), the CedarPolicies `lattice-admin-access`
 * and `proxy-cluster-access` (lattice-infra/src/bootstrap/mod.rs:1045-1084), then the proxy endpoint
 * from the `lattice-cell` Service's load balancer (install.rs:1449-1490). The ClusterRoleBinding
 * `lattice-admin-binding` is not created: the target serves no RBAC kinds (sim/FIDELITY.md).
 */
import type { KubeObject, ObjectStore } from '../../../apiserver/types.js';
import { AUTH_PROXY_PORT } from './listen.js';
import { applyCedarPolicy, bootstrapCedarPolicy, PROXY_CLUSTER_ACCESS } from '../cedar/bootstrap-policies.js';
import { CELL_SERVICE, LATTICE_SYSTEM, PROXY_PORT_ANNOTATION } from './cell-service.js';

export const ADMIN_POLICIES: KubeObject[] = [
  bootstrapCedarPolicy('lattice-admin-access', 'Full admin access for lattice-admin SA', `permit(
    principal == Lattice::User::"system:serviceaccount:lattice-system:lattice-admin",
    action,
    resource
);`),
  PROXY_CLUSTER_ACCESS,
];

/** Creates the admin ServiceAccount and its token Secret (create: a re-run fails on AlreadyExists, as upstream) and applies the two CedarPolicies (apply_with_retry, install.rs:1360-1372). */
export function setupAdminAccess(store: ObjectStore): void {
  if (!store.get('v1', 'Namespace', LATTICE_SYSTEM)) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: LATTICE_SYSTEM } });
  store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'lattice-admin', namespace: LATTICE_SYSTEM } });
  store.create({
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
    metadata: { name: 'lattice-admin-token', namespace: LATTICE_SYSTEM, annotations: { 'kubernetes.io/service-account.name': 'lattice-admin' } },
  });
  for (const p of ADMIN_POLICIES) applyCedarPolicy(store, p);
}

/** The admin token once the token controller has written it. */
export function adminToken(store: ObjectStore): string | undefined {
  const t = (store.get('v1', 'Secret', 'lattice-admin-token', LATTICE_SYSTEM)?.data as Record<string, string> | undefined)?.token;
  return t ? Buffer.from(t, 'base64').toString('utf8') : undefined;
}

/** `https://<ingress hostname or ip>:8082` (the annotated port where the target could not bind 8082). */
export function proxyEndpoint(store: ObjectStore): string | undefined {
  const svc = store.get('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM);
  const ingress = svc?.status?.loadBalancer?.ingress?.[0];
  const host = ingress?.hostname ?? ingress?.ip;
  if (!host) return undefined;
  const port = svc?.metadata.annotations?.[PROXY_PORT_ANNOTATION] ?? String(AUTH_PROXY_PORT);
  return `https://${host}:${port}`;
}
