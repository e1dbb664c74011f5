/**
 * How one Lattice API version spells what the features speak of: the suite's support code asks a
 * `LatticeVersionSpelling` instead of knowing a version's field names, phases or object names.
 * Step definitions never see it. Adding a version = one folder under support/versions/ and its
 * fixtures (fixtures/<version>/), registered in support/versions/index.ts.
 */
import type { ServiceSpelling } from './service-spelling.js';

export const LATTICE_API_VERSIONS = ['2026-01', '2026-04'] as const;
export type LatticeApiVersion = (typeof LATTICE_API_VERSIONS)[number];

type Obj = Record<string, unknown>;

/** The cluster side: LatticeCluster shapes, phases, CAPI names, deletion and upgrades. */
export interface ClusterSpelling {
  /** Folder bare cluster fixture names (`docker-mgmt`) resolve against (absolute). */
  readonly fixturesDir: string;
  /** Folder of this version's JSON schemas (absolute). */
  readonly schemasDir: string;
  /**
   * Fields present in `manifest` that only this version's LatticeCluster has (e.g.
   * `spec.providerRef`); a fixture showing another version's fields is refused at start-up.
   */
  shapeFields(manifest: Obj): string[];
  /** Control-plane nodes the spec asks for. */
  controlPlane(spec: Obj): number;
  /** Worker nodes the spec asks for (at 2026-04 the sum of the pools' replicas). */
  workers(spec: Obj): number;
  /** A merge patch of `spec` that asks for `workers` workers in total, given the current spec. */
  scaleWorkersPatch(spec: Obj, workers: number): Obj;
  /** Human words for that patch, for logs: `spec.nodes.workers=2`. */
  describeScale(spec: Obj, workers: number): string;
  /** A copy of `manifest` asking for `controlPlane` control-plane nodes (refused-install scenario). */
  withControlPlane(manifest: Obj, controlPlane: number): Obj;
  /** Names of the MachineDeployments Lattice makes for the cluster, in `capi-<name>`. */
  machineDeploymentNames(name: string, spec: Obj): string[];
  /** Every phase a LatticeCluster can report. */
  readonly phases: readonly string[];
  /** The phase the parent's copy settles in once a child has pivoted (docs/LATTICE-2026-04.md §3.2). */
  readonly pivotedPhaseOnParent: string;
  /** Whether the parent's copy of a child being deleted reports a Deleting phase (§3.3). */
  readonly hasDeletingPhase: boolean;
  /** Whether raising spec.provider.kubernetes.version rolls the nodes (§3.4). */
  readonly upgradeRollsNodes: boolean;
  /** kind clusters `lattice install` / `uninstall` use; `runId` is the CLI's run id where it has one. */
  bootstrapClusterNames(runId: string): string[];
  /**
   * Environment `lattice install`/`uninstall` take at this version to name their kind cluster after
   * the run (2026-04: `LATTICE_RUN_ID`, the env of their `--run-id`); nothing at 2026-01.
   */
  cliRunEnv(runId: string): Record<string, string>;
  /** Whether the suite must create the InfraProvider a cluster's providerRef names (no: install and the pivot do). */
  readonly suiteCreatesInfraProvider: boolean;
}

/** How the suite reaches a child cluster's API from outside. */
export interface AccessSpelling {
  /**
   * `capi-secret`: the parent's `capi-<name>/<name>-kubeconfig` secret, read before the pivot;
   * `auth-proxy`: the management cluster's auth proxy (lattice-cell:8082) with a ServiceAccount
   * token the suite makes and an AccessCluster Cedar permit it applies (docs §7).
   */
  readonly childKubeconfig: 'capi-secret' | 'auth-proxy';
}

/** How the suite tells a management cluster's version from what it serves (docs §1). */
export interface DetectionSpelling {
  /** A CRD only this version serves, e.g. `infraproviders.lattice.dev`. */
  readonly decisiveCrd: string;
  /** A flag only this version's `lattice install --help` shows. */
  readonly installHelpFlag: string;
}

export interface LatticeVersionSpelling {
  readonly version: LatticeApiVersion;
  /** Upstream commit the version's facts were read at. */
  readonly upstream: string;
  readonly clusters: ClusterSpelling;
  readonly access: AccessSpelling;
  readonly detection: DetectionSpelling;
  readonly services: ServiceSpelling;
}
