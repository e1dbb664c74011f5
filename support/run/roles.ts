/** The three levels of the hierarchy the spec builds: management → workload → workload2. */
export const CLUSTER_ROLES = ['management', 'workload', 'workload2'] as const;
export type ClusterRole = (typeof CLUSTER_ROLES)[number];

/** The parent each role is created on (the management cluster is installed, not created). */
export const PARENT_ROLE: Record<ClusterRole, ClusterRole | undefined> = {
  management: undefined,
  workload: 'management',
  workload2: 'workload',
};

export function isClusterRole(s: string): s is ClusterRole {
  return (CLUSTER_ROLES as readonly string[]).includes(s);
}
