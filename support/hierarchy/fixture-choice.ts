import { resolveClusterFixture } from '../config/index.js';
import { ConfigError } from '../errors.js';
import { spellingFor } from '../versions/index.js';
import type { SuiteConfig } from '../config/index.js';
import type { ClusterRole } from '../run/roles.js';

/** Which env variables pick the fixtures of a scenario family (spec's tables). */
export type ScenarioFamily = 'lifecycle' | 'independence' | 'upgrade';

const VARIABLES: Record<ScenarioFamily, Partial<Record<ClusterRole, { env: string; key: keyof SuiteConfig['clusters'] }>>> = {
  lifecycle: {
    management: { env: 'LATTICE_MGMT_CLUSTER_CONFIG', key: 'mgmt' },
    workload: { env: 'LATTICE_WORKLOAD_CLUSTER_CONFIG', key: 'workload' },
    workload2: { env: 'LATTICE_WORKLOAD2_CLUSTER_CONFIG', key: 'workload2' },
  },
  independence: {
    management: { env: 'LATTICE_INDEP_MGMT_CONFIG', key: 'indepMgmt' },
    workload: { env: 'LATTICE_INDEP_WORKLOAD_CONFIG', key: 'indepWorkload' },
  },
  upgrade: {
    management: { env: 'LATTICE_UPGRADE_MGMT_CONFIG', key: 'upgradeMgmt' },
    workload: { env: 'LATTICE_UPGRADE_WORKLOAD_CONFIG', key: 'upgradeWorkload' },
  },
};

/**
 * The fixture a step should use: the one the feature names, unless the matching spec variable was
 * set explicitly, in which case the operator's choice wins (and the log says so).
 */
export function chooseFixture(config: SuiteConfig, family: ScenarioFamily, role: ClusterRole, named: string | undefined): { path: string; why: string } {
  const v = VARIABLES[family][role];
  if (v && config.fromEnv.includes(v.env)) return { path: config.clusters[v.key], why: `${v.env} overrides the feature's fixture` };
  if (named === undefined) {
    if (!v) throw new ConfigError(`no fixture named for the ${role} cluster`);
    return { path: config.clusters[v.key], why: `${v.env} default` };
  }
  const r = resolveClusterFixture(named, config.repoRoot, spellingFor(config.latticeVersion.version).clusters.fixturesDir);
  if (!r.ok) throw new ConfigError(`fixture "${named}" named by the feature: ${r.reason}`);
  return { path: r.path, why: 'named by the feature' };
}
