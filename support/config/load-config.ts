/**
 * Reads the suite's settings from the environment once, at start-up, and fails with one line
 * naming every bad variable (see VARIABLES.md for the full table).
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { BOOLEAN_ACCEPTED, parseBoolean } from './boolean.js';
import { resolveClusterFixture } from './cluster-fixture-path.js';
import { DURATION_ACCEPTED, formatDuration, parseDuration } from './duration.js';
import { readEnv } from './env-value.js';
import { ConfigError } from '../errors.js';
import { readRandomMeshSettings } from '../mesh/random-mesh-config.js';
import { ConfigProblems } from './problems.js';
import { repoRoot } from './repo-root.js';
import { generateRunId, isValidRunId, RUN_ID_ACCEPTED } from './run-id.js';
import type { ClusterFixtures, SuiteConfig, Target, WaitName, WaitSpec } from './types.js';
import { compareKubeVersions, parseKubeVersion, VERSION_ACCEPTED } from './version.js';
import { describeRegularFile, folderProblem } from './writable-folder.js';
import { DEFAULT_LATTICE_VERSION, isLatticeApiVersion, spellingFor, VERSIONS_ACCEPTED, type LatticeApiVersion } from '../versions/index.js';
import {
  DEFAULT_CLI_TIMEOUT_MS,
  DEFAULT_KUBECONFIG_EXTRACTION,
  defaultWaits,
  pollVar,
  timeoutVar,
  WAIT_ORDER,
} from './waits.js';

export const DEFAULT_IMAGE = 'ghcr.io/evan-hines-js/lattice:latest';
export const DEFAULT_UPGRADE_FROM_VERSION = '1.31.0';
export const DEFAULT_UPGRADE_TO_VERSION = '1.32.0';
/** The embedded target's CLI, built by `sim/`; the suite only ever executes it. */
export const EMBEDDED_CLI_PATH = resolve(repoRoot, 'sim', 'bin', 'lattice');

const TIMEOUT_CLI = 'LATTICE_TIMEOUT_CLI';
const KUBECONFIG_ATTEMPTS = 'LATTICE_KUBECONFIG_ATTEMPTS';
const POLL_KUBECONFIG = 'LATTICE_POLL_KUBECONFIG_EXTRACTION';
const MAX_KUBECONFIG_ATTEMPTS = 1000;
const IMAGE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;

export interface LoadConfigOptions {
  /** Folder relative paths resolve against (default: process.cwd()). */
  cwd?: string;
  /** The version to use when LATTICE_VERSION is unset (a real target's CLI told it): not counted as named. */
  version?: LatticeApiVersion;
}

/** Every variable loadConfig reads besides the per-wait LATTICE_TIMEOUT_* / LATTICE_POLL_* ones. */
export const CONFIG_VARIABLES = [
  'LATTICE_TARGET',
  'LATTICE_VERSION',
  'LATTICE_CLI',
  'LATTICE_IMAGE',
  'REGISTRY_CREDENTIALS_FILE',
  'LATTICE_E2E_RUN_ID',
  'LATTICE_E2E_KEEP',
  'LATTICE_E2E_WORK_DIR',
  'LATTICE_MGMT_CLUSTER_CONFIG',
  'LATTICE_WORKLOAD_CLUSTER_CONFIG',
  'LATTICE_WORKLOAD2_CLUSTER_CONFIG',
  'LATTICE_INDEP_MGMT_CONFIG',
  'LATTICE_INDEP_WORKLOAD_CONFIG',
  'LATTICE_UPGRADE_MGMT_CONFIG',
  'LATTICE_UPGRADE_WORKLOAD_CONFIG',
  'LATTICE_ENABLE_MESH_TEST',
  'LATTICE_UPGRADE_FROM_VERSION',
  'LATTICE_UPGRADE_TO_VERSION',
  TIMEOUT_CLI,
  KUBECONFIG_ATTEMPTS,
  POLL_KUBECONFIG,
] as const;

/** Names every duration variable the suite knows, so typos under the prefixes can be caught. */
export function knownDurationVariables(): string[] {
  return [...WAIT_ORDER.flatMap((n) => [timeoutVar(n), pollVar(n)]), TIMEOUT_CLI, POLL_KUBECONFIG];
}

