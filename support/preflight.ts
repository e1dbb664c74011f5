/**
 * Before a run against a real environment: every missing prerequisite named at once, so an
 * operator fixes them in one go instead of discovering them one failed scenario at a time.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { PrerequisiteError } from './errors.js';
import type { SuiteConfig } from './config/index.js';
import type { ProviderKind } from './providers/types.js';
import { checkCli } from './lattice-cli/index.js';
import { assertEngineReachable, connectDocker, resolveDockerHost } from './providers/docker/engine.js';

/** Credentials the real `lattice install` reads from the environment per provider (facts §3). */
export const CREDENTIAL_VARIABLES: Record<ProviderKind, string[]> = {
  docker: [],
  aws: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'],
  proxmox: ['PROXMOX_URL', 'PROXMOX_TOKEN', 'PROXMOX_SECRET'],
  // Lattice creates no OpenStack secret from the environment; the fixture's credentialsSecretRef must exist.
  openstack: [],
};

/** Tools the real installer drives (facts §3: it needs docker, kind and clusterctl). */
export const INSTALLER_TOOLS = ['docker', 'kind', 'clusterctl'];

export function onPath(cmd: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const candidates = isAbsolute(cmd) || cmd.includes('/') ? [cmd] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, cmd));
  return candidates.some((p) => { try { accessSync(p, constants.X_OK); return true; } catch { return false; } });
}

export interface PreflightInput {
  config: SuiteConfig;
  /** Provider kinds of the fixtures this run may use. */
  providers: ProviderKind[];
  env?: NodeJS.ProcessEnv;
  /** Checks the engine; replaceable in tests. */
  engineReachable?: () => Promise<void>;
  /** Checks the CLI answers; replaceable in tests. */
  cliAnswers?: (cli: string) => Promise<void>;
}

/** Returns one line per missing prerequisite (empty when all is in place); embedded runs need none. */
export async function findMissingPrerequisites(input: PreflightInput): Promise<string[]> {
  const env = input.env ?? process.env;
  const { config } = input;
  if (config.target !== 'real') return [];
  const missing: string[] = [];
  if (!onPath(config.latticeCli, env)) missing.push(`the lattice CLI (${config.latticeCli}) is not an executable on PATH: set LATTICE_CLI`);
  else {
    try { await (input.cliAnswers ?? ((cli) => checkCli(cli).then(() => undefined)))(config.latticeCli); } catch (err) { missing.push((err as Error).message); }
  }
  for (const tool of INSTALLER_TOOLS) if (!onPath(tool, env)) missing.push(`${tool} is not on PATH (lattice install needs it)`);
  try {
    await (input.engineReachable ?? (async () => { const host = resolveDockerHost(undefined, env); await assertEngineReachable(connectDocker(host), host); }))();
  } catch (err) {
    missing.push(`no Docker engine answers (${(err as Error).message.split('\n')[0]}): the bootstrap cluster runs in Docker`);
  }
  for (const kind of [...new Set(input.providers)]) {
    for (const v of CREDENTIAL_VARIABLES[kind]) if (!env[v]?.trim()) missing.push(`${v} is not set (needed for ${kind} fixtures)`);
  }
  return missing;
}

/** Throws one PrerequisiteError naming every missing prerequisite. */
export async function assertPrerequisites(input: PreflightInput): Promise<void> {
  const missing = await findMissingPrerequisites(input);
  if (missing.length) throw new PrerequisiteError(`${missing.length} prerequisite(s) missing for a real run: ${missing.join('; ')}`, 'fix them all, or run against the embedded target (unset LATTICE_TARGET)');
}
