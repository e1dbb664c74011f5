/**
 * 2026-01 (1236706e) mesh objects: containers, resources and service at the top of `spec`; probes
 * run `curlimages/curl` with the probe script and have no `service` block (so no Kubernetes
 * Service: peers calling them fail DNS); servers run `nginx:alpine` on port 80; an external is a
 * LatticeExternalService whose `allowedRequesters` accept its callers (lattice-facts §1.3, §1.4, §4.4).
 */
import type { ExternalDeclaration, ResourceEntry } from '../../../mesh/agreement.js';
import { LATTICE_API_VERSION } from '../../../mesh/lattice-objects.js';
import type { LatticeObject, MeshMemberInput } from '../../service-spelling.js';

export const GENERATOR_IMAGE = 'curlimages/curl:latest';
export const BACKEND_IMAGE = 'nginx:alpine';
export const BACKEND_PORT = 80;

export function meshService2026_01(member: MeshMemberInput): LatticeObject {
  const metadata = { name: member.name, namespace: member.namespace, labels: { ...member.labels } };
  const resources: Record<string, ResourceEntry> = structuredClone(member.resources);
  if (member.probeScript !== undefined) {
    return { apiVersion: LATTICE_API_VERSION, kind: 'LatticeService', metadata, spec: { containers: { main: { image: GENERATOR_IMAGE, command: ['/bin/sh'], args: ['-c', member.probeScript] } }, resources } };
  }
  return {
    apiVersion: LATTICE_API_VERSION, kind: 'LatticeService', metadata,
    spec: { containers: { main: { image: BACKEND_IMAGE } }, resources, service: { ports: { http: { port: BACKEND_PORT } } } },
  };
}

/** One LatticeExternalService per external: a `default` endpoint, its requesters, DNS resolution. */
export function externalObjects2026_01(externals: readonly ExternalDeclaration[], namespace: string, labels: Record<string, string>): LatticeObject[] {
  return externals.map((ext) => ({
    apiVersion: LATTICE_API_VERSION, kind: 'LatticeExternalService',
    metadata: { name: ext.name, namespace, labels: { ...labels } },
    spec: { endpoints: { default: ext.url }, allowedRequesters: [...ext.allowedRequesters], resolution: 'dns' },
  }));
}
