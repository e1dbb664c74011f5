/**
 * Seeded regressions of Lattice the target can play on purpose (see sim/FAULTS.md). Read once from
 * LATTICE_SIM_FAULTS (comma-separated) by the daemon; with none set the target is correct.
 */
export const FAULTS = [
  // services / data plane
  'one-sided-outbound-allowed',
  'one-sided-inbound-allowed',
  'wildcard-inbound-ignored',
  'external-open-to-all',
  'stale-policy-kept',
  'enforcement-open-during-roll',
  'upgrade-stalls',
  'colocation-ignored',
  'shared-volume-not-shared',
  'private-volume-shared',
  'pvc-missing',
  'no-waypoint',
  // cluster lifecycle
  'no-pivot',
  'child-driven-by-parent',
  'workers-never-scale',
  'stuck-provisioning',
  'pivoting-skipped',
  'unpivot-leaves-capi',
  'uninstall-leaves-cluster',
  // 2026-04: cedar
  'cedar-forbid-ignored',
  'cedar-policies-any-namespace',
  // 2026-04: access
  'proxy-ignores-access-cluster',
  'proxy-kubeconfig-lists-all-clusters',
  'forwarded-exec-output-dropped',
  // 2026-04: admission
  'even-control-plane-admitted',
  'parent-config-mutable',
  // 2026-04: cluster lifecycle
  'parent-copy-reports-ready',
  'pivot-copies-not-moves',
  'pool-label-missing',
  'deletion-not-blocked-by-children',
  'parent-delete-leaves-infrastructure',
  // 2026-04: services
  'wildcard-permit-not-required',
  'external-permit-not-required',
  'security-override-not-gated',
  'allowed-consumers-ignored',
  'restricted-defaults-missing',
  'waypoint-missing-with-externals',
] as const;
export type FaultName = (typeof FAULTS)[number];

let active = new Set<FaultName>();

/** Parses a fault list; throws naming the unknown fault and the known ones. */
export function parseFaults(spec: string | undefined): Set<FaultName> {
  const names = (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(FAULTS as readonly string[]).includes(n)) {
      throw new Error(`unknown fault "${n}" in LATTICE_SIM_FAULTS; known faults: ${FAULTS.join(', ')}`);
    }
  }
  return new Set(names as FaultName[]);
}

export function setFaults(faults: Set<FaultName>): void { active = new Set(faults); }
export function faultOn(name: FaultName): boolean { return active.has(name); }
export function activeFaults(): FaultName[] { return [...active]; }
