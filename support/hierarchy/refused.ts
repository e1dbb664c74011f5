/**
 * Installs and uninstalls Lattice refuses. A refused install exits non-zero and deletes its
 * bootstrap cluster unless told to keep it (lattice-cli install.rs:224-231; a Failed cluster ends
 * the wait at :585), and a spec Lattice rejects never reaches provisioning, so nothing is left. An
 * uninstall naming a cluster that is not there stops before creating anything (uninstall.rs:77-82).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadClusterFixture } from '../fixtures/index.js';
import { CliFailedError, installCluster, uninstallCluster } from '../lattice-cli/index.js';
import { RUN_ID_LABEL } from '../kube/index.js';
import type { ClusterRef } from '../providers/types.js';
import type { HierarchyDeps } from './deps.js';
import { bootstrapClusterNames } from './uninstall.js';
import { CLUSTER_SPELLINGS } from '../versions/cluster-spellings.js';
import type { ClusterSpelling } from '../versions/types.js';

export interface RefusedRun {
  /** The CLI's exit code (0 = it claimed success). */
  exitCode: number;
  /** The last lines it printed. */
  tail: string[];
  /** Infrastructure still present afterwards, among the clusters it could have made. */
  leftovers: string[];
}

/** The fixture's cluster under a name of its own, with `controlPlane` control-plane nodes and the run's label. */
export function refusedManifest(manifest: Record<string, unknown>, controlPlane: number, runId: string, clusters: Pick<ClusterSpelling, 'withControlPlane'> = CLUSTER_SPELLINGS['2026-01']): { name: string; manifest: Record<string, unknown> } {
  const m = clusters.withControlPlane(manifest, controlPlane) as { metadata: { name: string; labels?: Record<string, string> } };
  m.metadata.name = `${m.metadata.name}-refused`;
  m.metadata.labels = { ...(m.metadata.labels ?? {}), [RUN_ID_LABEL]: runId };
  return { name: m.metadata.name, manifest: m as unknown as Record<string, unknown> };
}

/** Exit code and output of a CLI run that may fail; other errors (timeout, missing CLI) propagate. */
async function exitOf(run: () => Promise<{ exitCode: number; tail: string[] }>): Promise<{ exitCode: number; tail: string[] }> {
  try {
    const r = await run();
    return { exitCode: r.exitCode, tail: r.tail };
  } catch (err) {
    if (err instanceof CliFailedError) return { exitCode: err.exitCode ?? -1, tail: err.tail };
    throw err;
  }
}

async function present(deps: HierarchyDeps, refs: ClusterRef[]): Promise<string[]> {
  const left: string[] = [];
  for (const ref of refs) {
    try { await deps.run.providerFor(ref.provider).infrastructureGone(ref, 2_000); } catch { left.push(ref.name); }
  }
  return left;
}

/** The kind clusters the run's `lattice install`/`uninstall` use (their names carry the run id at 2026-04). */
const bootstrapRefs = (deps: HierarchyDeps): ClusterRef[] => bootstrapClusterNames(deps.run).map((name) => ({ name, provider: 'docker', bootstrap: 'kubeadm' }));

/** `lattice install` of the fixture's cluster with an even control-plane count (no --keep-bootstrap-on-failure). */
export async function installRefusedCluster(deps: HierarchyDeps, fixturePath: string, controlPlane: number, addCleanup: (what: string, fn: () => Promise<void>) => void): Promise<RefusedRun> {
  const { run, log } = deps;
  const fixture = loadClusterFixture(fixturePath);
  const { name, manifest } = refusedManifest(fixture.manifest, controlPlane, run.config.runId, run.spelling.clusters);
  const file = join(run.config.workDir, `${name}.yaml`);
  writeFileSync(file, JSON.stringify(manifest, null, 2)); // JSON is YAML
  const ref: ClusterRef = { name, provider: fixture.provider, bootstrap: fixture.bootstrap };
  const refs = [ref, ...bootstrapRefs(deps)];
  // Should the install wrongly go ahead, what it made must not outlive the run.
  addCleanup(`refused cluster ${name}`, async () => {
    for (const r of refs) if ((await present(deps, [r])).length) await run.providerFor(r.provider).destroyInfrastructure(r);
  });
  log(`installing ${name} with ${controlPlane} control-plane nodes, which Lattice must refuse`);
  const out = await exitOf(() => installCluster({
    cli: run.config.latticeCli, file, ...(run.config.image ? { image: run.config.image } : {}), timeoutMs: run.config.cliTimeoutMs, env: { ...run.cliEnv, ...run.spelling.clusters.cliRunEnv(run.config.runId) },
    onOutput: (line) => log(`lattice install: ${line}`), ...(deps.signal ? { signal: deps.signal } : {}),
  }));
  return { ...out, leftovers: await present(deps, refs) };
}

/** `lattice uninstall -n <name>` against the management cluster, naming a cluster it does not hold. */
export async function uninstallUnderWrongName(deps: HierarchyDeps, wrongName: string): Promise<RefusedRun> {
  const { run, log } = deps;
  const mgmt = run.clusters.require('management');
  log(`uninstalling ${wrongName} through ${mgmt.name}'s kubeconfig, which holds no such cluster`);
  const out = await exitOf(() => uninstallCluster({
    cli: run.config.latticeCli, kubeconfig: mgmt.kubeconfigPath!, name: wrongName, keepBootstrapOnFailure: false,
    timeoutMs: run.config.cliTimeoutMs, env: { ...run.cliEnv, ...run.spelling.clusters.cliRunEnv(run.config.runId) }, onOutput: (line) => log(`lattice uninstall: ${line}`),
    ...(deps.signal ? { signal: deps.signal } : {}),
  }));
  return { ...out, leftovers: await present(deps, bootstrapRefs(deps)) };
}
