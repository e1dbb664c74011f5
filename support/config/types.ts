/** The suite's resolved configuration: what `loadConfig()` returns. */
import type { LatticeApiVersion } from '../versions/types.js';

/** `embedded`: the simulated Lattice under `sim/`; `real`: a real Lattice reached through the real CLI. */
export type Target = 'embedded' | 'real';

/** A bounded wait: give up after `timeoutMs`, look again every `intervalMs` when polling. */
export interface WaitSpec {
  readonly timeoutMs: number;
  readonly intervalMs: number;
}

/** Names of the suite's waits; each has a timeout and a poll interval, overridable by env. */
export type WaitName =
  | 'clusterPhase'
  | 'install'
  | 'workerScaling'
  | 'deletion'
  | 'infrastructureGone'
  | 'deployments'
  | 'meshPods'
  | 'randomMeshPods'
  | 'meshVerdicts'
  | 'waypoint'
  | 'upgrade';

export type Waits = { readonly [K in WaitName]: WaitSpec };

/** Absolute paths of the LatticeCluster fixtures each scenario family uses. */
export interface ClusterFixtures {
  readonly mgmt: string;
  readonly workload: string;
  readonly workload2: string;
  readonly indepMgmt: string;
  readonly indepWorkload: string;
  readonly upgradeMgmt: string;
  readonly upgradeWorkload: string;
}

export interface SuiteConfig {
  readonly target: Target;
  /**
   * The Lattice API version the run speaks (LATTICE_VERSION, else the default) and whether it was
   * named; the run confirms it from what the target serves (support/run/run-version.ts).
   */
  readonly latticeVersion: { readonly version: LatticeApiVersion; readonly named: boolean };
  /** Short id ([a-z0-9-]) labelling everything this run creates. */
  readonly runId: string;
  /** Whether `runId` was generated (true) or given by LATTICE_E2E_RUN_ID (false). */
  readonly runIdGenerated: boolean;
  /** Keep clusters, namespaces and files after the run (LATTICE_E2E_KEEP). */
  readonly keepResources: boolean;
  /** Absolute folder for this run's kubeconfigs, logs and scratch files (not created here). */
  readonly workDir: string;
  /** The `lattice` CLI: an absolute path, or a bare command name looked up on PATH. */
  readonly latticeCli: string;
  /** Operator image passed to `lattice install --image`. */
  readonly image: string;
  /** Absolute path of the registry credentials file, when one is given (its content is never read here). */
  readonly registryCredentialsFile?: string;
  readonly clusters: ClusterFixtures;
  /** Run the fixed mesh, random mesh and media scenarios. */
  readonly enableMeshTest: boolean;
  readonly upgrade: { readonly fromVersion: string; readonly toVersion: string };
  readonly waits: Waits;
  /** Docker admin-kubeconfig extraction: tries and pause between them (the spec's 60 × 5 s). */
  readonly kubeconfigExtraction: { readonly attempts: number; readonly intervalMs: number };
  /** Upper bound for one `lattice` CLI invocation. */
  readonly cliTimeoutMs: number;
  /** Absolute path of the suite's checkout. */
  readonly repoRoot: string;
  /** Names of the environment variables that were set (non-blank) and used, sorted. */
  readonly fromEnv: readonly string[];
}
