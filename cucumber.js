// Cucumber profiles. `default` runs every feature against the embedded Lattice target with the
// Docker examples; real-environment profiles pick a provider's examples and the real `lattice` CLI.
// LATTICE_E2E_REPORTS_DIR keeps parallel runs' reports apart (the hooks write run.log and diagnostics there too).
const dir = process.env.LATTICE_E2E_REPORTS_DIR?.trim() || 'reports';
const reports = [
  `html:${dir}/cucumber.html`,
  `json:${dir}/cucumber.json`,
  `junit:${dir}/cucumber.xml`,
  `message:${dir}/cucumber.ndjson`,
];

const base = {
  paths: ['features/**/*.feature'],
  import: ['support/cucumber/**/*.ts', 'step-definitions/**/*.ts'],
  loader: ['ts-node/esm'],
  format: [...reports, 'summary'],
  formatOptions: { snippetInterface: 'async-await' },
  strict: true,
};

const profile = (tags, extra = {}) => ({ ...base, tags, ...extra });

export default profile('not @wip and not @aws and not @openstack and not @proxmox');
export const ci = profile('not @wip and not @aws and not @openstack and not @proxmox', { format: [...reports, 'progress'] });
const allProviders = profile('not @wip');
export { allProviders as 'all-providers' };
export const docker = profile('not @wip and @docker or (not @wip and not @aws and not @openstack and not @proxmox and not @docker)');
export const aws = profile('not @wip and not @destroys-infrastructure and not @docker and not @openstack and not @proxmox');
export const openstack = profile('not @wip and not @destroys-infrastructure and not @docker and not @aws and not @proxmox');
export const proxmox = profile('not @wip and not @destroys-infrastructure and not @docker and not @aws and not @openstack');
