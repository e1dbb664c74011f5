/**
 * The embedded target's source areas for `npm run mutants`: which files each mutates, at which
 * Lattice API version its scenarios run, and which scenarios can see a change in them. A mutant
 * runs only its area's scenarios (ANDed with the default profile's tags at that version, so only
 * the embedded Docker rows of that version), so an area's list must hold every default scenario
 * that exercises its files: too narrow and a mutant survives that a wider run would kill. Code that
 * is harness, not Lattice, is not mutated at all (NOT_MUTATED).
 *
 * Code of one version (sim/src/versions/v2026-04/, and the 2026-01 compiler and CRDs) runs at that
 * version. Code both versions use (the data plane, the cluster lifecycle, the API server, the shared
 * kinds) runs at 2026-04: the default version, whose scenarios are those of 2026-01 plus the
 * 2026-04 ones (upgrade, admission, Cedar, proxy access, parent deletion, pivot moves), and the only
 * version that rolls nodes, so the roll code (services/upgrade.ts, lifecycle/upgrade.ts) is seen at
 * no other. Its 2026-01-only branches are then reached by no scenario of the run (docs/MUTATION.md).
 */

/** The Lattice API versions the suite speaks (support/versions/tag-filter.mjs VERSIONS; a unit test compares). */
export type AreaVersion = '2026-01' | '2026-04';

export interface Area {
  name: string;
  /** The Lattice API version the area's scenarios run at (LATTICE_VERSION of the mutant's run). */
  version: AreaVersion;
  /** Stryker `mutate` globs, relative to the repository root; a leading `!` excludes. */
  files: readonly string[];
  /** Cucumber tag expression of the scenarios that exercise these files (at `version`). */
  tags: string;
  /** Why these scenarios. */
  reason: string;
}

/** Every default-profile scenario at 2026-01 (no @lattice-2026-04 one runs there). */
const ALL_2026_01 = '@independence or @media or @mesh or @pivot';
/** Every default-profile scenario at 2026-04. */
const ALL_2026_04 = `${ALL_2026_01} or @upgrade or @admission or @cedar-gates or @cedar-policies or @parent-deletion or @proxy-access`;
/** Where LatticeServices are deployed at 2026-04, or Cedar decides over them. */
const SERVICES_2026_04 = '@mesh or @media or @upgrade or @cedar-gates or @cedar-policies';
/** Where clusters are installed, pivoted, scaled, rolled or deleted at 2026-04. */
const LIFECYCLE_2026_04 = '@independence or @pivot or @upgrade or @parent-deletion';

const V04 = 'sim/src/versions/v2026-04';

export const AREAS: readonly Area[] = Object.freeze([
  {
    name: 'services-2026-01',
    version: '2026-01',
    files: ['sim/src/services/compile.ts', 'sim/src/services/controller.ts', 'sim/src/services/model.ts'],
    tags: '@mesh or @media',
    reason: 'the 2026-01 policy compiler (LatticeService → Deployments, Cilium and Istio policies) and its model of the 2026-01 LatticeService and '
      + 'LatticeExternalService (model.ts: validation, endpoints, directions) run only on a cluster that serves LatticeExternalService '
      + '(services/index.ts speaks2026_01); at 2026-01 LatticeServices are deployed only by the mesh scenarios and the media stack (the upgrade scenario is 2026-04 only)',
  },
  {
    name: 'kinds-2026-01',
    version: '2026-01',
    files: ['sim/src/kinds/lattice.ts'],
    tags: ALL_2026_01,
    reason: 'the 2026-01 LatticeCluster and LatticeService CRDs, schemas and defaults (kinds/index.ts picks them for 2026-01 only): '
      + 'every 2026-01 scenario creates LatticeClusters or LatticeServices',
  },
  {
    name: 'dataplane',
    version: '2026-04',
    files: ['sim/src/services/**/*.ts', '!sim/src/services/compile.ts', '!sim/src/services/controller.ts', '!sim/src/services/model.ts', '!sim/src/services/faults-2026-04.ts'],
    tags: SERVICES_2026_04,
    reason: 'the data plane both versions share (enforcement decision, proxy, pods, workloads, sandbox, node rolls under services): at 2026-04 it serves the mesh '
      + 'and media scenarios, the Cedar-gated services (cedar-gates, cedar-policies) and the upgrade (enforcement while nodes roll, which 2026-01 never does)',
  },
  {
    name: 'services-2026-04',
    version: '2026-04',
    files: [`${V04}/services/**/*.ts`, `${V04}/cedar/**/*.ts`],
    tags: `${SERVICES_2026_04} or @admission or @proxy-access`,
    reason: 'the 2026-04 policy compiler (LatticeService and LatticeMeshMember → workloads and ambient policies, security gates) and Cedar (policy set, evaluation, '
      + 'CedarPolicy status): every scenario deploying services, admission (a LatticeService refused at creation, services/validation.ts), '
      + 'and proxy access (Cedar decides which service account reaches a child cluster)',
  },
  {
    name: 'lifecycle',
    version: '2026-04',
    files: ['sim/src/lifecycle/**/*.ts', 'sim/src/cli/*.ts', '!sim/src/cli/sim-main.ts', '!sim/src/cli/access-commands.ts', '!sim/src/cli/lattice-dir.ts', '!sim/src/cli/proxy-fetch.ts', 'sim/src/versions/index.ts'],
    tags: LIFECYCLE_2026_04,
    reason: 'the cluster lifecycle both versions share: install, provisioning, pivot, unpivot, uninstall (pivot), scaling and self-management after the parent is gone '
      + '(independence), the rolling upgrade (upgrade; 2026-04 only), pivot moves and deletion from the parent; the `lattice` CLI (sim/src/cli/ but lattice-sim and the '
      + '2026-04 access commands) is how install and uninstall are reached. The mesh and media backgrounds provision the same way as independence: time, not observations',
  },
  {
    name: 'lifecycle-2026-04',
    version: '2026-04',
    files: [`${V04}/lifecycle/**/*.ts`, `${V04}/infra-provider.ts`, `${V04}/cluster-schema.ts`, `${V04}/cluster-validation.ts`, `${V04}/cli.ts`],
    tags: `${LIFECYCLE_2026_04} or @admission`,
    reason: 'the 2026-04 cluster lifecycle: worker pools, Ready and Pivoted, deletion and its Deleting phase, the version roll, InfraProvider, bootstrap names, install --validate, '
      + 'and the LatticeCluster schema and its admission (admission: an even control plane, equal parent ports, a parent configuration changed)',
  },
  {
    name: 'access-2026-04',
    version: '2026-04',
    files: [`${V04}/proxy/**/*.ts`, 'sim/src/cli/access-commands.ts', 'sim/src/cli/lattice-dir.ts', 'sim/src/cli/proxy-fetch.ts'],
    tags: ALL_2026_04,
    reason: 'the 2026-04 auth proxy of each cell, its kubeconfigs and `lattice login`/`logout` with ~/.lattice: at 2026-04 the suite reaches every child cluster through '
      + 'its parent\'s auth proxy (support/versions/v2026-04 access: auth-proxy), so every scenario with a workload cluster passes it; proxy-access and cedar-policies state its rules',
  },
  {
    name: 'apiserver',
    version: '2026-04',
    files: ['sim/src/apiserver/**/*.ts'],
    tags: ALL_2026_04,
    reason: 'every scenario reaches the target through its Kubernetes API (get, list, watch, patch, exec, logs): all default scenarios of the default version',
  },
  {
    name: 'kinds',
    version: '2026-04',
    files: ['sim/src/kinds/core.ts', 'sim/src/kinds/crds.ts', 'sim/src/kinds/index.ts', 'sim/src/kinds/validate.ts', `${V04}/kinds.ts`],
    tags: ALL_2026_04,
    reason: 'the kinds both versions register (Kubernetes core, CAPI, mesh), the schema checker both versions\' Lattice schemas use (validate.ts; admission states '
      + 'its refusals at 2026-04) and the 2026-04 kind list: every scenario creates clusters and objects of these kinds',
  },
]);

