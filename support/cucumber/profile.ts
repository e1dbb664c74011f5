/**
 * What a Cucumber profile promises, checked at start-up (the profile reaches the hooks as
 * worldParameters.profile, set in cucumber.js): a cloud profile runs only against a real Lattice, and
 * then needs its own provider's credentials, whatever the fixture variables point at.
 */
import { CREDENTIAL_VARIABLES } from '../preflight.js';
import type { ProviderKind } from '../providers/types.js';
import { PrerequisiteError } from '../errors.js';

const CLOUD: Record<string, ProviderKind> = { aws: 'aws', openstack: 'openstack', proxmox: 'proxmox' };

/** Throws one PrerequisiteError when the profile cannot run as asked; returns a run-log line otherwise. */
export function checkProfile(profile: string | undefined, target: 'embedded' | 'real', env: NodeJS.ProcessEnv): string {
  const provider = profile ? CLOUD[profile] : undefined;
  if (!provider) return `profile ${profile ?? 'unknown'}: no provider of its own to check`;
  if (target !== 'real') {
    throw new PrerequisiteError(`profile ${profile} selects ${provider} clusters, but the target is the embedded one`, `set LATTICE_TARGET=real for a real ${provider} run, or use --tags @${provider} for its rows on the embedded target`);
  }
  const missing = CREDENTIAL_VARIABLES[provider].filter((v) => !env[v]?.trim());
  if (missing.length) throw new PrerequisiteError(`profile ${profile} needs ${missing.join(', ')} (${provider} credentials) and ${missing.length === 1 ? 'it is' : 'they are'} not set`, `export ${missing.join(', ')} before the run`);
  return `profile ${profile}: ${provider} credentials ${CREDENTIAL_VARIABLES[provider].join(', ') || '(none read from the environment)'} set`;
}
