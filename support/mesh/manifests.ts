/**
 * LatticeService / LatticeExternalService objects for a mesh, in Lattice's own shape (§1.3, §1.4,
 * §4.4): container `main`; generator pods run curl with the probe script and have no `service`
 * block (so no Kubernetes Service: peers calling them fail DNS), the rest serve nginx on port 80.
 */
import { SuiteError } from '../errors.js';
import type { MeshDeclarations } from './agreement.js';
import type { MeshCheck } from './checks.js';
import { ENVIRONMENT_LABEL, LATTICE_API_VERSION, RUN_ID_LABEL, type LatticeExternalServiceManifest, type LatticeServiceManifest } from './lattice-objects.js';
import { probeScriptFor, type ProbeTiming } from './probe-script.js';

export const GENERATOR_IMAGE = 'curlimages/curl:latest';
export const BACKEND_IMAGE = 'nginx:alpine';
export const BACKEND_PORT = 80;

export interface MeshManifestInput {
  declarations: MeshDeclarations;
  /** Every probe; their sources become generator pods. */
  checks: readonly MeshCheck[];
  /** The suite's run id, set as label `lattice-acceptance/run-id`. */
  runId: string;
  timing?: ProbeTiming;
}

export interface MeshManifests {
  services: LatticeServiceManifest[];
  externals: LatticeExternalServiceManifest[];
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The labels every mesh object carries. */
export function meshLabels(namespace: string, runId: string): Record<string, string> {
  if (!runId || runId.length > 63 || !LABEL_VALUE.test(runId)) throw new SuiteError(`run id ${JSON.stringify(runId)} is not a valid label value`, 'use ≤63 letters, digits, -, _ or .');
  return { [ENVIRONMENT_LABEL]: namespace, [RUN_ID_LABEL]: runId };
}

export function buildMeshManifests(input: MeshManifestInput): MeshManifests {
  const ns = input.declarations.namespace;
  const labels = meshLabels(ns, input.runId);
  const sources = new Set(input.checks.map((c) => c.source));
  const services = input.declarations.services.map((svc): LatticeServiceManifest => {
    const metadata = { name: svc.name, namespace: ns, labels: { ...labels } };
    const resources = structuredClone(svc.resources);
    if (sources.has(svc.name)) {
      const script = probeScriptFor(svc.name, input.checks, input.timing);
      return { apiVersion: LATTICE_API_VERSION, kind: 'LatticeService', metadata, spec: { containers: { main: { image: GENERATOR_IMAGE, command: ['/bin/sh'], args: ['-c', script] } }, resources } };
    }
    return {
      apiVersion: LATTICE_API_VERSION, kind: 'LatticeService', metadata,
      spec: { containers: { main: { image: BACKEND_IMAGE } }, resources, service: { ports: { http: { port: BACKEND_PORT } } } },
    };
  });
  const externals = input.declarations.externals.map((ext): LatticeExternalServiceManifest => ({
    apiVersion: LATTICE_API_VERSION, kind: 'LatticeExternalService',
    metadata: { name: ext.name, namespace: ns, labels: { ...labels } },
    spec: { endpoints: { default: ext.url }, allowedRequesters: [...ext.allowedRequesters], resolution: 'dns' },
  }));
  return { services, externals };
}

/** Services in deploy order (tiers deepest first), each tier a batch to apply before the next. */
export function manifestsByTier(manifests: MeshManifests, tiers: readonly (readonly string[])[]): LatticeServiceManifest[][] {
  const byName = new Map(manifests.services.map((m) => [m.metadata.name, m]));
  return tiers.map((tier) => tier.map((name) => {
    const m = byName.get(name);
    if (!m) throw new SuiteError(`tier lists ${name}, which has no manifest`, 'build tiers and manifests from the same mesh');
    return m;
  }));
}

/** The declarations a set of manifests makes, for the agreement function. */
export function declarationsFromManifests(namespace: string, services: readonly LatticeServiceManifest[], externals: readonly LatticeExternalServiceManifest[] = []): MeshDeclarations {
  return {
    namespace,
    services: services.map((m) => ({ name: m.metadata.name, resources: m.spec.resources ?? {} })),
    externals: externals.map((e) => ({ name: e.metadata.name, url: Object.values(e.spec.endpoints)[0] ?? '', allowedRequesters: [...(e.spec.allowedRequesters ?? [])] })),
  };
}
