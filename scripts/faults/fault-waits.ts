/**
 * Waits that detect a fault (or a mutant, `npm run mutants`) by timing out, shortened from the
 * suite's embedded defaults (cluster phase and worker scaling 60 s, mesh pods 30 s, upgrade 120 s,
 * infrastructure gone 30 s, one CLI call 300 s) so a timeout-detected fault costs seconds, not minutes. Clean runs use the same
 * values: a wait too tight for the correct target shows up there as a false alarm.
 */
export const FAULT_RUN_WAITS: Readonly<Record<string, string>> = Object.freeze({
  LATTICE_TIMEOUT_CLUSTER_PHASE: '20s',
  LATTICE_TIMEOUT_WORKER_SCALING: '20s',
  LATTICE_TIMEOUT_MESH_PODS: '20s',
  LATTICE_TIMEOUT_UPGRADE: '45s',
  LATTICE_TIMEOUT_INFRASTRUCTURE_GONE: '20s',
  // Bounds a `lattice install` whose cluster never provisions (the CLI itself gives up after 120 s).
  LATTICE_TIMEOUT_CLI: '60s',
});
