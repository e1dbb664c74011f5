/**
 * The kind bootstrap cluster of `lattice install` at b5d50e90 (cli/commands/install.rs:294-300):
 * `lattice-bootstrap-<runId>`, the run id from `--run-id` / `LATTICE_RUN_ID`, else 6 hex characters
 * of `(unix millis as u32 ^ pid) & 0xffffff` (cli/commands/mod.rs:39-48). 2026-01 names it
 * `lattice-bootstrap`. `lattice uninstall` names its kind cluster `lattice-uninstall-<runId>` the same
 * way (cli/commands/uninstall.rs:56-59, :137-140).
 */
export function generateRunId(nowMs = Date.now(), pid = process.pid): string {
  const millis = Number(BigInt(nowMs) & 0xffffffffn); // `as_millis() as u32` keeps the low 32 bits
  return (((millis ^ pid) >>> 0) & 0xffffff).toString(16).padStart(6, '0');
}

export function bootstrapClusterName(runId: string | undefined): string {
  return `lattice-bootstrap-${runId || generateRunId()}`;
}

export function uninstallClusterName(runId: string | undefined): string {
  return `lattice-uninstall-${runId || generateRunId()}`;
}
