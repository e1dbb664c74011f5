/**
 * The features speak of a parent that "says the child is Ready" once the child has pivoted; Lattice
 * spells that phase per version (2026-01 Ready, 2026-04 Pivoted: the parent's copy never becomes
 * Ready, cluster/phases/pivoting.rs:43-52 at b5d50e90). Steps compare what the parent showed
 * against the phases named here.
 */
import type { RunContext } from '../run/run-context.js';

/** The feature's phases as the run's Lattice reports them on the parent's copy of a child. */
export function phasesOnParent(run: Pick<RunContext, 'spelling'>, phases: readonly string[]): string[] {
  return phases.map((p) => (p === 'Ready' ? run.spelling.clusters.pivotedPhaseOnParent : p));
}
