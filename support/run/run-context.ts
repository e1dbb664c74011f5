/**
 * Everything that lives for a whole run rather than one scenario: the configuration, the cluster
 * registry, the providers, and the run's log. Created once by the BeforeAll hook.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, type SuiteConfig } from '../config/index.js';
import { ClusterRegistry } from './cluster-registry.js';
import { EmbeddedProvider } from '../providers/embedded.js';
import { DockerProvider } from '../providers/docker.js';
import { CloudProvider } from '../providers/cloud.js';
import type { Provider, ProviderKind } from '../providers/types.js';

export interface RunContext {
  readonly config: SuiteConfig;
  readonly clusters: ClusterRegistry;
  /** The provider for a fixture's infrastructure kind in this run's target. */
  providerFor(kind: ProviderKind): Provider;
  /** Every provider in use (for sweeping). */
  providers(): Provider[];
  /** Environment for the `lattice` CLI and the target's control CLI. */
  readonly cliEnv: NodeJS.ProcessEnv;
  readonly startedAt: Date;
}

let current: RunContext | undefined;

export function currentRun(): RunContext {
  if (!current) throw new Error('the run has not started: the BeforeAll hook creates the run context');
  return current;
}

export async function startRun(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = () => {}): Promise<RunContext> {
  const config = loadConfig(env);
  await mkdir(config.workDir, { recursive: true, mode: 0o700 });
  // One home for the embedded target per checkout, like one Docker engine per machine: a later run
  // finds (and sweeps) what a killed one left there.
  const cliEnv: NodeJS.ProcessEnv = config.target === 'embedded'
    ? { LATTICE_SIM_HOME: env.LATTICE_SIM_HOME ?? join(config.repoRoot, '.tmp', 'sim'), LATTICE_SIM_RUN_ID: config.runId }
    : {};
  const made = new Map<string, Provider>();
  const providerFor = (kind: ProviderKind): Provider => {
    const key = config.target === 'embedded' ? 'embedded' : kind === 'docker' ? 'docker' : 'cloud';
    let p = made.get(key);
    if (!p) {
      if (key === 'embedded') {
        p = new EmbeddedProvider({ simCli: join(config.repoRoot, 'sim', 'bin', 'lattice-sim'), workDir: config.workDir, env: cliEnv, captureIntervalMs: config.waits.clusterPhase.intervalMs, log });
      } else if (key === 'docker') {
        p = new DockerProvider({ workDir: config.workDir, runId: config.runId, kubeconfigAttempts: config.kubeconfigExtraction.attempts, kubeconfigIntervalMs: config.kubeconfigExtraction.intervalMs, log });
      } else {
        p = new CloudProvider({ workDir: config.workDir, intervalMs: config.waits.clusterPhase.intervalMs, captureTimeoutMs: config.waits.clusterPhase.timeoutMs, log });
      }
      made.set(key, p);
    }
    return p;
  };
  current = { config, clusters: new ClusterRegistry(), providerFor, providers: () => [...made.values()], cliEnv, startedAt: new Date() };
  return current;
}

/** Forgets the run (tests and repeated runs in one process). */
export function endRun(): void { current = undefined; }
