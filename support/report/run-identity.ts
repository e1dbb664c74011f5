/**
 * Who a run is: the target, the Lattice API it judges, the image and CLI, the run id and the
 * random-mesh seed. The console prints it first, the HTML report shows it at its top and in its
 * title, and a merged report lists each shard's. Written next to the reports as run-identity.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { redact } from '../redact.js';

/**
 * The Lattice API the suite judges: the facts of /work/shared/reference/lattice-facts.md, upstream
 * faultdomain/lattice at 1236706e. A later API (2026-04) will be chosen by configuration.
 */
export const LATTICE_API_VERSION = '2026-01';

export interface RunIdentity {
  target: 'embedded' | 'real';
  apiVersion: string;
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
  config: { target: 'embedded' | 'real'; image: string; latticeCli: string; runId: string; repoRoot: string };
  env: NodeJS.ProcessEnv;
  profile?: string;
  cliVersion?: string;
}

export function runIdentity({ config, env, profile, cliVersion }: IdentityInput): RunIdentity {
  const cli = relative(config.repoRoot, config.latticeCli);
  return {
    target: config.target, apiVersion: LATTICE_API_VERSION, image: config.image,
    cli: cli && !cli.startsWith('..') ? cli : config.latticeCli,
    ...(cliVersion ? { cliVersion } : {}),
    runId: config.runId, seed: env.LATTICE_RANDOM_MESH_SEED?.trim() || 'none',
    ...(profile ? { profile } : {}),
  };
}

/** `embedded target · Lattice API 2026-01 · image … · CLI … · run … · seed …` */
export function describeIdentity(id: RunIdentity): string {
  return [
    `${id.target} target`, `Lattice API ${id.apiVersion}`, `image ${id.image}`, `CLI ${id.cli}${id.cliVersion ? ` (${id.cliVersion})` : ''}`, `run ${id.runId}`, `seed ${id.seed}`,
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
