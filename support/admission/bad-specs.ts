/**
 * The bad specs of features/admission.feature, named in a product engineer's words and built at API
 * version 2026-04's shape (the feature runs only there): clusters from the workload cluster's own
 * spec with one thing wrong, services from upstream's minimal valid one (integration/webhook.rs:
 * 173-195). Each rule and message is Lattice's (docs/LATTICE-2026-04.md §2.1).
 */
import { SuiteError } from '../errors.js';
import { RUN_ID_LABEL } from '../kube/lattice-cluster.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface BadSpec {
  /** The table's words. */
  words: string;
  kind: 'LatticeCluster' | 'LatticeService';
  manifest: Obj;
}

export interface BadSpecInput {
  /** The spec of a live cluster (its own copy), the base of the bad clusters. */
  clusterSpec: Obj;
  /** Where the bad services go. */
  namespace: string;
  runId: string;
  /** Position in the table: names the object (refused-cluster-1, refused-service-3). */
  index: number;
}

const API = 'lattice.dev/v1alpha1';

function cluster(input: BadSpecInput, change: (spec: Obj) => void): Obj {
  const spec = structuredClone(input.clusterSpec);
  change(spec);
  return { apiVersion: API, kind: 'LatticeCluster', metadata: { name: `refused-cluster-${input.index}`, labels: { [RUN_ID_LABEL]: input.runId } }, spec };
}

/** Upstream's valid LatticeService (webhook.rs:173-195), changed. */
function service(input: BadSpecInput, change: (spec: Obj) => void): Obj {
  const spec: Obj = { workload: { containers: { main: { image: 'nginx:latest', command: ['/docker-entrypoint.sh'], resources: { limits: { cpu: '100m', memory: '64Mi' } } } } } };
  change(spec);
  return { apiVersion: API, kind: 'LatticeService', metadata: { name: `refused-service-${input.index}`, namespace: input.namespace, labels: { [RUN_ID_LABEL]: input.runId } }, spec };
}

type Builder = (m: RegExpExecArray, input: BadSpecInput) => BadSpec['manifest'];

const CATALOGUE: Array<{ pattern: RegExp; kind: BadSpec['kind']; build: Builder }> = [
  { pattern: /^a cluster with (\d+) control-plane nodes?$/, kind: 'LatticeCluster',
    build: (m, i) => cluster(i, (s) => { s.nodes.controlPlane.replicas = Number(m[1]); }) },
  { pattern: /^a cluster whose parent ports for gRPC and bootstrap are equal$/, kind: 'LatticeCluster',
    build: (_m, i) => cluster(i, (s) => { s.parentConfig = { service: { type: 'LoadBalancer' }, ...s.parentConfig, grpcPort: 50051, bootstrapPort: 50051 }; }) },
  { pattern: /^a service with (\d+) replicas and an autoscaling maximum of (\d+)$/, kind: 'LatticeService',
    build: (m, i) => service(i, (s) => { s.replicas = Number(m[1]); s.autoscaling = { max: Number(m[2]) }; }) },
  { pattern: /^a service with two ports numbered (\d+)$/, kind: 'LatticeService',
    build: (m, i) => service(i, (s) => { s.workload.service = { ports: { http: { port: Number(m[1]) }, admin: { port: Number(m[1]) } } }; }) },
  { pattern: /^a service whose container has no resource limits$/, kind: 'LatticeService',
    build: (_m, i) => service(i, (s) => { s.workload.containers.main.resources = { requests: { cpu: '100m', memory: '64Mi' } }; }) },
];

/** The bad spec the words name; unknown words are refused in one line listing the known forms. */
export function badSpec(words: string, input: BadSpecInput): BadSpec {
  for (const c of CATALOGUE) {
    const m = c.pattern.exec(words.trim());
    if (m) return { words, kind: c.kind, manifest: c.build(m, input) };
  }
  throw new SuiteError(`no bad spec is known as "${words}"`, `use one of: ${CATALOGUE.map((c) => c.pattern.source.replace(/^\^|\$$/g, '')).join(' | ')}`);
}

/** The cluster spec a live LatticeCluster would be created with (status and server fields dropped). */
export function creatableSpec(cluster: { spec?: Obj }): Obj {
  if (!cluster.spec) throw new SuiteError('the base cluster has no spec');
  return structuredClone(cluster.spec);
}
