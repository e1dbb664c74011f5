import { loadClusterFixture } from '../fixtures/index.js';
import { getCapiCluster, getLatticeCluster, getMachineDeployment, listCapiClusters, phaseOf } from '../kube/index.js';
import type { ClusterContext } from '../run/cluster-registry.js';
import type { HierarchyDeps } from './deps.js';
import { clientOf } from './cluster-ref.js';

/** What a cluster's own API shows about whether it manages itself (facts §2.2). */
export interface SelfManagementReport {
  cluster: string;
  /** Phase of the cluster's own LatticeCluster copy, read through its own API. */
  ownPhase: string | undefined;
  /** The CAPI Cluster `<name>` in `capi-<name>` is held by the cluster itself. */
  ownsCapiCluster: boolean;
  /** Its MachineDeployments (`<name>-md-0`; 2026-04: `<name>-pool-<id>` per pool) are all held by the cluster itself. */
  ownsMachineDeployment: boolean;
  /** Names of every CAPI Cluster the cluster holds. */
  capiClustersHeld: string[];
  /** The parent's copy says the pivot completed (undefined for the management cluster). */
  parentSaysPivoted?: boolean;
}

export async function readSelfManagement(deps: HierarchyDeps, ctx: ClusterContext): Promise<SelfManagementReport> {
  const client = clientOf(ctx);
  const own = await getLatticeCluster(client, ctx.name);
  const capi = await getCapiCluster(client, ctx.name);
  const mdNames = deps.run.spelling.clusters.machineDeploymentNames(ctx.name, own?.spec ?? {});
  const mds = await Promise.all(mdNames.map((n) => getMachineDeployment(client, ctx.name, {}, n)));
  const held = (await listCapiClusters(client)).map((c) => `${c.metadata?.namespace}/${c.metadata?.name}`);
  const report: SelfManagementReport = {
    cluster: ctx.name,
    ownPhase: own ? phaseOf(own) : undefined,
    ownsCapiCluster: capi !== undefined,
    ownsMachineDeployment: mdNames.length > 0 && mds.every((md) => md !== undefined),
    capiClustersHeld: held,
  };
  const parent = ctx.parentRole ? deps.run.clusters.get(ctx.parentRole) : undefined;
  if (parent) {
    const parentCopy = await getLatticeCluster(clientOf(parent), ctx.name);
    report.parentSaysPivoted = parentCopy?.status?.pivotComplete === true;
  }
  deps.log(`${ctx.name} self-management: own copy ${report.ownPhase ?? 'absent'}, CAPI Cluster ${report.ownsCapiCluster ? 'held' : 'MISSING'}, MachineDeployment ${report.ownsMachineDeployment ? 'held' : 'MISSING'}${report.parentSaysPivoted === undefined ? '' : `, parent says pivotComplete=${report.parentSaysPivoted}`}`);
  return report;
}

/** The number of workers the cluster should run: the fixture's, unless a scenario scaled it. */
export function expectedWorkers(ctx: ClusterContext): number {
  return ctx.workers ?? loadClusterFixture(ctx.fixturePath).workers;
}
