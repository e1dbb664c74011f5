/**
 * LatticeService and CedarPolicy objects of the gate scenarios, in API version 2026-04's shape
 * (docs/LATTICE-2026-04.md §5.1: everything under `spec.workload`; limits required, container.rs:
 * 408-420). These features run only at 2026-04, so the spelling lives here; it belongs in
 * support/versions/v2026-04/service once that offers single services (see the H-16 report).
 * Containers are upstream's (mesh_fixtures.rs:25-125): every one has a `command`, so none needs
 * the `allowedBinary:*` exception (container.rs:232-240), and none carries a `security` block
 * unless the scenario asks for an exception.
 */
import { RUN_ID_LABEL } from '../kube/lattice-cluster.js';

export const LATTICE_API = 'lattice.dev/v1alpha1';
/** Upstream labels its test policies `lattice.dev/test` for batch clean-up (helpers/cedar.rs:134-170). */
export const TEST_LABEL = 'lattice.dev/test';
/** The only namespace Lattice loads CedarPolicies from (cedar/engine.rs:476-520). */
export const POLICY_NAMESPACE = 'lattice-system';

export const CURL_IMAGE = 'curlimages/curl:latest';
export const SERVER_IMAGE = 'nginxinc/nginx-unprivileged:alpine';
export const SERVER_PORT = 80;
export const SERVER_TARGET_PORT = 8080;
/** The container every gate service runs (Lattice names the messages' container after this key). */
export const CONTAINER = 'main';

export interface LatticeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

/** requests 50m/64Mi, limits 200m/128Mi (mesh_fixtures.rs:68-77). */
const RESOURCES = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };
/** curl_user's UID: not root, and numeric so Kubernetes can check runAsNonRoot (mesh_fixtures.rs:110-116). */
export const CURL_UID = 100;

/** A shell that stays up for exec; `echo`es `banner` first when given (its log line). */
export function idleScript(banner?: string): string {
  return `${banner ? `echo '${banner.replace(/'/g, '')}'; ` : ''}while :; do sleep 3600; done`;
}

/** A curl container idling for exec; `security` is merged over the UID. */
export function curlContainer(script: string, security: Obj = {}, volumes: Obj = {}): Obj {
  return {
    image: CURL_IMAGE, command: ['/bin/sh'], args: ['-c', script],
    volumes: { '/tmp': {}, ...volumes }, resources: structuredClone(RESOURCES),
    security: { runAsUser: CURL_UID, ...security },
  };
}

/** nginx answering 200 on every path of 8080, with no security block at all (mesh_fixtures.rs:48-66 less its relaxations). */
export function serverContainer(): Obj {
  const script = 'printf \'server { listen 8080; location / { return 200 "ok\\n"; add_header Content-Type text/plain; } }\' '
    + "> /etc/nginx/conf.d/default.conf && nginx -g 'daemon off;'";
  return {
    image: SERVER_IMAGE, command: ['/bin/sh'], args: ['-c', script],
    volumes: { '/etc/nginx/conf.d': {}, '/var/cache/nginx': {}, '/var/run': {}, '/tmp': {} },
    resources: structuredClone(RESOURCES),
  };
}

export function gateLabels(runId: string): Record<string, string> {
  return { [RUN_ID_LABEL]: runId, [TEST_LABEL]: 'cedar-gates' };
}

export interface ServiceInput {
  name: string;
  namespace: string;
  runId: string;
  container: Obj;
  /** `workload.resources`: declarations keyed by name (docs §5.1). */
  resources?: Obj;
  /** Serves SERVER_PORT → SERVER_TARGET_PORT when true. */
  serves?: boolean;
}

export function latticeService(input: ServiceInput): LatticeObject {
  const workload: Obj = { containers: { [CONTAINER]: input.container }, resources: input.resources ?? {} };
  if (input.serves) workload.service = { ports: { http: { port: SERVER_PORT, targetPort: SERVER_TARGET_PORT } } };
  return {
    apiVersion: LATTICE_API, kind: 'LatticeService',
    metadata: { name: input.name, namespace: input.namespace, labels: gateLabels(input.runId) },
    spec: { workload },
  };
}

/** A CedarPolicy as upstream writes one (helpers/cedar.rs:134-170): lattice-system, enabled, a priority. */
export function cedarPolicy(name: string, runId: string, policies: string, priority = 50): LatticeObject {
  return {
    apiVersion: LATTICE_API, kind: 'CedarPolicy',
    metadata: { name, namespace: POLICY_NAMESPACE, labels: gateLabels(runId) },
    spec: { enabled: true, priority, policies },
  };
}

/** `permit` of one action on one resource for one service (helpers/cedar.rs:241-258, :307-327). */
export function servicePermit(namespace: string, service: string, action: string, resource: string): string {
  return `permit(\n  principal == Lattice::Service::"${namespace}/${service}",\n  action == Lattice::Action::"${action}",\n  resource == ${resource}\n);`;
}
