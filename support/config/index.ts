/** The suite's configuration: `loadConfig()` reads the environment once; see VARIABLES.md. */
export type { ClusterFixtures, SuiteConfig, Target, WaitName, WaitSpec, Waits } from './types.js';
export {
  CONFIG_VARIABLES,
  DEFAULT_IMAGE,
  DEFAULT_UPGRADE_FROM_VERSION,
  DEFAULT_UPGRADE_TO_VERSION,
  EMBEDDED_CLI_PATH,
  knownDurationVariables,
  loadConfig,
  type LoadConfigOptions,
} from './load-config.js';
export { describeConfig } from './describe-config.js';
export { formatDuration, parseDuration } from './duration.js';
export { parseBoolean } from './boolean.js';
export { compareKubeVersions, parseKubeVersion, type KubeVersion } from './version.js';
export { generateRunId, isValidRunId } from './run-id.js';
export { listClusterFixtureNames, resolveClusterFixture, type FixtureResolution } from './cluster-fixture-path.js';
export { clusterFixturesDir, repoRoot } from './repo-root.js';
export { DEFAULT_CLI_TIMEOUT_MS, DEFAULT_KUBECONFIG_EXTRACTION, defaultWaits, pollVar, timeoutVar, WAIT_NAMES, WAIT_ORDER } from './waits.js';
