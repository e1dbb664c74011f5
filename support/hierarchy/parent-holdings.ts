/**
 * After the pivot the parent no longer holds the child's Cluster API resources: b5d50e90 moves them
 * (the parent deletes its source objects once the child's agent confirms the import,
 * lattice-move/src/cell.rs:507-517; docs/LATTICE-2026-04.md §3.2). A parent that still holds them
 * would manage the child's machines from two places.
 */
import { getCapiCluster, getLatticeCluster, getMachineDeployment, type ClusterClient } from '../kube/index.js';
import type { HierarchyDeps } from './deps.js';

export interface ParentHoldings { parent: string; child: string; held: string[] }

/** The child's CAPI Cluster and MachineDeployments that the parent still holds in `capi-<child>`. */
export async function readParentHoldings(deps: HierarchyDeps, parent: ClusterClient, child: ClusterClient, childName: string): Promise<ParentHoldings> {
  const own = await getLatticeCluster(child, childName);
  const mdNames = deps.run.spelling.clusters.machineDeploymentNames(childName, own?.spec ?? {});
  const held: string[] = [];
  if (await getCapiCluster(parent, childName)) held.push(`Cluster capi-${childName}/${childName}`);
  for (const md of mdNames) if (await getMachineDeployment(parent, childName, {}, md)) held.push(`MachineDeployment capi-${childName}/${md}`);
  deps.log(`${parent.name} holds of ${childName}'s Cluster API resources: ${held.join(', ') || 'none'}`);
  return { parent: parent.name, child: childName, held };
}
