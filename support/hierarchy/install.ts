import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { loadClusterFixture } from '../fixtures/index.js';
import { installCluster } from '../lattice-cli/index.js';
import { openCluster, waitForClusterPhaseAmong } from '../kube/index.js';
import type { ClusterContext } from '../run/cluster-registry.js';
import type { HierarchyDeps } from './deps.js';
import { confirmRunVersion } from '../run/run-version.js';

/**
 * `lattice install -f <fixture>`: a bootstrap cluster provisions the management cluster, which then
 * pivots onto itself. Registers the management cluster with the kubeconfig the installer wrote.
 */
export async function installManagementAndWait(deps: HierarchyDeps, fixturePath: string): Promise<ClusterContext> {
  const { run, log } = deps;
  const { config } = run;
  const fixture = loadClusterFixture(fixturePath);
  const kubeconfigOut = join(config.workDir, `${fixture.name}.kubeconfig`);
  const ctx = run.clusters.add({
    role: 'management', name: fixture.name, fixturePath, version: fixture.version, timeline: [], state: 'live',
  });
  log(`installing the management cluster ${fixture.name} from ${fixturePath} (${fixture.provider}, ${fixture.bootstrap})`);
  const provider = run.providerFor(fixture.provider);
  // Only a real provider prepares this machine (Docker pins the `kind` network); a failure stops the install.
  const prepared = await provider.prepareInstall?.();
  if (prepared) log(prepared);
  const started = Date.now();
  await installCluster({
    cli: config.latticeCli,
    file: fixturePath,
    image: config.image,
    ...(config.registryCredentialsFile ? { registryCredentialsFile: config.registryCredentialsFile } : {}),
    keepBootstrapOnFailure: true,
    kubeconfigOut,
    timeoutMs: config.cliTimeoutMs,
    env: { ...run.cliEnv, ...run.spelling.clusters.cliRunEnv(run.config.runId) },
    onOutput: (line) => log(`lattice install: ${line}`),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  log(`lattice install finished in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  ctx.kubeconfigPath = existsSync(kubeconfigOut)
    ? kubeconfigOut
    : await provider.kubeconfigFor({ name: fixture.name, provider: fixture.provider, bootstrap: fixture.bootstrap });
  // The installer may return once the pivot is handed over: the cluster's own copy of its
  // LatticeCluster must still come to Ready there (LATTICE_TIMEOUT_INSTALL), Failed fails at once.
  const client = openCluster(ctx.kubeconfigPath, fixture.name);
  await waitForClusterPhaseAmong({
    client, name: fixture.name, phases: ['Ready'],
    ...config.waits.install, ...(deps.signal ? { signal: deps.signal } : {}),
  });
  // The run's version, confirmed from what the new management cluster serves (as on a real Lattice).
  log(await confirmRunVersion(run, client));
  return ctx;
}
