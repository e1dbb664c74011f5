/**
 * The Lattice API version of a run and how it was found. The run speaks one version (its fixtures,
 * phases, object names: support/versions/); it learns it only as a client of a real Lattice could
 * (docs/LATTICE-2026-04.md §1): before install from `lattice install --help` (real target), after
 * install from the CRDs the management cluster serves (every target, the embedded one included).
 */
import type { SuiteConfig } from '../config/index.js';
import { ConfigError } from '../errors.js';
import { getJson, type ClusterClient } from '../kube/index.js';
import { runCli } from '../lattice-cli/index.js';
import { confirmVersion, latticeCrdNames, versionFromInstallHelp, type DetectedVersion } from '../versions/detect.js';
import type { LatticeApiVersion } from '../versions/index.js';
import { writeIdentity } from '../report/run-identity.js';
import { reportsDir } from './reports-dir.js';
import type { RunContext } from './run-context.js';

export interface RunVersionChoice {
  version: LatticeApiVersion;
  /** In words: `named by LATTICE_VERSION`, `detected: lattice install --help offers --validate`, ... */
  how: string;
}

/** `lattice install --help`'s text, or undefined when the CLI cannot say. */
export async function installHelp(cli: string): Promise<string | undefined> {
  try {
    const { tail } = await runCli({ cli, args: ['install', '--help'], timeoutMs: 15_000, killGraceMs: 500 });
    return tail.join('\n');
  } catch {
    return undefined; // the preflight names a CLI that does not run
  }
}

/**
 * The run's version before anything is installed. Embedded target: the named or default version,
 * asked of the target at install. Real target: the CLI's help tells it; a named version it
 * contradicts is refused in one line (BAD-INPUT B48).
 */
export async function chooseRunVersion(config: SuiteConfig, help: (cli: string) => Promise<string | undefined> = installHelp): Promise<RunVersionChoice> {
  const { version, named } = config.latticeVersion;
  const source = named ? 'named by LATTICE_VERSION' : 'the default';
  if (config.target === 'embedded') return { version, how: `${source}; asked of the embedded target at install` };
  const text = await help(config.latticeCli);
  const detected = text === undefined ? undefined : versionFromInstallHelp(text);
  if (!detected) return { version, how: `${source} (lattice install --help does not tell)` };
  if (named && detected.version !== version) {
    throw new ConfigError(
      `LATTICE_VERSION=${version} but the lattice CLI at ${config.latticeCli} is ${detected.version}'s (${detected.evidence})`,
      `set LATTICE_VERSION=${detected.version} (or unset it to detect it), or point LATTICE_CLI at a ${version} CLI`,
    );
  }
  return named ? { version, how: `${source}; ${detected.evidence}` } : { version: detected.version, how: `detected: ${detected.evidence}` };
}

/** The lattice.dev CRDs a cluster serves. */
export function servedLatticeCrds(client: ClusterClient): Promise<string[]> {
  return latticeCrdNames(() => getJson(client, { path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', timeoutMs: 15_000 }));
}

/** After install: the management cluster must serve the run's version (one-line VersionMismatchError otherwise). */
export async function confirmServedVersion(client: ClusterClient, expected: RunVersionChoice): Promise<DetectedVersion> {
  return confirmVersion({ expected: expected.version, how: expected.how, cluster: client.name, crdNames: await servedLatticeCrds(client) });
}

/**
 * After an install: checks the management cluster serves the run's version, records how (the run
 * log, the run's identity and the HTML report's banner say it) and returns a line for the log.
 */
export async function confirmRunVersion(run: RunContext, client: ClusterClient): Promise<string> {
  const found = await confirmServedVersion(client, { version: run.version, how: run.versionHow });
  run.versionConfirmed = `${client.name} serves ${found.evidence.replace(/^the management cluster serves /, '')}`;
  if (run.identity) {
    run.identity.apiVersionConfirmed = run.versionConfirmed;
    writeIdentity(reportsDir(), run.identity);
  }
  return `Lattice API ${run.version} confirmed: ${run.versionConfirmed}`;
}
