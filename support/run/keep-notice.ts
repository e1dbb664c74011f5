import { join, relative } from 'node:path';
import type { ClusterContext } from './cluster-registry.js';

export interface KeptRun {
  runId: string;
  target: 'embedded' | 'real';
  repoRoot: string;
  workDir: string;
  /** The embedded target's home (embedded runs). */
  simHome?: string;
  /** Live clusters, leaf first. */
  clusters: Pick<ClusterContext, 'role' | 'name' | 'kubeconfigPath'>[];
  /** What scenarios left in place (their cleanup labels), e.g. `namespace media on e2e-workload`. */
  scenarioResources: string[];
}

/**
 * What LATTICE_E2E_KEEP=true left, how to reach it and how to remove it later: one line each,
 * printed at the end of the run and written to the run log.
 */
export function describeKeptRun(k: KeptRun): string[] {
  const sim = relative(process.cwd(), join(k.repoRoot, 'sim', 'bin', 'lattice-sim')) || 'sim/bin/lattice-sim';
  const lines = [`LATTICE_E2E_KEEP=true: run ${k.runId} kept ${k.clusters.length} cluster(s) and ${k.scenarioResources.length} scenario resource(s):`];
  for (const c of k.clusters) lines.push(`  ${c.role} cluster ${c.name}: kubectl --kubeconfig ${c.kubeconfigPath ?? '(no kubeconfig)'} get latticeclusters`);
  for (const r of k.scenarioResources) lines.push(`  ${r}`);
  lines.push(`  work folder (kubeconfigs): ${k.workDir}`);
  if (k.target === 'embedded') {
    lines.push(`  embedded target: LATTICE_SIM_HOME=${k.simHome} ${sim} list`);
    lines.push(`remove it later with: LATTICE_SIM_HOME=${k.simHome} ${sim} sweep --run-id ${k.runId}; LATTICE_SIM_HOME=${k.simHome} ${sim} stop; rm -rf ${k.workDir}`);
    lines.push('(the next run of the suite also removes it when it starts)');
  } else {
    lines.push(`remove it later: delete the children's LatticeClusters on their parents, then lattice uninstall -k <management kubeconfig> -n <name> -y; docker rm -f $(docker ps -aq --filter label=lattice-acceptance/run-id=${k.runId}); rm -rf ${k.workDir}`);
  }
  return lines;
}
