/**
 * Who a run is: the target, the Lattice API it judges, the image and CLI, the run id and the
 * random-mesh seed. The console prints it first, the HTML report shows it at its top and in its
 * title, and a merged report lists each shard's. Written next to the reports as run-identity.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { redact } from '../redact.js';

export interface RunIdentity {
  target: 'embedded' | 'real';
  /** The Lattice API version the run speaks (support/versions/). */
  apiVersion: string;
  /** How it was chosen: `named by LATTICE_VERSION`, `detected: lattice install --help offers --validate`, ... */
  apiVersionHow?: string;
  /** How the management cluster confirmed it, once installed: `e2e-mgmt serves infraproviders.lattice.dev`. */
  apiVersionConfirmed?: string;
  image: string;
  cli: string;
  /** What the CLI printed for --version, where it has one. */
  cliVersion?: string;
  runId: string;
  /** LATTICE_RANDOM_MESH_SEED of the run. */
  seed: string;
  /** The Cucumber profile, when known. */
  profile?: string;
}

export const IDENTITY_FILE = 'run-identity.json';

export interface IdentityInput {
  config: { target: 'embedded' | 'real'; image: string; latticeCli: string; runId: string; repoRoot: string; latticeVersion: { version: string } };
  /** How the run found its version (RunContext.versionHow); the config's own words when absent. */
  versionHow?: string;
  env: NodeJS.ProcessEnv;
  profile?: string;
  cliVersion?: string;
}

export function runIdentity({ config, env, profile, cliVersion, versionHow }: IdentityInput): RunIdentity {
  const cli = relative(config.repoRoot, config.latticeCli);
  return {
    target: config.target, apiVersion: config.latticeVersion.version, ...(versionHow ? { apiVersionHow: versionHow } : {}), image: config.image,
    cli: cli && !cli.startsWith('..') ? cli : config.latticeCli,
    ...(cliVersion ? { cliVersion } : {}),
    runId: config.runId, seed: env.LATTICE_RANDOM_MESH_SEED?.trim() || 'none',
    ...(profile ? { profile } : {}),
  };
}

/** `Lattice API 2026-04 (named by LATTICE_VERSION; confirmed: e2e-mgmt serves infraproviders.lattice.dev)` */
export function describeApiVersion(id: RunIdentity): string {
  const why = [id.apiVersionHow, id.apiVersionConfirmed ? `confirmed: ${id.apiVersionConfirmed}` : undefined].filter(Boolean).join('; ');
  return `Lattice API ${id.apiVersion}${why ? ` (${why})` : ''}`;
}

/** `embedded target · Lattice API 2026-01 (…) · image … · CLI … · run … · seed …` */
export function describeIdentity(id: RunIdentity): string {
  return [
    `${id.target} target`, describeApiVersion(id), `image ${id.image}`, `CLI ${id.cli}${id.cliVersion ? ` (${id.cliVersion})` : ''}`, `run ${id.runId}`, `seed ${id.seed}`,
    ...(id.profile ? [`profile ${id.profile}`] : []),
  ].join(' · ');
}

/** Masked like every report: an image reference or CLI path can carry a credential. */
export function writeIdentity(dir: string, id: RunIdentity): void {
  writeFileSync(join(dir, IDENTITY_FILE), `${redact(JSON.stringify(id, null, 2))}\n`);
}

/** The identity a run left in `dir`, or undefined when it has none (or it is unreadable). */
export function readIdentity(dir: string): RunIdentity | undefined {
  try {
    const o = JSON.parse(readFileSync(join(dir, IDENTITY_FILE), 'utf8')) as Partial<RunIdentity>;
    return typeof o.runId === 'string' && typeof o.target === 'string' ? o as RunIdentity : undefined;
  } catch { return undefined; }
}