function statKind(path: string): 'file' | 'dir' | 'other' | 'missing' {
  try {
    const st = statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: LoadConfigOptions = {}): SuiteConfig {
  const cwd = opts.cwd ?? process.cwd();
  const problems = new ConfigProblems();
  const fromEnv: string[] = [];
  const get = (name: string): string | undefined => {
    const v = readEnv(env, name);
    if (v !== undefined) fromEnv.push(name);
    return v;
  };

  // Target first: several defaults depend on it.
  let target: Target = 'embedded';
  const targetText = get('LATTICE_TARGET');
  if (targetText !== undefined) {
    const t = targetText.toLowerCase();
    if (t === 'embedded' || t === 'real') target = t;
    else problems.add('LATTICE_TARGET', targetText, 'is not a target; use embedded or real');
  }

  // The Lattice API version: bare fixture names resolve in its folder (fixtures/<version>/...).
  let latticeVersion: LatticeApiVersion = opts.version ?? DEFAULT_LATTICE_VERSION;
  const versionText = get('LATTICE_VERSION');
  if (versionText !== undefined) {
    if (isLatticeApiVersion(versionText)) latticeVersion = versionText;
    else problems.add('LATTICE_VERSION', versionText, VERSIONS_ACCEPTED);
  }
  const fixturesDir = spellingFor(latticeVersion).clusters.fixturesDir;

  const bool = (name: string, fallback: boolean): boolean => {
    const text = get(name);
    if (text === undefined) return fallback;
    const b = parseBoolean(text);
    if (b === undefined) {
      problems.add(name, text, BOOLEAN_ACCEPTED);
      return fallback;
    }
    return b;
  };

  const duration = (name: string, fallbackMs: number): number => {
    const text = get(name);
    if (text === undefined) return fallbackMs;
    const ms = parseDuration(text);
    if (ms === undefined) {
      problems.add(name, text, DURATION_ACCEPTED);
      return fallbackMs;
    }
    return ms;
  };

  const fixture = (name: string, fallback: string): string | undefined => {
    const text = get(name);
    const value = text ?? fallback;
    const res = resolveClusterFixture(value, cwd, fixturesDir);
    if (res.ok) return res.path;
    if (text !== undefined) problems.add(name, text, res.reason);
    else problems.addLine(`${name} default ${JSON.stringify(fallback)} ${res.reason}`);
    return undefined;
  };

  // Run identity and folders.
  let runId = generateRunId();
  let runIdGenerated = true;
  const runIdText = get('LATTICE_E2E_RUN_ID');
  if (runIdText !== undefined) {
    if (isValidRunId(runIdText)) {
      runId = runIdText;
      runIdGenerated = false;
    } else {
      problems.add('LATTICE_E2E_RUN_ID', runIdText, RUN_ID_ACCEPTED);
    }
  }
  const keepResources = bool('LATTICE_E2E_KEEP', false);

  let workDir = resolve(repoRoot, '.tmp', 'runs', runId);
  const workDirText = get('LATTICE_E2E_WORK_DIR');
  if (workDirText !== undefined) {
    const candidate = resolve(cwd, workDirText);
    const problem = folderProblem(candidate);
    if (!problem) workDir = candidate;
    else problems.add('LATTICE_E2E_WORK_DIR', workDirText, `${problem}; give a folder you can write (it is created if missing)`);
  }

  // The CLI and what it installs.
  let latticeCli = target === 'real' ? 'lattice' : EMBEDDED_CLI_PATH;
  const cliText = get('LATTICE_CLI');
  if (cliText !== undefined) {
    if (cliText.includes('/') || cliText.includes('\\')) {
      const candidate = isAbsolute(cliText) ? cliText : resolve(cwd, cliText);
      if (statKind(candidate) === 'file') latticeCli = candidate;
      else problems.add('LATTICE_CLI', cliText, 'is not an existing file; give the path of the lattice binary or a command name on PATH');
    } else {
      latticeCli = cliText;
    }
  }

  let image = DEFAULT_IMAGE;
  const imageText = get('LATTICE_IMAGE');
  if (imageText !== undefined) {
    if (IMAGE_PATTERN.test(imageText)) image = imageText;
    else problems.add('LATTICE_IMAGE', imageText, 'is not an image reference; use e.g. ghcr.io/evan-hines-js/lattice:latest');
  } else if (target === 'real') {
    // :latest is whatever was pushed last (lattice-facts §0.7): a real run must name what it tests.
    problems.addLine('LATTICE_TARGET=real needs LATTICE_IMAGE: name the Lattice image under test, e.g. ghcr.io/evan-hines-js/lattice@sha256:<digest> or a tag you pushed');
  }

  let registryCredentialsFile: string | undefined;
  const credsText = get('REGISTRY_CREDENTIALS_FILE');
  if (credsText !== undefined) {
    const candidate = resolve(cwd, credsText);
    const kind = describeRegularFile(candidate);
    if (kind === 'file') registryCredentialsFile = candidate;
    else if (kind === 'missing' || kind === 'folder') problems.add('REGISTRY_CREDENTIALS_FILE', credsText, 'is not an existing file; give the path of a docker config.json-style credentials file or unset it');
    // Never opened: a FIFO blocks the open, /dev/zero never ends.
    else problems.add('REGISTRY_CREDENTIALS_FILE', credsText, `is a ${kind === 'fifo' ? 'FIFO' : kind}, not a regular file; give the path of a docker config.json-style credentials file or unset it`);
  }

  // Cluster fixtures. The independence pair defaults to whatever mgmt/workload resolved to.
  const mgmt = fixture('LATTICE_MGMT_CLUSTER_CONFIG', 'docker-mgmt.yaml');
  const workload = fixture('LATTICE_WORKLOAD_CLUSTER_CONFIG', 'docker-workload.yaml');
  const workload2 = fixture('LATTICE_WORKLOAD2_CLUSTER_CONFIG', 'docker-workload2.yaml');
  const indepMgmt = readEnv(env, 'LATTICE_INDEP_MGMT_CONFIG') !== undefined ? fixture('LATTICE_INDEP_MGMT_CONFIG', '') : mgmt;
  const indepWorkload =
    readEnv(env, 'LATTICE_INDEP_WORKLOAD_CONFIG') !== undefined ? fixture('LATTICE_INDEP_WORKLOAD_CONFIG', '') : workload;
  const upgradeMgmt = fixture('LATTICE_UPGRADE_MGMT_CONFIG', 'docker-mgmt.yaml');
  const upgradeWorkload = fixture('LATTICE_UPGRADE_WORKLOAD_CONFIG', 'docker-workload.yaml');

  const enableMeshTest = bool('LATTICE_ENABLE_MESH_TEST', true);

  // Upgrade versions: each must parse, and the upgrade must go forwards.
  const version = (name: string, fallback: string) => {
    const text = get(name);
    const value = text ?? fallback;
    const parsed = parseKubeVersion(value);
    if (!parsed) problems.add(name, value, VERSION_ACCEPTED);
    return { text: value, parsed };
  };
  const from = version('LATTICE_UPGRADE_FROM_VERSION', DEFAULT_UPGRADE_FROM_VERSION);
  const to = version('LATTICE_UPGRADE_TO_VERSION', DEFAULT_UPGRADE_TO_VERSION);
  if (from.parsed && to.parsed && compareKubeVersions(to.parsed, from.parsed) <= 0) {
    problems.addLine(
      `LATTICE_UPGRADE_TO_VERSION=${JSON.stringify(to.text)} is not newer than LATTICE_UPGRADE_FROM_VERSION=${JSON.stringify(from.text)}; the upgrade must go to a higher x.y.z`,
    );
  }

  // Waits.
  const defaults = defaultWaits(target);
  const waits = {} as Record<WaitName, WaitSpec>;
  for (const name of WAIT_ORDER) {
    const timeoutMs = duration(timeoutVar(name), defaults[name].timeoutMs);
    const intervalMs = duration(pollVar(name), defaults[name].intervalMs);
    if (intervalMs > timeoutMs) {
      problems.addLine(
        `${pollVar(name)} (${formatDuration(intervalMs)}) is longer than ${timeoutVar(name)} (${formatDuration(timeoutMs)}); the poll interval must not exceed the timeout`,
      );
    }
    waits[name] = { timeoutMs, intervalMs };
  }

  const kubeDefaults = DEFAULT_KUBECONFIG_EXTRACTION[target];
  let attempts = kubeDefaults.attempts;
  const attemptsText = get(KUBECONFIG_ATTEMPTS);
  if (attemptsText !== undefined) {
    const n = /^\d+$/.test(attemptsText) ? Number(attemptsText) : NaN;
    if (Number.isInteger(n) && n >= 1 && n <= MAX_KUBECONFIG_ATTEMPTS) attempts = n;
    else problems.add(KUBECONFIG_ATTEMPTS, attemptsText, `is not a whole number from 1 to ${MAX_KUBECONFIG_ATTEMPTS}`);
  }
  const kubeconfigExtraction = { attempts, intervalMs: duration(POLL_KUBECONFIG, kubeDefaults.intervalMs) };
  const cliTimeoutMs = duration(TIMEOUT_CLI, DEFAULT_CLI_TIMEOUT_MS[target]);

  // The random mesh's settings are read when its scenario starts, after clusters were installed:
  // a bad one must stop the run now instead.
  try { readRandomMeshSettings(env); } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.addLine(err.message);
  }

  // A misspelt LATTICE_TIMEOUT_*/LATTICE_POLL_* would otherwise be ignored without a word.
  const known = new Set(knownDurationVariables());
  for (const name of Object.keys(env).sort()) {
    if ((name.startsWith('LATTICE_TIMEOUT_') || name.startsWith('LATTICE_POLL_')) && !known.has(name)) {
      problems.add(name, env[name] ?? '', 'is not a known wait variable; see the list in support/config/VARIABLES.md');
    }
  }

  problems.throwIfAny();

  const clusters: ClusterFixtures = {
    mgmt: mgmt!,
    workload: workload!,
    workload2: workload2!,
    indepMgmt: indepMgmt!,
    indepWorkload: indepWorkload!,
    upgradeMgmt: upgradeMgmt!,
    upgradeWorkload: upgradeWorkload!,
  };
  const config: SuiteConfig = {
    target,
    latticeVersion: { version: latticeVersion, named: versionText !== undefined && isLatticeApiVersion(versionText) },
    runId,
    runIdGenerated,
    keepResources,
    workDir,
    latticeCli,
    image,
    ...(registryCredentialsFile !== undefined ? { registryCredentialsFile } : {}),
    clusters,
    enableMeshTest,
    upgrade: { fromVersion: from.text, toVersion: to.text },
    waits,
    kubeconfigExtraction,
    cliTimeoutMs,
    repoRoot,
    fromEnv: [...new Set(fromEnv)].sort(),
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
