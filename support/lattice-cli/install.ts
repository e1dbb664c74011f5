/**
 * `lattice install` and `lattice uninstall` (lattice-facts §3). install takes no name/yes flags;
 * uninstall always passes `-y`, since the CLI would otherwise wait for a y/N answer.
 */
import { accessSync, constants } from 'node:fs';
import { ConfigError, FixtureError } from '../errors.js';
import { runCli, type CliRunResult } from './run-cli.js';

interface CliCommon {
  /** Path (or PATH name) of the `lattice` binary. */
  cli: string;
  keepBootstrapOnFailure?: boolean;
  timeoutMs: number;
  /** Added to the inherited environment (e.g. LATTICE_IMAGE, AWS_*, PROXMOX_*). */
  env?: Record<string, string | undefined>;
  /** Each redacted output line, for the scenario log. */
  onOutput: (line: string) => void;
  signal?: AbortSignal;
}

export interface InstallClusterInput extends CliCommon {
  /** The LatticeCluster manifest (`-f`). */
  file: string;
  image?: string;
  registryCredentialsFile?: string;
  kubeconfigOut?: string;
}

export interface UninstallClusterInput extends CliCommon {
  /** Kubeconfig of the cluster to uninstall (`-k`). */
  kubeconfig: string;
  /** `metadata.name` of its LatticeCluster (`-n`). */
  name: string;
}

export function installArgs(input: Omit<InstallClusterInput, 'cli' | 'timeoutMs' | 'onOutput'>): string[] {
  return [
    'install', '-f', input.file,
    ...(input.image ? ['--image', input.image] : []),
    ...(input.registryCredentialsFile ? ['--registry-credentials-file', input.registryCredentialsFile] : []),
    ...(input.keepBootstrapOnFailure ? ['--keep-bootstrap-on-failure'] : []),
    ...(input.kubeconfigOut ? ['--kubeconfig-out', input.kubeconfigOut] : []),
  ];
}

export function uninstallArgs(input: Pick<UninstallClusterInput, 'kubeconfig' | 'name' | 'keepBootstrapOnFailure'>): string[] {
  return [
    'uninstall', '-k', input.kubeconfig, '-n', input.name, '-y',
    ...(input.keepBootstrapOnFailure ? ['--keep-bootstrap-on-failure'] : []),
  ];
}

function definedEnv(env: Record<string, string | undefined> | undefined): Record<string, string> | undefined {
  if (!env) return undefined;
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function assertReadable(path: string, what: string, make: (m: string, h: string) => Error): void {
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw make(`${what} ${path} does not exist or cannot be read`, 'check the path (use an absolute one)');
  }
}

/** Runs `lattice install -f <file> ...` until it exits; rejects with CliFailedError/CliTimeoutError/CliNotFoundError. */
export async function installCluster(input: InstallClusterInput): Promise<CliRunResult> {
  assertReadable(input.file, 'cluster file', (m, h) => new FixtureError(m, h));
  if (input.registryCredentialsFile) {
    assertReadable(input.registryCredentialsFile, 'registry credentials file', (m, h) => new ConfigError(m, h));
  }
  return runCli({
    cli: input.cli, args: installArgs(input), timeoutMs: input.timeoutMs, env: definedEnv(input.env),
    onOutput: input.onOutput, signal: input.signal,
  });
}

/** Runs `lattice uninstall -k <kubeconfig> -n <name> -y` until it exits. */
export async function uninstallCluster(input: UninstallClusterInput): Promise<CliRunResult> {
  assertReadable(input.kubeconfig, 'kubeconfig', (m, h) => new ConfigError(m, h));
  if (!input.name) throw new ConfigError('uninstallCluster: name is required', 'pass the LatticeCluster name');
  return runCli({
    cli: input.cli, args: uninstallArgs(input), timeoutMs: input.timeoutMs, env: definedEnv(input.env),
    onOutput: input.onOutput, signal: input.signal,
  });
}
