/**
 * Finding one cluster's containers precisely. CAPD labels win; without them, names are matched by
 * anchored patterns, because Docker's `name` filter is an unanchored regex: a plain `e2e-workload`
 * also matches every `e2e-workload2-*` container (the upstream Rust suite's trap).
 */
import type Docker from 'dockerode';
import { CAPD_CLUSTER_LABEL, CAPD_ROLE_LABEL, NODE_ROLES, type NodeRole } from './labels.js';

export interface ClusterContainer {
  id: string;
  /** Name without Docker's leading `/`. */
  name: string;
  role: NodeRole;
  state: string;
  /** How it was found: by CAPD labels or by name pattern. */
  matchedBy: 'labels' | 'name';
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Anchored name patterns of a CAPD cluster's containers (`/`-prefixed, as the engine reports names). */
export function namePatterns(cluster: string): Record<NodeRole, RegExp> {
  const n = escapeRegex(cluster);
  return {
    // `<name>-control-plane-<rand>` (CAPD) or `<name>-control-plane` (kind).
    'control-plane': new RegExp(`^/${n}-control-plane(?:-[a-z0-9-]+)?$`),
    'external-load-balancer': new RegExp(`^/${n}-lb$`),
    // `<name>-md-<n>-<hash>-<rand>`: the digit keeps `<name>-md-...` from catching a cluster named `<name>-md`.
    worker: new RegExp(`^/${n}-md-\\d+-[a-z0-9-]+$`),
  };
}

/** The role a container name has within `cluster`, or undefined when the name is not the cluster's. */
export function roleFromName(cluster: string, containerName: string): NodeRole | undefined {
  const name = containerName.startsWith('/') ? containerName : `/${containerName}`;
  const patterns = namePatterns(cluster);
  // Control plane is tested last: `<c>-control-plane-...` cannot be mistaken for the others, but a
  // cluster literally named `<c>-control-plane-x` would be; the lb/worker patterns are stricter.
  for (const role of ['external-load-balancer', 'worker', 'control-plane'] as const) {
    if (patterns[role].test(name)) return role;
  }
  return undefined;
}

function isRole(v: string | undefined): v is NodeRole {
  return v !== undefined && (NODE_ROLES as readonly string[]).includes(v);
}

/**
 * Every container (running or not) of `cluster`: labelled `io.x-k8s.kind.cluster=<cluster>`, plus
 * unlabelled containers whose names match the anchored patterns. A name match that carries another
 * cluster's CAPD label is not ours.
 */
export async function listClusterContainers(docker: Docker, cluster: string): Promise<ClusterContainer[]> {
  const byLabel = await docker.listContainers({ all: true, filters: { label: [`${CAPD_CLUSTER_LABEL}=${cluster}`] } });
  const found = new Map<string, ClusterContainer>();
  for (const c of byLabel) {
    const name = (c.Names[0] ?? '').replace(/^\//, '');
    const labelRole = c.Labels?.[CAPD_ROLE_LABEL];
    const role = isRole(labelRole) ? labelRole : roleFromName(cluster, name);
    if (!role) continue;
    found.set(c.Id, { id: c.Id, name, role, state: c.State, matchedBy: 'labels' });
  }
  // The engine's filter narrows the listing; the anchored patterns decide.
  const byName = await docker.listContainers({ all: true, filters: { name: [`^/${escapeRegex(cluster)}-`] } });
  for (const c of byName) {
    if (found.has(c.Id)) continue;
    const owner = c.Labels?.[CAPD_CLUSTER_LABEL];
    if (owner !== undefined && owner !== cluster) continue;
    const name = (c.Names[0] ?? '').replace(/^\//, '');
    const role = roleFromName(cluster, name);
    if (role) found.set(c.Id, { id: c.Id, name, role, state: c.State, matchedBy: 'name' });
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The cluster's containers of one role, those found by labels first. */
export async function findClusterContainers(docker: Docker, cluster: string, role: NodeRole): Promise<ClusterContainer[]> {
  const all = await listClusterContainers(docker, cluster);
  const ofRole = all.filter((c) => c.role === role);
  const labelled = ofRole.filter((c) => c.matchedBy === 'labels');
  return labelled.length > 0 ? labelled : ofRole;
}
