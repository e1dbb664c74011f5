/**
 * Start-up checks of what the configuration can only name: the `lattice` CLI answers, and the
 * registry credentials file is JSON. Each failure is one PrerequisiteError line naming the input
 * and the fix; the credentials file's content is never quoted.
 */
import { readFileSync } from 'node:fs';
import type { SuiteConfig } from '../config/index.js';
import { PrerequisiteError } from '../errors.js';
import { loadClusterFixture } from '../fixtures/index.js';
import { checkCli } from '../lattice-cli/index.js';
import { assertPrerequisites } from '../preflight.js';
import type { ProviderKind } from '../providers/types.js';

export async function checkRegistryCredentialsFile(path: string): Promise<void> {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (err) {
    throw new PrerequisiteError(`REGISTRY_CREDENTIALS_FILE ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path and its permissions');
  }
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch {
    // JSON.parse quotes the text it choked on: never pass its message on.
    throw new PrerequisiteError(`REGISTRY_CREDENTIALS_FILE ${path} is not JSON`, 'give a docker config.json-style file: {"auths": {"<registry>": {"auth": "<base64 user:token>"}}}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PrerequisiteError(`REGISTRY_CREDENTIALS_FILE ${path} is not a JSON object`, 'give a docker config.json-style file: {"auths": {...}}');
  }
}

/** Runs the checks that apply; returns one line per check for the run log. */
export async function preflight(config: SuiteConfig): Promise<string[]> {
  const lines: string[] = [];
  if (config.target === 'real') {
    // Everything a real run needs (CLI, installer tools, engine, credentials), named at once.
    const providers = new Set<ProviderKind>();
    for (const path of Object.values(config.clusters)) {
      try { providers.add(loadClusterFixture(path).provider); } catch { /* a broken fixture is reported where it is used */ }
    }
    await assertPrerequisites({ config, providers: [...providers] });
    lines.push(`prerequisites of a real run (${[...providers].join(', ')} fixtures): in place`);
  } else if (config.fromEnv.includes('LATTICE_CLI')) {
    // The embedded target's own CLI is part of the checkout; a CLI someone chose is checked.
    let first: string;
    try {
      first = await checkCli(config.latticeCli);
    } catch (err) {
      if (err instanceof PrerequisiteError) throw err;
      throw new PrerequisiteError(`LATTICE_CLI ${config.latticeCli} could not be run (${(err as Error).message.split('\n')[0]})`, 'point LATTICE_CLI at the lattice binary');
    }
    lines.push(`lattice CLI ${config.latticeCli}: ${first}`);
  }
  if (config.registryCredentialsFile) {
    await checkRegistryCredentialsFile(config.registryCredentialsFile);
    lines.push(`registry credentials file ${config.registryCredentialsFile}: JSON`);
  }
  return lines;
}
