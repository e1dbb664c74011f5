/**
 * LatticeCluster at API version 2026-01 (upstream 1236706e, lattice-facts §1.1-§2.6): integer
 * `nodes.controlPlane` and `nodes.workers`, one MachineDeployment `<name>-md-0`, a parent that
 * reports a pivoted child `Ready`, no Deleting phase, no node roll on a version change.
 */
import { resolve } from 'node:path';
import { repoRoot } from '../../config/repo-root.js';
import { asObj, has, nodesOf, type Obj } from '../shape.js';
import type { ClusterSpelling } from '../types.js';

export const clusters2026_01: ClusterSpelling = {
  fixturesDir: resolve(repoRoot, 'fixtures', 'clusters'),
  schemasDir: resolve(repoRoot, 'fixtures', 'schemas'),
  // Fields 2026-04 no longer has (its schema prunes `workers`, refuses an integer controlPlane).
  shapeFields: (m: Obj) => {
    const spec = asObj(m.spec);
    const out: string[] = [];
    if (typeof nodesOf(spec).controlPlane === 'number') out.push('spec.nodes.controlPlane (a number)');
    if (has(spec, 'nodes.workers')) out.push('spec.nodes.workers');
    return out;
  },
  controlPlane: (spec) => Number(nodesOf(spec).controlPlane),
  workers: (spec) => Number(nodesOf(spec).workers),
  // Lattice sets the MachineDeployment's replicas to spec.nodes.workers (controller.rs:1896-1917).
  scaleWorkersPatch: (_spec, workers) => ({ spec: { nodes: { workers } } }),
  describeScale: (_spec, workers) => `spec.nodes.workers=${workers}`,
  withControlPlane: (m, controlPlane) => {
    const copy = structuredClone(m);
    nodesOf(asObj(copy.spec)).controlPlane = controlPlane;
    return copy;
  },
  machineDeploymentNames: (name) => [`${name}-md-0`],
  phases: ['Pending', 'Provisioning', 'Pivoting', 'Ready', 'Unpivoting', 'Failed'],
  pivotedPhaseOnParent: 'Ready',
  hasDeletingPhase: false,
  upgradeRollsNodes: false,
  // Fixed names at 1236706e (install.rs, uninstall.rs): one install per machine at a time.
  bootstrapClusterNames: () => ['lattice-bootstrap', 'lattice-uninstall'],
  cliRunEnv: () => ({}),
  suiteCreatesInfraProvider: false,
};
