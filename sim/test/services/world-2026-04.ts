/**
 * A 2026-04 cluster's store (the 18 CRDs with LatticeService/LatticeMeshMember schemas and the
 * webhook) with nodes and a running services runtime, plus b5d50e90-shaped objects for the tests.
 */
import type { KubeObject, ObjectStore } from '../../src/apiserver/types.js';
import { startWorld, type World, type WorldOptions } from './world.js';

export const API = 'lattice.dev/v1alpha1';

export function startWorld2026_04(opts: Omit<WorldOptions, 'apiVersion'> = {}): Promise<World> {
  return startWorld({ ...opts, apiVersion: '2026-04' });
}

const LIMITS = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };

/**
 * A container b5d50e90 accepts without any permit: an absolute command, limits, no relaxation; a
 * non-root uid, since busybox runs as root and the restricted defaults say runAsNonRoot.
 */
export function container(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { image: 'busybox:1.36', command: ['/bin/sh', '-c', 'while true; do sleep 1; done'], resources: LIMITS, security: { runAsUser: 1000 }, ...extra };
}

/** Upstream's 2026-04 mesh server (e2e/mesh_fixtures.rs:50-90): unprivileged nginx serving 200 "ok" on 8080. */
export function nginxServer(): Record<string, unknown> {
  return {
    image: 'nginxinc/nginx-unprivileged:alpine',
    command: ['/bin/sh'],
    args: ['-c', 'printf \'server { listen 8080; location / { return 200 "ok\\n"; add_header Content-Type text/plain; } }\' > /etc/nginx/conf.d/default.conf && nginx -g \'daemon off;\''],
    volumes: { '/etc/nginx/conf.d': {}, '/var/cache/nginx': {}, '/var/run': {}, '/tmp': {} },
    resources: LIMITS,
  };
}

/** A LatticeService of b5d50e90 (`spec.workload`). */
export function service(name: string, namespace: string, workload: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: API, kind: 'LatticeService', metadata: { name, namespace }, spec: { workload, ...extra } };
}

/** A server on port 80 → 8080 with the given extra resources. */
export function server(name: string, namespace: string, resources: Record<string, unknown> = {}): KubeObject {
  return service(name, namespace, { containers: { main: nginxServer() }, service: { ports: { http: { port: 80, targetPort: 8080 } } }, resources });
}

export function cedarPolicy(name: string, policies: string): KubeObject {
  return { apiVersion: API, kind: 'CedarPolicy', metadata: { name, namespace: 'lattice-system' }, spec: { policies } };
}

/** The blanket permits upstream's e2e applies before any service (e2e/helpers/services.rs:997-1050). */
export const E2E_BASELINE = [
  cedarPolicy('e2e-allowed-binary', 'permit(principal, action == Lattice::Action::"OverrideSecurity", resource == Lattice::SecurityOverride::"allowedBinary:*");'),
  cedarPolicy('e2e-apparmor', 'permit(principal, action == Lattice::Action::"OverrideSecurity", resource == Lattice::SecurityOverride::"apparmor:Unconfined");'),
];

export function phaseOf(store: ObjectStore, kind: string, ns: string, name: string): { phase?: string; message?: string } {
  const o = store.get(API, kind, name, ns);
  return { phase: o?.status?.phase, message: o?.status?.message };
}
