/**
 * Which scenarios can see each seeded fault of the embedded target (sim/FAULTS.md): the narrowest
 * tag expression that still contains the scenario whose observation FAULTS.md describes, why, and
 * the step that should be the one to fail. One entry per fault; a unit test keeps it in step with
 * FAULTS.md. Faults no scenario is expected to observe still get every scenario that could: the
 * run then shows, not assumes, that they are missed.
 */

export interface FaultScenarios {
  /** Cucumber tag expression, ANDed with the default profile's. */
  tags: string;
  /** Why these scenarios, and what they should observe. */
  reason: string;
  /** Source of a RegExp matching the text of the step FAULTS.md says should fail. */
  expectStep: string;
}

export const FAULT_SCENARIOS: Readonly<Record<string, FaultScenarios>> = Object.freeze({
  // services / data plane
  'one-sided-outbound-allowed': {
    tags: '@mesh and not @random-mesh',
    reason: 'the fixed mesh probes BLOCKED pairs whose callee has a Service (frontend-web → api-orders, every DB and cache)',
    expectStep: 'services are deployed|traffic shows exactly',
  },
  'one-sided-inbound-allowed': {
    tags: '@mesh and not @random-mesh',
    reason: 'the mesh rules scenario has billing accept web while web never declares billing',
    expectStep: 'traffic shows exactly',
  },
  'wildcard-inbound-ignored': {
    tags: '@mesh and not @random-mesh',
    reason: 'the mesh rules scenario has catalog accept `*`: its callers come back BLOCKED',
    expectStep: 'traffic shows exactly',
  },
  'external-open-to-all': {
    tags: '@random-mesh',
    reason: 'the random mesh probes undeclared and not-allowed externals from every frontend',
    expectStep: 'random mesh is deployed|traffic shows exactly',
  },
  'stale-policy-kept': {
    tags: '@mesh and not @random-mesh',
    reason: 'the mesh rules scenario withdraws orders\' acceptance of admin; the withdrawal step waits until the probes show admin blocked, and a kept principal never does',
    expectStep: 'stops accepting calls from',
  },
  'colocation-ignored': {
    tags: '@media',
    reason: 'the media scenario runs on 2 workers and checks that jellyfin, nzbget and sonarr share a node',
    expectStep: 'run on one node',
  },
  'shared-volume-not-shared': {
    tags: '@media',
    reason: 'the media scenario reads under /tv and /downloads what jellyfin and nzbget wrote',
    expectStep: 'reads under',
  },
  'private-volume-shared': {
    tags: '@media',
    reason: 'the media scenario checks jellyfin does not see what nzbget wrote',
    expectStep: 'does not see',
  },
  'pvc-missing': {
    tags: '@media',
    reason: 'the media scenario lists the claims, vol-media-storage among them',
    expectStep: 'volume claims exist|shared volume claim',
  },
  'no-waypoint': {
    tags: '@mesh and not @random-mesh',
    reason: 'the fixed mesh waits for 9 pods plus the waypoint',
    expectStep: 'services are deployed',
  },
  // 2026-04: cedar (issue 14): features/cedar-policies.feature writes a forbid next to a permit and a
  // permit outside lattice-system before the judged service is deployed.
  'cedar-forbid-ignored': {
    tags: '@cedar-policies',
    reason: 'the cedar-policies forbid scenario permits and forbids catalog\'s wildcard in lattice-system; catalog must be held Failed (Ready stops the step at once)',
    expectStep: 'catalog is held Failed',
  },
  'cedar-policies-any-namespace': {
    tags: '@cedar-policies',
    reason: 'the cedar-policies scenario writes catalog\'s permit outside lattice-system; catalog must be held Failed',
    expectStep: 'catalog is held Failed',
  },
  // cluster lifecycle
  'no-pivot': {
    tags: '@independence',
    reason: 'the independence scenario checks the workload cluster holds its own CAPI objects (shortest lifecycle scenario)',
    expectStep: 'manages itself',
  },
  'child-driven-by-parent': {
    tags: '@independence',
    reason: 'only the independence scenario scales a child after destroying its parent',
    expectStep: 'has 2 ready workers',
  },
  'workers-never-scale': {
    tags: '@independence',
    reason: 'the independence scenario waits for the workload cluster\'s first Ready worker (shortest lifecycle scenario)',
    expectStep: 'ready worker',
  },
  'stuck-provisioning': {
    tags: '@independence',
    reason: 'every cluster scenario waits for its clusters to leave Provisioning; the management cluster on the bootstrap cluster is already stuck (shortest lifecycle scenario)',
    expectStep: 'management cluster is installed|provisioned on the management cluster',
  },
  'pivoting-skipped': {
    tags: '@pivot and @docker',
    reason: 'only the pivot scenario records the phase sequence Pending, Provisioning, Pivoting, Ready',
    expectStep: 'pass through',
  },
  'unpivot-leaves-capi': {
    tags: '@pivot and @docker',
    reason: 'only the pivot scenario deletes a child through its own API and checks its infrastructure is gone',
    expectStep: 'unpivoted into|infrastructure is gone',
  },
  'uninstall-leaves-cluster': {
    tags: '@pivot and @docker',
    reason: 'only the pivot scenario uninstalls the management cluster and waits for its infrastructure to go',
    expectStep: 'management cluster is uninstalled|no cluster of the hierarchy is left',
  },
  // 2026-04: cluster lifecycle (issue 14), each at 2026-04 in the scenario that states the promise.
  'parent-copy-reports-ready': {
    tags: '@pivot and @docker',
    reason: 'the pivot scenario waits for the workload on its parent to be Pivoted at 2026-04 (measured: caught there, the copy stuck at Ready) and then records its phases',
    expectStep: 'created on the management cluster|pass through',
  },
  'pivot-copies-not-moves': {
    tags: '@pivot-moves',
    reason: 'after the pivot the management cluster must hold none of the workload cluster\'s CAPI Cluster and MachineDeployments',
    expectStep: 'no longer holds',
  },
  'pool-label-missing': {
    tags: '@pivot-moves',
    reason: 'every worker of the workload cluster must carry lattice.dev/pool of a declared pool',
    expectStep: 'carries its worker pool',
  },
  'deletion-not-blocked-by-children': {
    tags: '@parent-deletion',
    reason: 'the parent-deletion scenario deletes the workload cluster through its own API while workload2 runs on it and expects Deletion blocked (the delete step itself waits for it; measured: it sees Unpivoting)',
    expectStep: 'deletion is blocked|while the workload2 cluster still runs on it',
  },
  'parent-delete-leaves-infrastructure': {
    tags: '@parent-deletion',
    reason: 'the parent-deletion scenario deletes workload2 on its parent and waits for its resources to come back and its infrastructure to go',
    expectStep: 'hands its Cluster API resources back|infrastructure is gone',
  },
  // 2026-04: services (issue 14). Each runs at 2026-04 (its FAULTS.md section's version). The two Cedar
  // gates are mapped to the @cedar-gates scenarios (measured: caught); the others still name the
  // scenario of the shared features that exercises the same thing.
  'wildcard-permit-not-required': {
    tags: '@cedar-gates',
    reason: 'the cedar-gates scenario deploys catalog accepting any caller without the AllowWildcard permit and expects it Failed with Lattice\'s message',
    expectStep: 'catalog is Failed with',
  },
  'external-permit-not-required': {
    tags: '@cedar-gates',
    reason: 'the cedar-gates egress scenario deploys egress calling httpbin.org without an AccessExternalEndpoint permit and expects it Failed with Lattice\'s message',
    expectStep: 'egress is Failed with',
  },
  'security-override-not-gated': {
    tags: '@cedar-gates',
    reason: 'the cedar-gates outline deploys a root and a NET_ADMIN container without an OverrideSecurity permit and expects them Failed with Lattice\'s message',
    expectStep: 'is Failed with',
  },
  'allowed-consumers-ignored': {
    tags: '@cedar-gates',
    reason: 'the cedar-gates volume scenario deploys reader mounting library\'s volume without being an allowed consumer and expects it Failed',
    expectStep: 'reader is Failed with',
  },
  'restricted-defaults-missing': {
    tags: '@cedar-gates',
    reason: 'the cedar-gates defaults scenario reads plain\'s containers: non-root, read-only root filesystem, all capabilities dropped',
    expectStep: 'runs as a non-root user',
  },
  'waypoint-missing-with-externals': {
    tags: '@cedar-gates',
    reason: 'with the permit egress must reach httpbin.org; its call goes through the namespace waypoint, which Lattice must create before the ServiceEntries',
    expectStep: 'egress reaches https',
  },
  // 2026-04: upgrades. Only 2026-04 rolls nodes (1236706e controller.rs:1880-1973 rolls nothing), so
  // the upgrade scenario is @lattice-2026-04 and both faults act on the 2026-04 CAPI rollout (ff18178).
  'enforcement-open-during-roll': {
    tags: '@upgrade and @docker',
    reason: 'the upgrade scenario (2026-04) probes BLOCKED pairs while the CAPI rollout replaces nodes',
    expectStep: 'no forbidden connection gets through',
  },
  'upgrade-stalls': {
    tags: '@upgrade and @docker',
    reason: 'the upgrade scenario (2026-04) waits for every node Ready at the new version; the stalled rollout leaves one cordoned',
    expectStep: 'roll to the target version|Ready at the target version',
  },
  // 2026-04: access (issue 14). Runs at 2026-04: proxy-ignores-access-cluster in the @proxy-access
  // scenario (measured: caught at its 403 step); proxy-kubeconfig-lists-all-clusters where the
  // cedar-policies scenario reads /kubeconfig for a caller permitted on one cluster.
  'proxy-ignores-access-cluster': {
    tags: '@proxy-access',
    reason: 'the proxy-access scenario asks for the workload cluster\'s namespaces as a service account without an AccessCluster permit and expects 403',
    expectStep: 'refused with 403',
  },
  'proxy-kubeconfig-lists-all-clusters': {
    tags: '@cedar-policies',
    reason: 'the cedar-policies kubeconfig scenario asks /kubeconfig as a service account permitted on the workload cluster only and expects that one cluster',
    expectStep: 'kubeconfig lists the',
  },
  'forwarded-exec-output-dropped': {
    tags: '@proxy-access',
    reason: 'the two-hop proxy-access scenario runs a command in a pod of workload2 through the management cluster; its output is relayed by the workload cluster\'s agent and never comes back (listing pods and reading logs take another path and pass)',
    expectStep: 'a command it runs in the pod answers',
  },
  // 2026-04: admission (issue 16). features/admission.feature at 2026-04: the bad-specs table has a
  // cluster with 2 control-plane nodes; the parentConfig scenario changes the workload cluster's own copy.
  'even-control-plane-admitted': {
    tags: '@admission',
    reason: 'the admission bad-specs scenario creates a cluster with 2 control-plane nodes on the workload cluster and expects Lattice\'s refusal',
    expectStep: 'each is refused with',
  },
  'parent-config-mutable': {
    tags: '@admission',
    reason: 'the admission parentConfig scenario changes the workload cluster\'s parentConfig on its own copy and expects the immutability refusal',
    expectStep: 'the change is refused',
  },
});

