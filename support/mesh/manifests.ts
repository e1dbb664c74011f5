/**
 * The Lattice objects of a mesh, spelled by the run's Lattice API version (support/versions/
 * service-spelling.ts): container `main`; generator pods run curl with the probe script and have no
 * `service` block (so no Kubernetes Service: peers calling them fail DNS), the rest serve HTTP.
 */
import { SuiteError } from '../errors.js';
import type { ServiceSpelling, LatticeObject } from '../versions/service-spelling.js';
import type { MeshDeclarations } from './agreement.js';
import type { MeshCheck } from './checks.js';
import { ENVIRONMENT_LABEL, RUN_ID_LABEL, type LatticeExternalServiceManifest, type LatticeServiceManifest } from './lattice-objects.js';
import { probeScriptFor, type ProbeTiming } from './probe-script.js';

export interface MeshManifestInput {
  declarations: MeshDeclarations;
  /** Every probe; their sources become generator pods. */
  checks: readonly MeshCheck[];
  /** The suite's run id, set as label `lattice-acceptance/run-id`. */
  runId: string;
  /** How the run's Lattice version spells services. */
  spelling: ServiceSpelling;
  timing?: ProbeTiming;
}

export interface MeshManifests {
  services: LatticeObject[];
  /** Objects standing for the externals (LatticeExternalServices where the version has them). */
  externals: LatticeObject[];
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
  const externalsByName = new Map(input.declarations.externals.map((e) => [e.name, e]));
  const services = input.declarations.services.map((svc) => {
    const called = Object.entries(svc.resources).filter(([, e]) => e.type === 'external-service').flatMap(([k, e]) => {
      const ext = externalsByName.get(e.id ?? k);
      return ext ? [ext] : [];
    });
    return input.spelling.meshService({
      name: svc.name, namespace: ns, labels, resources: svc.resources, externals: called,
      ...(sources.has(svc.name) ? { probeScript: probeScriptFor(svc.name, input.checks, input.timing) } : {}),
    });
  });
  return { services, externals: input.spelling.externalObjects(input.declarations.externals, ns, labels) };
}

/** Services in deploy order (tiers deepest first), each tier a batch to apply before the next. */
export function manifestsByTier(manifests: MeshManifests, tiers: readonly (readonly string[])[]): LatticeObject[][] {
  const byName = new Map(manifests.services.map((m) => [m.metadata.name, m]));
  return tiers.map((tier) => tier.map((name) => {
    const m = byName.get(name);
    if (!m) throw new SuiteError(`tier lists ${name}, which has no manifest`, 'build tiers and manifests from the same mesh');
    return m;
  }));
}

/** The declarations a set of services (in the suite's layout) and LatticeExternalServices (2026-01) make, for the agreement function. */
export function declarationsFromManifests(namespace: string, services: readonly LatticeServiceManifest[], externals: readonly LatticeExternalServiceManifest[] = []): MeshDeclarations {
  return {
    namespace,
    services: services.map((m) => ({ name: m.metadata.name, resources: m.spec.resources ?? {} })),
    externals: externals.map((e) => ({ name: e.metadata.name, url: Object.values(e.spec.endpoints)[0] ?? '', allowedRequesters: [...(e.spec.allowedRequesters ?? [])] })),
  };
}
