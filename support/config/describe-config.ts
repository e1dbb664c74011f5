/**
 * A short summary of the configuration for reports and the start of a run. It holds paths and
 * figures only: the credentials file is named, never read, and nothing else secret is in the config.
 */
import { relative } from 'node:path';
import { formatDuration } from './duration.js';
import type { SuiteConfig } from './types.js';
import { WAIT_ORDER } from './waits.js';

export function describeConfig(cfg: SuiteConfig): string {
  const rel = (p: string): string => {
    const r = relative(cfg.repoRoot, p);
    return r && !r.startsWith('..') ? r : p;
  };
  const c = cfg.clusters;
  const waits = WAIT_ORDER.map((n) => `${n} ${formatDuration(cfg.waits[n].timeoutMs)}/${formatDuration(cfg.waits[n].intervalMs)}`);
  return [
    `target: ${cfg.target}; Lattice API ${cfg.latticeVersion.version} (${cfg.latticeVersion.named ? 'named by LATTICE_VERSION' : 'not named'})`,
    `run id: ${cfg.runId}${cfg.runIdGenerated ? ' (generated)' : ''}; keep resources: ${cfg.keepResources ? 'yes' : 'no'}`,
    `work dir: ${rel(cfg.workDir)}`,
    `lattice CLI: ${rel(cfg.latticeCli)}; image: ${cfg.image}`,
    `registry credentials: ${cfg.registryCredentialsFile ? `file ${rel(cfg.registryCredentialsFile)}` : 'none'}`,
    `clusters: mgmt ${rel(c.mgmt)}, workload ${rel(c.workload)}, workload2 ${rel(c.workload2)}`,
    `independence: mgmt ${rel(c.indepMgmt)}, workload ${rel(c.indepWorkload)}`,
    `upgrade: ${cfg.upgrade.fromVersion} -> ${cfg.upgrade.toVersion} on mgmt ${rel(c.upgradeMgmt)}, workload ${rel(c.upgradeWorkload)}`,
    `mesh/media scenarios: ${cfg.enableMeshTest ? 'enabled' : 'disabled'}`,
    `waits (timeout/poll): ${waits.join(', ')}`,
    `kubeconfig extraction: ${cfg.kubeconfigExtraction.attempts} x ${formatDuration(cfg.kubeconfigExtraction.intervalMs)}; CLI timeout ${formatDuration(cfg.cliTimeoutMs)}`,
    `set from environment: ${cfg.fromEnv.length > 0 ? cfg.fromEnv.join(', ') : 'nothing (all defaults)'}`,
  ].join('\n');
}