/**
 * Versions whose every fault must have an entry (an unmapped one fails the matrix). Faults of the
 * other versions without an entry are "not yet mapped": listed by the matrix, run by nobody, and
 * they break no run (the coordinator maps them as their scenarios land).
 */
export const MAPPING_REQUIRED: ReadonlySet<string> = new Set(['2026-01', '2026-04']);

/** A fault as the coverage check sees it: a bare name counts as a fault whose mapping is required. */
type CoveredFault = string | { name: string; version: string };

/** Faults of the catalogue with no entry (`unmapped` fail, `notYetMapped` do not), and entries naming no catalogued fault. */
export function checkCoverage(catalogue: readonly CoveredFault[], map: Readonly<Record<string, FaultScenarios>> = FAULT_SCENARIOS): { unmapped: string[]; stale: string[]; notYetMapped: string[] } {
  const faults = catalogue.map((f) => (typeof f === 'string' ? { name: f, version: [...MAPPING_REQUIRED][0]! } : f));
  const known = new Set(faults.map((f) => f.name));
  const missing = faults.filter((f) => !Object.hasOwn(map, f.name));
  return {
    unmapped: missing.filter((f) => MAPPING_REQUIRED.has(f.version)).map((f) => f.name),
    stale: Object.keys(map).filter((f) => !known.has(f)),
    notYetMapped: missing.filter((f) => !MAPPING_REQUIRED.has(f.version)).map((f) => f.name),
  };
}

/** A fault run's tag expression: the fault's scenarios within the profile's. */
export function runTags(profileTags: string, faultTags: string): string {
  return `(${profileTags}) and (${faultTags})`;
}
