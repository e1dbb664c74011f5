/**
 * The embedded target's source areas for `npm run mutants`: which files each mutates and which
 * scenarios can see a change in them. A mutant runs only its area's scenarios (ANDed with the
 * default profile's tags, so only the embedded Docker rows), so an area's list must hold every
 * default scenario that exercises its files: too narrow and a mutant survives that a wider run
 * would kill. Code that is harness, not Lattice, is not mutated at all (NOT_MUTATED).
 */

export interface Area {
  name: string;
  /** Stryker `mutate` globs, relative to the repository root; a leading `!` excludes. */
  files: readonly string[];
  /** Cucumber tag expression of the scenarios that exercise these files. */
  tags: string;
  /** Why these scenarios. */
  reason: string;
}

export const AREAS: readonly Area[] = Object.freeze([
  {
    name: 'services',
    files: ['sim/src/services/**/*.ts', 'sim/src/images/**/*.ts'],
    tags: '@mesh or @media or @upgrade',
    reason: 'the policy compiler and the data plane (compile, policy, proxy, controller, pods, workloads, images) run only where LatticeServices are deployed: '
      + 'the three mesh scenarios and the media stack, and the upgrade scenario (enforcement while nodes roll, services/upgrade.ts)',
  },
  {
    name: 'lifecycle',
    files: ['sim/src/lifecycle/**/*.ts', 'sim/src/cli/*.ts', '!sim/src/cli/sim-main.ts'],
    tags: '@independence or @pivot or @upgrade',
    reason: 'install, provisioning, pivot, unpivot, uninstall (pivot), scaling and self-management after the parent is gone (independence), '
      + 'the rolling upgrade (upgrade); the `lattice` CLI (sim/src/cli/ but lattice-sim\'s sim-main.ts) is how install and uninstall are reached. '
      + 'The mesh and media backgrounds provision the same way as independence, so they add time, not observations',
  },
  {
    name: 'apiserver',
    files: ['sim/src/apiserver/**/*.ts'],
    tags: '@independence or @media or @mesh or @pivot or @upgrade',
    reason: 'every scenario reaches the target through its Kubernetes API (get, list, watch, patch, exec, logs): all default scenarios',
  },
  {
    name: 'kinds',
    files: ['sim/src/kinds/**/*.ts', 'sim/src/versions/**/*.ts'],
    tags: '@independence or @media or @mesh or @pivot or @upgrade',
    reason: 'CRD schemas, validation and defaulting of LatticeCluster and LatticeService are used by every scenario: all default scenarios. '
      + 'sim/src/versions/ holds the per-API-version kinds, schemas and validation; the suite asks for 2026-01, so its 2026-04 half is reached by no default scenario until issue 14 adds them',
  },
]);

/** Target sources deliberately left out, with the reason (docs/MUTATION.md repeats these). */
export const NOT_MUTATED: Readonly<Record<string, string>> = Object.freeze({
  'sim/src/daemon/**': 'the daemon and its control surface play the Docker engine and the test harness plumbing, not Lattice',
  'sim/src/cli/sim-main.ts': '`lattice-sim` is the control CLI of the stand-in infrastructure, not Lattice',
  'sim/src/faults.ts': 'the switch of the seeded faults of sim/FAULTS.md, all off in a mutant run (`npm run faults` covers them)',
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

/** A mutant run's tag expression: the area's scenarios within the default profile's. */
export function mutantRunTags(profileTags: string, area: Area): string {
  return `(${profileTags}) and (${area.tags})`;
}
