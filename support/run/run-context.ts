/**
 * Everything that lives for a whole run rather than one scenario: the configuration, the cluster
 * registry, the providers, and the run's log. Created once by the BeforeAll hook.
 */
import { mkdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadConfig, type SuiteConfig } from '../config/index.js';
import { ClusterRegistry } from './cluster-registry.js';
import { claimWorkDir, OWNER_ENV, removeRunFiles } from './leftovers.js';
import { busyError, claimTarget, releaseTarget } from './target-claim.js';
import { SUITE_CLUSTER_NAMES } from './start-sweep.js';
import { EmbeddedProvider } from '../providers/embedded.js';
import { assertFixtureVersion, loadClusterFixture, type ClusterFixture } from '../fixtures/index.js';
import { ProviderSelector } from '../providers/select.js';
import type { Provider, ProviderKind } from '../providers/types.js';
import { spellingFor, type LatticeApiVersion, type LatticeVersionSpelling } from '../versions/index.js';
import type { RunIdentity } from '../report/run-identity.js';
import { chooseRunVersion, installHelp, type RunVersionChoice } from './run-version.js';

/**
 * The embedded target's clock: every simulated duration and requeue divided by this (sim/src/clock.ts).
 * The suite's waits follow state, not time, so the clock only sets how long a run takes; 10 keeps the
 * default run under a minute (~53 s at 2026-04 on 2 idle cores). LATTICE_SIM_SPEED overrides it (e.g. 1 to watch transitions).
 */
export const EMBEDDED_TARGET_SPEED = '10';
const embeddedSpeed = (env: NodeJS.ProcessEnv): string => env.LATTICE_SIM_SPEED?.trim() || EMBEDDED_TARGET_SPEED;

export interface RunContext {
  readonly config: SuiteConfig;
  /** The Lattice API version the run speaks (= config.latticeVersion.version) and how it was found. */
  readonly version: LatticeApiVersion;
  readonly versionHow: string;
  /** How the version was confirmed from what the management cluster serves, once it was (after install). */
  versionConfirmed?: string;
  /** The run's identity once the hooks wrote it (rewritten when the version is confirmed). */
  identity?: RunIdentity;
  /** Everything version-specific support/ needs; step definitions never see it. */
  readonly spelling: LatticeVersionSpelling;
  readonly clusters: ClusterRegistry;
  /** The provider for a fixture's infrastructure kind in this run's target. */
  providerFor(kind: ProviderKind): Provider;
  /** Every provider in use (for sweeping). */
  providers(): Provider[];
  /** Environment for the `lattice` CLI and the target's control CLI. */
  readonly cliEnv: NodeJS.ProcessEnv;
  readonly startedAt: Date;
  /** Aborted when the run is interrupted (SIGINT/SIGTERM): waits end, remaining scenarios are skipped. */
  readonly signal: AbortSignal;
}

let current: RunContext | undefined;

export function currentRun(): RunContext {
  if (!current) throw new Error('the run has not started: the BeforeAll hook creates the run context');
  return current;
}

