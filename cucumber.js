// Cucumber profiles. `default` runs every feature against the embedded Lattice target with the
// Docker examples; real-environment profiles pick a provider's examples and the real `lattice` CLI.
const reports = [
  'html:reports/cucumber.html',
  'json:reports/cucumber.json',
  'junit:reports/cucumber.xml',
  'message:reports/cucumber.ndjson',
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