/** Target sources deliberately left out, with the reason (docs/MUTATION.md repeats these). */
export const NOT_MUTATED: Readonly<Record<string, string>> = Object.freeze({
  'sim/src/daemon/**': 'the daemon and its control surface play the Docker engine and the test harness plumbing, not Lattice',
  'sim/src/cli/sim-main.ts': '`lattice-sim` is the control CLI of the stand-in infrastructure, not Lattice',
  'sim/src/faults.ts': 'the switch of the seeded faults of sim/FAULTS.md, all off in a mutant run (`npm run faults` covers them)',
  'sim/src/services/faults-2026-04.ts': 'the same switch as the 2026-04 service controller reads it',
  'sim/src/images/**': 'what the scenarios\' container images (nginx, the mesh servers) answer: the workload a user deploys, not Lattice; a change breaks a fixture, not a promise',
  'sim/src/clock.ts': 'the simulation speed: a change makes the target slower or faster, which no Lattice promise fixes',
});

export class AreaError extends Error {}

export function areaNamed(name: string, areas: readonly Area[] = AREAS): Area {
  const area = areas.find((a) => a.name === name);
  if (!area) throw new AreaError(`unknown area "${name}"; use one of ${areas.map((a) => a.name).join(', ')}`);
  return area;
}

/** Minimal glob matching for the patterns used above (`**` any folders, `*` within one name). */
export function globMatches(glob: string, path: string): boolean {
  const parts = glob.split('/');
  const re = parts.map((part, i) => (part === '**' ? (i === parts.length - 1 ? '.*' : '(?:.*/)?') : `${part.split('*').map(escapeRe).join('[^/]*')}${i === parts.length - 1 ? '' : '/'}`)).join('');
  return new RegExp(`^${re}$`).test(path);
}

const escapeRe = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** The area a target source file belongs to, or undefined when no area mutates it. */
export function areaOf(file: string, areas: readonly Area[] = AREAS): Area | undefined {
  const path = file.replace(/^\.\//, '');
  return areas.find((a) => inArea(a, path));
}

/** Whether an area mutates `path`: some glob matches and no `!` glob does. */
export function inArea(area: Area, path: string): boolean {
  const excluded = area.files.some((g) => g.startsWith('!') && globMatches(g.slice(1), path));
  return !excluded && area.files.some((g) => !g.startsWith('!') && globMatches(g, path));
}

/** A mutant run's tag expression: the area's scenarios within the default profile's (at the area's version). */
export function mutantRunTags(profileTags: string, area: Area): string {
  return `(${profileTags}) and (${area.tags})`;
}

/** What a mutant run adds to its environment for its area: the Lattice API version the suite speaks and asks the target for. */
export function mutantRunVersionEnv(area: Area): { LATTICE_VERSION: AreaVersion } {
  return { LATTICE_VERSION: area.version };
}