export async function startRun(
  env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = () => {}, signal: AbortSignal = new AbortController().signal,
  help: (cli: string) => Promise<string | undefined> = installHelp,
): Promise<RunContext> {
  let config = loadConfig(env);
  // A real target's CLI may tell a different version than the default: its fixtures are then that version's.
  const choice: RunVersionChoice = await chooseRunVersion(config, help);
  if (choice.version !== config.latticeVersion.version) config = loadConfig(env, { version: choice.version });
  refuseFixturesOfAnotherVersion(config, choice.version);
  await mkdir(config.workDir, { recursive: true, mode: 0o700 });
  // The owner file lets a later run tell this run's folder and processes from a live run's.
  claimWorkDir(config.workDir, { runId: config.runId, pid: process.pid, startedAt: new Date().toISOString() });
  // One home for the embedded target per checkout, like one Docker engine per machine: a later run
  // finds (and sweeps) what a killed one left there.
  // Every process the run starts carries its run id, so a later run can find them if this one is killed.
  const cliEnv: NodeJS.ProcessEnv = config.target === 'embedded'
    // The embedded target serves the version its install is asked for (sim/README.md "API versions").
    // HOME: at 2026-04 `lattice install` writes ~/.lattice (upstream cli/config.rs); the run keeps that in its own folder.
    ? { LATTICE_SIM_HOME: env.LATTICE_SIM_HOME || join(config.repoRoot, '.tmp', 'sim'), LATTICE_SIM_RUN_ID: config.runId, LATTICE_SIM_API_VERSION: choice.version, LATTICE_SIM_SPEED: embeddedSpeed(env), HOME: join(config.workDir, 'cli-home'), [OWNER_ENV]: config.runId }
    : { [OWNER_ENV]: config.runId };
  claimTargetOrRefuse(config, cliEnv.LATTICE_SIM_HOME);
  // Real environments: one Docker and one cloud provider per run, chosen by the fixture's kind. The
  // kind clusters of this run's install/uninstall carry its run id at 2026-04 (support/versions).
  const bootstrapClusters = spellingFor(choice.version).clusters.bootstrapClusterNames(config.runId);
  const selector = new ProviderSelector({
    workDir: config.workDir, runId: config.runId, log,
    docker: { kubeconfigAttempts: config.kubeconfigExtraction.attempts, kubeconfigIntervalMs: config.kubeconfigExtraction.intervalMs, bootstrapClusters },
    cloud: { intervalMs: config.waits.clusterPhase.intervalMs, captureTimeoutMs: config.waits.clusterPhase.timeoutMs, kindClusters: bootstrapClusters },
  });
  let embedded: EmbeddedProvider | undefined;
  const used = new Set<Provider>();
  const providerFor = (kind: ProviderKind): Provider => {
    let p: Provider;
    if (config.target === 'embedded') {
      embedded ??= new EmbeddedProvider({ simCli: join(config.repoRoot, 'sim', 'bin', 'lattice-sim'), workDir: config.workDir, env: cliEnv, captureIntervalMs: config.waits.clusterPhase.intervalMs, log });
      p = embedded;
    } else {
      p = selector.forCluster({ provider: kind });
    }
    used.add(p);
    return p;
  };
  current = {
    config, version: choice.version, versionHow: choice.how, spelling: spellingFor(choice.version),
    clusters: new ClusterRegistry(), providerFor, providers: () => [...used], cliEnv, startedAt: new Date(), signal,
  };
  return current;
}

/**
 * Claims the run's target (support/run/target-claim.ts); a live run holding it stops this one at
 * start-up, before the sweep could touch that run's clusters. The claim goes when the process does.
 */
function claimTargetOrRefuse(config: SuiteConfig, simHome: string | undefined): void {
  const path = simHome ? join(simHome, '.lattice-run.json') : join(config.repoRoot, '.tmp', 'real-target.lattice-run.json');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const holder = claimTarget(path, { runId: config.runId, pid: process.pid, startedAt: new Date().toISOString() });
  if (holder) {
    removeRunFiles(config.workDir);
    throw simHome
      ? busyError(holder, `the embedded target's home ${simHome}`, `wait for it to end, or give this run a home of its own (LATTICE_SIM_HOME=${join(config.repoRoot, '.tmp', `sim-${config.runId}`)})`)
      : busyError(holder, `the real target (the Docker engine and the cluster names ${SUITE_CLUSTER_NAMES.slice(0, 3).join(', ')})`, 'wait for it to end: two real runs would create, and sweep, the same clusters');
  }
  process.once('exit', () => releaseTarget(path, config.runId));
}

/**
 * A cluster fixture the configuration names (LATTICE_*_CONFIG or a default) of another Lattice API
 * version stops the run at start-up, in one line naming the file, the field and the version. Other
 * problems of a fixture are reported where a scenario uses it.
 */
function refuseFixturesOfAnotherVersion(config: SuiteConfig, version: LatticeApiVersion): void {
  for (const path of new Set(Object.values(config.clusters))) {
    let fixture: ClusterFixture;
    try { fixture = loadClusterFixture(path, version); } catch { continue; }
    assertFixtureVersion(fixture, version);
  }
}

/** Forgets the run (tests and repeated runs in one process). */
export function endRun(): void { current = undefined; }
