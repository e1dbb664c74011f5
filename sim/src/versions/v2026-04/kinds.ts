/**
 * The 18 Lattice CRDs of 2026-04 (upstream b5d50e90): the operator installs both sets on every
 * cluster (lattice-operator/src/main.rs:202-207, startup/crds.rs:23-110); names, plurals, short
 * names and scopes from each kind's `#[kube]` attribute (docs/LATTICE-2026-04.md §1).
 * LatticeExternalService is gone. Only LatticeCluster has its structural schema here so far; the
 * other kinds keep every field.
 */
import type { ResourceType } from '../../apiserver/types.js';
import { LATTICE_CLUSTER_V2026_04_SCHEMA } from './cluster-schema.js';
import { CEDAR_POLICY_SCHEMA } from './cedar/schema.js';
import { LATTICE_MESH_MEMBER_V2026_04_SCHEMA, LATTICE_SERVICE_V2026_04_SCHEMA } from './services/schema.js';

const lattice = (plural: string, kind: string, namespaced: boolean, shortNames?: string[], extra: Partial<ResourceType> = {}): ResourceType =>
  ({ group: 'lattice.dev', version: 'v1alpha1', plural, kind, namespaced, statusSubresource: true, ...(shortNames ? { shortNames } : {}), ...extra });

/**
 * crd/cluster.rs:60-73 (Age is the table's own column; the wide-only Image column is not played yet).
 * Provider reads `.spec.provider.type`, a field that does not exist (always blank). */
export const LATTICE_CLUSTER_V2026_04: ResourceType = lattice('latticeclusters', 'LatticeCluster', false, ['lc'], {
  printerColumns: [
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Provider', type: 'string', jsonPath: '.spec.provider.type' },
    { name: 'K8s', type: 'string', jsonPath: '.spec.provider.kubernetes.version' },
  ],
});

export const LATTICE_KINDS_V2026_04: ResourceType[] = [
  LATTICE_CLUSTER_V2026_04,
  lattice('latticeclusterroutes', 'LatticeClusterRoutes', false, ['lcr']), // crd/cluster_routes.rs:18-29
  lattice('latticeservices', 'LatticeService', true, ['ls'], { // crd/service.rs:70-81
    printerColumns: [{ name: 'Strategy', type: 'string', jsonPath: '.spec.deploy.strategy' }, { name: 'Phase', type: 'string', jsonPath: '.status.phase' }],
  }),
  lattice('latticemeshmembers', 'LatticeMeshMember', true, ['lmm'], { // crd/mesh_member.rs:23-33
    printerColumns: [{ name: 'Phase', type: 'string', jsonPath: '.status.phase' }, { name: 'Scope', type: 'string', jsonPath: '.status.scope' }],
  }),
  lattice('latticejobs', 'LatticeJob', true, ['lj']), // crd/job.rs:233-244
  lattice('latticemodels', 'LatticeModel', true, ['lm']), // crd/model_serving.rs:570-580
  lattice('latticepackages', 'LatticePackage', true, ['lpkg']), // crd/package.rs:59-71
  lattice('latticequotas', 'LatticeQuota', true), // crd/quota.rs:40-49
  lattice('latticeclusterbackups', 'LatticeClusterBackup', true, ['lcb']), // crd/cluster_backup.rs:215-226
  lattice('latticerestores', 'LatticeRestore', true, ['lr']), // crd/restore.rs:68-79
  lattice('backupstores', 'BackupStore', true, ['bs']), // crd/backup_store.rs:155-167
  lattice('infraproviders', 'InfraProvider', true), // crd/infra_provider.rs:32-42
  lattice('secretproviders', 'SecretProvider', true), // crd/secrets_provider.rs:37-46
  lattice('oidcproviders', 'OIDCProvider', true), // crd/oidc_provider.rs:32-42
  lattice('imageproviders', 'ImageProvider', true), // crd/image_provider.rs:57-67
  lattice('cedarpolicies', 'CedarPolicy', true, undefined, { // crd/cedar_policy.rs:32-41; schema: cedar/schema.ts
    printerColumns: [{ name: 'Description', type: 'string', jsonPath: '.spec.description' }, { name: 'Phase', type: 'string', jsonPath: '.status.phase' }],
  }),
  lattice('dnsproviders', 'DNSProvider', true), // crd/dns_provider.rs:38-48
  lattice('certissuers', 'CertIssuer', true), // crd/issuer.rs:35-44
];

/** The schema (and admission) of each kind that has one at 2026-04, keyed by kind. */
export const SCHEMAS_V2026_04 = {
  LatticeCluster: LATTICE_CLUSTER_V2026_04_SCHEMA,
  LatticeService: LATTICE_SERVICE_V2026_04_SCHEMA, // services/schema.ts
  LatticeMeshMember: LATTICE_MESH_MEMBER_V2026_04_SCHEMA,
  CedarPolicy: CEDAR_POLICY_SCHEMA, // cedar/schema.ts
};
