/**
 * Telling a Lattice's API version only as a client of a real Lattice can (docs/LATTICE-2026-04.md
 * §1): from the CRDs its management cluster serves, or from `lattice install --help`.
 */
import { SuiteError } from '../errors.js';
import { allSpellings, type LatticeApiVersion } from './index.js';

/** What a detection found: the version and, in words, the evidence. */
export interface DetectedVersion {
  version: LatticeApiVersion;
  evidence: string;
}

/** The version whose decisive CRD is among `crdNames` (e.g. `infraproviders.lattice.dev`); undefined when none or several are. */
export function versionFromCrds(crdNames: readonly string[]): DetectedVersion | undefined {
  const names = new Set(crdNames);
  const hits = allSpellings().filter((s) => names.has(s.detection.decisiveCrd));
  if (hits.length !== 1) return undefined;
  return { version: hits[0]!.version, evidence: `the management cluster serves ${hits[0]!.detection.decisiveCrd}` };
}

/** The version whose `lattice install --help` flag appears in `helpText`; undefined when none or several do. */
export function versionFromInstallHelp(helpText: string): DetectedVersion | undefined {
  const hits = allSpellings().filter((s) => new RegExp(`(^|\\s)${s.detection.installHelpFlag}(\\s|,|=|$)`, 'm').test(helpText));
  if (hits.length !== 1) return undefined;
  return { version: hits[0]!.version, evidence: `lattice install --help offers ${hits[0]!.detection.installHelpFlag}` };
}

/** Lists the names of the lattice.dev CRDs a cluster serves (through a fetch function, so it can be faked). */
export async function latticeCrdNames(list: () => Promise<{ items?: { metadata?: { name?: string } }[] }>): Promise<string[]> {
  const res = await list();
  return (res.items ?? []).map((c) => c.metadata?.name ?? '').filter((n) => n.endsWith('.lattice.dev')).sort();
}

/** A named version and the served one disagree, or the served one cannot be told. */
export class VersionMismatchError extends SuiteError {}

/**
 * The run's version checked against what the cluster serves: returns the detection, or throws a
 * one-line VersionMismatchError naming both and the fix.
 */
export function confirmVersion(input: { expected: LatticeApiVersion; how: string; cluster: string; crdNames: readonly string[] }): DetectedVersion {
  const found = versionFromCrds(input.crdNames);
  const served = input.crdNames.length ? input.crdNames.join(', ') : 'no lattice.dev CRD';
  if (!found) {
    throw new VersionMismatchError(`cannot tell the Lattice API version of ${input.cluster}: it serves ${served}`, 'point the run at a Lattice management cluster');
  }
  if (found.version !== input.expected) {
    throw new VersionMismatchError(
      `the run speaks Lattice API ${input.expected} (${input.how}) but ${input.cluster} serves ${found.version} (${found.evidence})`,
      `run with LATTICE_VERSION=${found.version} (npm run e2e -- --lattice-version ${found.version}) or point the run at a ${input.expected} Lattice`,
    );
  }
  return found;
}
