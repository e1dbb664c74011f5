/**
 * Waits that detect a fault (or a mutant, `npm run mutants`) by timing out, shortened from the
 * suite's embedded defaults (cluster phase and worker scaling 60 s, mesh pods 30 s, upgrade 120 s,
 * infrastructure gone 30 s, one CLI call 300 s) so a timeout-detected fault costs seconds, not minutes. Clean runs use the same
 * values: a wait too tight for the correct target shows up there as a false alarm.
 */
export const FAULT_RUN_WAITS: Readonly<Record<string, string>> = Object.freeze({
  // At the target speed the suite asks for (10, support/run/run-context.ts) the correct target meets
  // each of these in a few seconds even on two loaded cores; a fault detected by a timeout costs these.
  LATTICE_TIMEOUT_CLUSTER_PHASE: '15s',
  LATTICE_TIMEOUT_INSTALL: '20s',
  LATTICE_TIMEOUT_WORKER_SCALING: '15s',
  LATTICE_TIMEOUT_DELETION: '15s',
  LATTICE_TIMEOUT_INFRASTRUCTURE_GONE: '12s',
  LATTICE_TIMEOUT_DEPLOYMENTS: '15s',
  LATTICE_TIMEOUT_MESH_PODS: '12s',
  LATTICE_TIMEOUT_RANDOM_MESH_PODS: '20s',
  LATTICE_TIMEOUT_MESH_VERDICTS: '20s',
  LATTICE_TIMEOUT_WAYPOINT: '15s',
  LATTICE_TIMEOUT_UPGRADE: '25s',
  // Bounds a `lattice install` whose cluster never provisions (the CLI itself gives up after 120 s of target time).
  LATTICE_TIMEOUT_CLI: '25s',
});
