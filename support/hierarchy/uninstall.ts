import { uninstallCluster } from '../lattice-cli/index.js';
import type { HierarchyDeps } from './deps.js';
import { refOf, providerOf } from './cluster-ref.js';
import type { RunContext } from '../run/run-context.js';

import { BOOTSTRAP_CLUSTERS } from '../providers/docker/bootstrap-clusters.js';
export { BOOTSTRAP_CLUSTERS };

/** `lattice uninstall -k <kubeconfig> -n <name> -y`: a reverse pivot through `lattice-uninstall`. */
export async function uninstallManagementAndWait(deps: HierarchyDeps): Promise<void> {
  const { run, log } = deps;
  const mgmt = run.clusters.require('management');
  log(`uninstalling the management cluster ${mgmt.name}`);
  await uninstallCluster({
    cli: run.config.latticeCli,
    kubeconfig: mgmt.kubeconfigPath!,
    name: mgmt.name,
    keepBootstrapOnFailure: false,
    timeoutMs: run.config.cliTimeoutMs,
    env: { ...run.cliEnv, ...run.spelling.clusters.cliRunEnv(run.config.runId) },
    onOutput: (line) => log(`lattice uninstall: ${line}`),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  run.clusters.mark('management', 'gone');
  await providerOf(run, mgmt).infrastructureGone(refOf(run, mgmt), run.config.waits.infrastructureGone.timeoutMs);
}

/**
 * The kind clusters this run's `lattice install`/`uninstall` use: fixed names at 2026-01,
 * `lattice-bootstrap-<runId>` at 2026-04 (the suite passes its run id as `--run-id`).
 */
export function bootstrapClusterNames(run: RunContext): string[] {
  return run.spelling.clusters.bootstrapClusterNames(run.config.runId);
}

/**
 * Names whose infrastructure is still present among every cluster this run ever made plus the
 * bootstrap clusters; empty when nothing is left.
 */
export async function leftoverInfrastructure(deps: HierarchyDeps): Promise<string[]> {
  const { run } = deps;
  const left: string[] = [];
  const all = run.clusters.all();
  const checks = [
    ...all.map((c) => ({ ref: refOf(run, c), provider: providerOf(run, c) })),
    // kind clusters are Docker containers whatever the hierarchy's provider (on the embedded target, its own).
    ...bootstrapClusterNames(run).map((name) => ({ ref: { name, provider: 'docker' as const, bootstrap: 'kubeadm' as const }, provider: run.providerFor('docker') })),
  ];
  for (const { ref, provider } of checks) {
    try {
      // Short: by now it should already be gone; this is a look, not a wait.
      await provider.infrastructureGone(ref, 2_000);
    } catch {
      left.push(ref.name);
    }
  }
  return left;
}
