/**
 * The shapes of the Lattice objects the mesh and media scenarios create (lattice-facts §1.3, §1.4),
 * as plain JSON-ready types.
 */
import { FixtureError } from '../errors.js';
import type { ResourceEntry } from './agreement.js';

export const LATTICE_API_VERSION = 'lattice.dev/v1alpha1';
export { RUN_ID_LABEL } from '../kube/lattice-cluster.js';
export const ENVIRONMENT_LABEL = 'lattice.dev/environment';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A container's mount; no `source` is an emptyDir (2026-04 container.rs:337-392). */
export interface VolumeMount { source?: string; path?: string; readOnly?: boolean }

export interface ContainerSpec {
  image: string;
  command?: string[];
  args?: string[];
  variables?: Record<string, string>;
  volumes?: Record<string, VolumeMount>;
  readinessProbe?: { httpGet?: { path: string; port: number }; exec?: { command: string[] } };
  [field: string]: unknown;
}

export interface ServicePort { port: number; targetPort?: number; protocol?: 'TCP' | 'UDP' }

export interface LatticeServiceSpec {
  containers: Record<string, ContainerSpec>;
  resources?: Record<string, ResourceEntry>;
  service?: { ports: Record<string, ServicePort> };
  replicas?: { min?: number; max?: number };
  [field: string]: unknown;
}

export interface LatticeServiceManifest {
  apiVersion: typeof LATTICE_API_VERSION;
  kind: 'LatticeService';
  metadata: ObjectMeta;
  spec: LatticeServiceSpec;
}

export interface LatticeExternalServiceManifest {
  apiVersion: typeof LATTICE_API_VERSION;
  kind: 'LatticeExternalService';
  metadata: ObjectMeta;
  spec: {
    endpoints: Record<string, string>;
    allowedRequesters: string[];
    resolution?: 'dns' | 'static';
    description?: string;
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Narrows a parsed object (e.g. a fixture's YAML) to a LatticeService, checking only what the mesh
 * and media models read; full schema validation is the fixture loader's job.
 */
export function asLatticeService(obj: unknown, origin: string): LatticeServiceManifest {
  const fail = (what: string): never => { throw new FixtureError(`${origin}: ${what}`, 'fix the manifest to Lattice\'s LatticeService shape'); };
  if (!isRecord(obj)) return fail('is not an object');
  if (obj.apiVersion !== LATTICE_API_VERSION || obj.kind !== 'LatticeService') fail(`is ${String(obj.apiVersion)}/${String(obj.kind)}, not ${LATTICE_API_VERSION}/LatticeService`);
  const md = obj.metadata;
  if (!isRecord(md) || typeof md.name !== 'string' || md.name === '') fail('metadata.name is missing');
  const spec = obj.spec;
  if (!isRecord(spec) || !isRecord(spec.containers) || Object.keys(spec.containers).length === 0) fail('spec.containers is missing or empty');
  const resources = (spec as Record<string, unknown>).resources;
  if (resources !== undefined) {
    if (!isRecord(resources)) fail('spec.resources is not a map');
    for (const [key, entry] of Object.entries(resources as Record<string, unknown>)) {
      if (!isRecord(entry) || typeof entry.type !== 'string') fail(`spec.resources.${key}.type is missing`);
      const dir = (entry as Record<string, unknown>).direction;
      if (dir !== undefined && dir !== 'outbound' && dir !== 'inbound' && dir !== 'both') fail(`spec.resources.${key}.direction is ${JSON.stringify(dir)}`);
    }
  }
  return obj as unknown as LatticeServiceManifest;
}
