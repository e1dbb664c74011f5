/** Labels CAPD and kind put on their node containers, and the label the suite puts on its own things. */
export const CAPD_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';
export const CAPD_ROLE_LABEL = 'io.x-k8s.kind.role';
export { RUN_ID_LABEL } from '../../kube/lattice-cluster.js';

/** Roles as CAPD labels them (`io.x-k8s.kind.role`). */
export type NodeRole = 'control-plane' | 'worker' | 'external-load-balancer';
export const NODE_ROLES: readonly NodeRole[] = ['control-plane', 'worker', 'external-load-balancer'];
