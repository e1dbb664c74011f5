/**
 * Lattice 2026-01 (1236706e) does not implement Kubernetes upgrades: the Ready branch of
 * crates/lattice-cluster/src/controller.rs:1880-1973 only scales `<name>-md-0` and re-taints the
 * control planes; nothing applies a changed version (lattice-facts §0.6). Against a real 2026-01
 * Lattice the upgrade scenario therefore fails with no node ever rolling. It stays a failure (a true
 * product gap), but says so plainly instead of as a bare node timeout.
 */
import { SuiteError, WaitTimeoutError } from '../errors.js';

export class UpgradeNotImplementedError extends SuiteError {}

/** The Lattice under test, as far as this check needs it. */
export interface LatticeUnderTest { target: 'embedded' | 'real'; apiVersion: string }

export interface NoRollInput {
  lattice: LatticeUnderTest;
  cluster: string;
  toVersion: string;
  /** Every kubelet version seen on the cluster's nodes while waiting. */
  versionsSeen: Iterable<string>;
  /** Why the wait for the roll ended. */
  cause: unknown;
}

/** The plain explanation when a real 2026-01 Lattice never rolled a node; undefined in every other case. */
export function explainNoRoll(input: NoRollInput): UpgradeNotImplementedError | undefined {
  if (input.lattice.target !== 'real' || input.lattice.apiVersion !== '2026-01') return undefined;
  if (!(input.cause instanceof WaitTimeoutError)) return undefined;
  const to = input.toVersion.replace(/^v/, '');
  const seen = [...new Set(input.versionsSeen)];
  if (seen.some((v) => v.replace(/^v/, '') === to)) return undefined;
  return new UpgradeNotImplementedError(
    `no node of ${input.cluster} ever ran v${to} (kubelet versions seen: ${seen.join(', ') || 'none'}): Lattice 2026-01 (1236706e) does not implement Kubernetes upgrades`
    + ' (its Ready branch, crates/lattice-cluster/src/controller.rs:1880-1973, only scales the workers and re-taints control planes; lattice-facts §0.6)'
    + `, so this is the product's gap, not the suite's; ${input.cause.message}`,
  );
}
