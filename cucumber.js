// Cucumber profiles. `default` runs every feature against the embedded Lattice target with the
// Docker examples; real-environment profiles pick a provider's examples and the real `lattice` CLI.
// LATTICE_E2E_REPORTS_DIR keeps parallel runs' reports apart (the hooks write run.log and diagnostics there too).
import { randomInt } from 'node:crypto';
import { basename } from 'node:path';
import { checkArgs } from './support/cucumber/cli-guard.mjs';
import { withVersionFilter } from './support/versions/tag-filter.mjs';

const dir = process.env.LATTICE_E2E_REPORTS_DIR?.trim() || 'reports';

// One random-mesh seed per run, chosen before anything reads it, so the console, the JUnit suite
// name and every random mesh of the run name the same seed (re-run with it to get the same meshes).
if (!process.env.LATTICE_RANDOM_MESH_SEED?.trim()) {
  process.env.LATTICE_RANDOM_MESH_SEED = String(randomInt(0, 2 ** 32 - 1));
}
const target = process.env.LATTICE_TARGET?.trim() === 'real' ? 'real' : 'embedded';

// The console shows steps as they run (support/cucumber/live-console.ts); the html report renders
// the run's identity at its top (support/cucumber/html-report.ts).
const reports = [
  `./support/cucumber/html-report.ts:${dir}/cucumber.html`,
  `json:${dir}/cucumber.json`,
  `junit:${dir}/cucumber.xml`,
  `message:${dir}/cucumber.ndjson`,
];

const base = {
  paths: ['features/**/*.feature'],
  import: ['support/cucumber/**/*.ts', 'step-definitions/**/*.ts'],
  loader: ['ts-node/esm'],
  format: [...reports, './support/cucumber/live-console.ts'],
  formatOptions: {
    snippetInterface: 'async-await',
    junit: { suiteName: `lattice-acceptance (${target} target, seed ${process.env.LATTICE_RANDOM_MESH_SEED})` },
  },
  strict: true,
};

// worldParameters.profile lets the hooks check the profile's own prerequisites (support/cucumber/profile.ts).
// Every profile leaves out the scenarios of other Lattice API versions (@lattice-<version>; LATTICE_VERSION).
const profile = (name, tags, extra = {}) => ({ ...base, tags: withVersionFilter(tags), worldParameters: { profile: name }, ...extra });

const profiles = {
  default: profile('default', 'not @wip and not @aws and not @openstack and not @proxmox'),
  ci: profile('ci', 'not @wip and not @aws and not @openstack and not @proxmox', { format: [...reports, 'progress'] }),
  'all-providers': profile('all-providers', 'not @wip'),
  docker: profile('docker', 'not @wip and @docker or (not @wip and not @aws and not @openstack and not @proxmox and not @docker)'),
  aws: profile('aws', 'not @wip and not @destroys-infrastructure and not @docker and not @openstack and not @proxmox'),
  openstack: profile('openstack', 'not @wip and not @destroys-infrastructure and not @docker and not @aws and not @proxmox'),
  proxmox: profile('proxmox', 'not @wip and not @destroys-infrastructure and not @docker and not @aws and not @openstack'),
};

// A bare `npx cucumber-js` gets the wrapper's one-line refusals (Cucumber would print a stack).
if (/^cucumber(-js|\.js)?$/.test(basename(process.argv[1] ?? ''))) {
  const problems = checkArgs(process.argv.slice(2), Object.keys(profiles));
  if (problems.length) {
    process.stderr.write(`lattice-acceptance: ${problems[0]}\n`);
    process.exit(2);
  }
}

export default profiles.default;
export const { ci, docker, aws, openstack, proxmox } = profiles;
const allProviders = profiles['all-providers'];
export { allProviders as 'all-providers' };
