/**
 * LatticeCluster at API version 2026-04 (upstream b5d50e90; docs/LATTICE-2026-04.md §3):
 * `providerRef`, `latticeImage`, `nodes.controlPlane.replicas`, `nodes.workerPools.<id>.replicas`
 * (workers = Σ pool replicas), MachineDeployments `<name>-pool-<id>`, a parent that reports a
 * pivoted child `Pivoted`, a Deleting phase, nodes rolled on a Kubernetes version change.
 */
import { resolve } from 'node:path';
import { repoRoot } from '../../config/repo-root.js';
import { SuiteError } from '../../errors.js';
import { asObj, has, nodesOf, type Obj } from '../shape.js';
import type { ClusterSpelling } from '../types.js';

const pools = (spec: Obj): [string, Obj][] => Object.entries(asObj(nodesOf(spec).workerPools)).map(([id, p]) => [id, asObj(p)]);
const replicas = (pool: Obj): number => Number(pool.replicas ?? 0);

/**
 * Scaling asks the first pool for the difference (upstream's independence test patches the first
 * pool, docker_independence_e2e.rs:240-265); the other pools keep their replicas.
 */
function firstPoolFor(spec: Obj, workers: number): { id: string; replicas: number } {
  const all = pools(spec);
  if (all.length === 0) throw new SuiteError('the cluster has no worker pool to scale (spec.nodes.workerPools is empty)', 'give its fixture one pool');
  const others = all.slice(1).reduce((n, [, p]) => n + replicas(p), 0);
  if (workers < others) {
    throw new SuiteError(`cannot run ${workers} worker(s): the pools after ${all[0]![0]} already ask for ${others}`, 'use a fixture with one worker pool for scenarios that scale');
  }
  return { id: all[0]![0], replicas: workers - others };
}

export const clusters2026_04: ClusterSpelling = {
  fixturesDir: resolve(repoRoot, 'fixtures', '2026-04', 'clusters'),
  schemasDir: resolve(repoRoot, 'fixtures', '2026-04', 'schemas'),
  // crd/cluster.rs:75-138, crd/types.rs:512-664: fields 2026-01 did not have.
  shapeFields: (m: Obj) => {
    const spec = asObj(m.spec);
    return ['providerRef', 'latticeImage', 'nodes.workerPools', 'nodes.controlPlane.replicas'].filter((f) => has(spec, f)).map((f) => `spec.${f}`);
  },
  controlPlane: (spec) => Number(asObj(nodesOf(spec).controlPlane).replicas),
  workers: (spec) => pools(spec).reduce((n, [, p]) => n + replicas(p), 0),
  scaleWorkersPatch: (spec, workers) => {
    const first = firstPoolFor(spec, workers);
    return { spec: { nodes: { workerPools: { [first.id]: { replicas: first.replicas } } } } };
  },
  describeScale: (spec, workers) => {
    const first = firstPoolFor(spec, workers);
    return `spec.nodes.workerPools.${first.id}.replicas=${first.replicas}`;
  },
  withControlPlane: (m, controlPlane) => {
    const copy = structuredClone(m);
    const nodes = nodesOf(asObj(copy.spec));
    nodes.controlPlane = { ...asObj(nodes.controlPlane), replicas: controlPlane };
    return copy;
  },
  // lattice-capi/src/provider/mod.rs:472-474: one MachineDeployment per pool.
  machineDeploymentNames: (name, spec) => pools(spec).map(([id]) => `${name}-pool-${id}`),
  // crd/types.rs:988-1006.
  phases: ['Pending', 'Provisioning', 'Pivoting', 'Pivoted', 'Ready', 'Deleting', 'Unpivoting', 'Failed'],
  // cluster/phases/pivoting.rs:43-52, :107-120; upstream's watcher accepts Ready | Pivoted (e2e/helpers/cluster.rs:260).
  pivotedPhaseOnParent: 'Pivoted',
  // controller/deletion.rs:107-116.
  hasDeletingPhase: true,
  // cluster/phases/ready.rs:224-330.
  upgradeRollsNodes: true,
  // cli/commands/install.rs:294-300, uninstall.rs:137-140: the kind cluster carries the run id.
  bootstrapClusterNames: (runId) => [`lattice-bootstrap-${runId}`, `lattice-uninstall-${runId}`],
  // The variable rather than the flag: both commands read it (install.rs:119-123, uninstall.rs:41-59).
  cliRunEnv: (runId) => ({ LATTICE_RUN_ID: runId }),
  // install.rs:885-1044 creates it on the bootstrap cluster and copies it to the management cluster
  // (:695-731); the pivot distributes it to every child (lattice-cell/src/resources.rs:83-90,
  // lattice-agent/src/pivot.rs:364-370). The suite creates none.
  suiteCreatesInfraProvider: false,
};
