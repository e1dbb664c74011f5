/**
 * `lattice` of the embedded target: `install` and `uninstall` with the upstream CLI's flags
 * (lattice-facts §3). The work runs in the lattice-sim daemon (started on demand); this process
 * streams its progress lines, writes the kubeconfig and exits non-zero on failure.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import * as yaml from 'js-yaml';
import { loadYamlBounded } from '../apiserver/yaml-bounded.js';
import { FAULTS, parseFaults } from '../faults.js';
import { call, ensureDaemon } from '../daemon/client.js';
import { daemonLog, simHome } from '../daemon/home.js';
import { DEFAULT_IMAGE } from '../lifecycle/names.js';
import { shapeOf } from '../lifecycle/spec.js';
import { helpText, parseFlags, UsageError, type CommandSpec } from './args.js';
import { checkPrivateFilePath, writePrivateFile } from './private-file.js';
import { API_VERSION_ENV, parseApiVersion, type ApiVersion } from '../versions/index.js';
import { installSpecV2026_04, validatePlan } from '../versions/v2026-04/cli.js';
import { LOGIN, LOGOUT, finishInstall, loginCommand, logoutCommand } from './access-commands.js';

const VERSION = '0.1.0-sim';

const COMMON = [
  { long: 'faults', value: 'FAULTS', env: 'LATTICE_SIM_FAULTS', help: 'Seeded regressions the target plays (embedded target only; see sim/FAULTS.md)' },
];

export const INSTALL: CommandSpec = {
  name: 'install',
  about: 'Install Lattice: create a management cluster from a LatticeCluster file and make it self-managing',
  usage: 'lattice install [OPTIONS] --file <FILE>',
  flags: [
    { long: 'file', short: 'f', value: 'FILE', required: true, help: 'Path to the LatticeCluster YAML of the management cluster' },
    { long: 'image', value: 'IMAGE', env: 'LATTICE_IMAGE', default: DEFAULT_IMAGE, help: 'Lattice operator image' },
    { long: 'registry-credentials-file', value: 'REGISTRY_CREDENTIALS_FILE', env: 'REGISTRY_CREDENTIALS_FILE', help: 'Docker config JSON with registry credentials' },
    { long: 'keep-bootstrap-on-failure', help: 'Keep the bootstrap cluster when the installation fails' },
    { long: 'bootstrap', value: 'BOOTSTRAP', possible: ['kubeadm', 'rke2'], help: 'Bootstrap provider (overrides the file)' },
    { long: 'dry-run', help: 'Show what would be done without doing it' },
    { long: 'kubeconfig-out', value: 'KUBECONFIG_OUT', help: 'Where to write the kubeconfig of the new cluster [default: /tmp/<name>-kubeconfig]' },
    ...COMMON,
  ],
};

export const UNINSTALL: CommandSpec = {
  name: 'uninstall',
  about: 'Uninstall Lattice: move the management cluster\'s CAPI resources to a temporary cluster and delete everything',
  usage: 'lattice uninstall [OPTIONS] --kubeconfig <KUBECONFIG>',
  flags: [
    { long: 'kubeconfig', short: 'k', value: 'KUBECONFIG', required: true, help: 'Kubeconfig of the cluster to uninstall' },
    { long: 'name', short: 'n', value: 'NAME', help: 'LatticeCluster to uninstall (needed when the cluster holds more than one)' },
    { long: 'yes', short: 'y', help: 'Do not ask for confirmation' },
    { long: 'keep-bootstrap-on-failure', help: 'Keep the temporary cluster when the uninstall fails' },
    ...COMMON,
  ],
};

/** The subcommands of the chosen version's CLI (b5d50e90 adds login and logout: cli/lib.rs:20-30). */
const commandsOf = (v: ApiVersion): CommandSpec[] => (v === '2026-04' ? [LOGIN, INSTALL, UNINSTALL, LOGOUT] : [INSTALL, UNINSTALL]);

const topHelp = (v: ApiVersion) => `Lattice CLI (embedded target ${VERSION})

Usage: lattice <COMMAND>

Commands:
${commandsOf(v).map((c) => `  ${c.name.padEnd(10)} ${c.about}`).join('\n')}
  help       Print this message or the help of the given subcommand(s)

Options:
  -h, --help     Print help
  -V, --version  Print version

Environment (embedded target): LATTICE_SIM_API_VERSION (2026-01 or 2026-04, default 2026-04), LATTICE_SIM_HOME, LATTICE_SIM_SPEED, LATTICE_SIM_FAULTS (${FAULTS.length} known faults)
`;

class CliError extends Error {}

/** The Lattice API version this `lattice` speaks, from LATTICE_SIM_API_VERSION (default 2026-04). */
function apiVersion(): ApiVersion {
  try { return parseApiVersion(process.env[API_VERSION_ENV]); } catch (e) { throw new CliError((e as Error).message); }
}

/** `lattice install` as the chosen version's CLI has it. */
const installSpec = (v: ApiVersion): CommandSpec => (v === '2026-04' ? installSpecV2026_04(INSTALL) : INSTALL);
/** b5d50e90's uninstall adds `--run-id` (env LATTICE_RUN_ID) after --keep-bootstrap-on-failure (uninstall.rs:41-59). */
const uninstallSpec = (v: ApiVersion): CommandSpec => (v === '2026-04'
  ? { ...UNINSTALL, flags: UNINSTALL.flags.flatMap((f) => (f.long === 'keep-bootstrap-on-failure'
    ? [f, { long: 'run-id', value: 'RUN_ID', env: 'LATTICE_RUN_ID', help: 'Run ID for this uninstall session (auto-generated if not provided)' }]
    : [f])) }
  : UNINSTALL);

function settings(flags: Record<string, unknown>): { faults?: string[]; speed?: number } {
  const out: { faults?: string[]; speed?: number } = {};
  if (typeof flags.faults === 'string') {
    try { out.faults = [...parseFaults(flags.faults)]; } catch (e) { throw new CliError((e as Error).message.replace('in LATTICE_SIM_FAULTS', 'in --faults/LATTICE_SIM_FAULTS')); }
  }
  if (process.env.LATTICE_SIM_SPEED) {
    const s = Number(process.env.LATTICE_SIM_SPEED);
    if (!(s > 0)) throw new CliError(`LATTICE_SIM_SPEED must be a positive number, got "${process.env.LATTICE_SIM_SPEED}"`);
    out.speed = s;
  }
  return out;
}

function readText(path: string, what: string): string {
  try { return readFileSync(path, 'utf8'); } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'No such file or directory (os error 2)' : err.code === 'EACCES' ? 'Permission denied (os error 13)' : err.code === 'EISDIR' ? 'Is a directory (os error 21)' : err.message;
    throw new CliError(`failed to read ${what} ${path}: ${reason}`);
  }
}

/** Runs a daemon job, printing its progress lines; resolves with the final `done` event. */
async function runJob(path: string, body: object): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const info = await ensureDaemon(simHome());
  let failure: string | undefined;
  const last = await call(info, path, {
    method: 'POST', body,
    onLine: (e) => {
      if (e.event === 'log') process.stdout.write(`${e.line}\n`);
      if (e.event === 'error') failure = e.message;
    },
  });
  if (failure) throw new CliError(failure);
  if (!last || last.event !== 'done') throw new CliError(`the lattice-sim daemon ended the job without a result; see its log ${daemonLog(info.home)}`);
  return last;
}

async function installCommand(argv: string[]): Promise<number> {
  const version = apiVersion();
  const flags = parseFlags(installSpec(version), argv);
  const file = String(flags.file);
  const text = readText(file, 'cluster config file');
  let doc: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try { doc = loadYamlBounded(text); } catch (e) { throw new CliError(`failed to parse cluster config ${file}: ${(e as Error).message.split('\n')[0]}`); }
  if (!doc || typeof doc !== 'object') throw new CliError(`failed to parse cluster config ${file}: not a YAML mapping`);
  if (doc.kind !== undefined && doc.kind !== 'LatticeCluster') throw new CliError(`cluster config ${file} is a ${doc.kind}, expected a LatticeCluster`);
  const name = doc.metadata?.name;
  if (!name || typeof name !== 'string') throw new CliError('cluster config has no metadata.name');
  const registryCredentials = typeof flags['registry-credentials-file'] === 'string' ? readText(flags['registry-credentials-file'], 'registry credentials file') : undefined;
  if (registryCredentials !== undefined) {
    try { JSON.parse(registryCredentials); } catch { throw new CliError(`registry credentials file ${flags['registry-credentials-file']} is not JSON (expected {"auths": {...}})`); }
  }
  // b5d50e90 has no default: without the flag the kubeconfigs stay in ~/.lattice (install.rs:117-118, :1776-1781).
  const out = typeof flags['kubeconfig-out'] === 'string' ? flags['kubeconfig-out'] : version === '2026-04' ? undefined : `/tmp/${name}-kubeconfig`;
  // Before any work: a path that cannot take the admin kubeconfig safely fails the install at once.
  try { if (out) checkPrivateFilePath(out); } catch (e) { throw new CliError((e as Error).message); }
  const sim = settings(flags);
  if (flags.validate) { process.stdout.write(validatePlan(name)); return 0; }
  if (flags['dry-run']) {
    const shape = shapeOf({ ...doc, spec: { ...(doc.spec ?? {}), provider: { ...(doc.spec?.provider ?? {}), kubernetes: { ...(doc.spec?.provider?.kubernetes ?? {}), ...(flags.bootstrap ? { bootstrap: flags.bootstrap } : {}) } } } });
    process.stdout.write([
      `Dry run: would install cluster "${name}"`,
      `  provider: ${shape.provider}, bootstrap: ${shape.bootstrap}, kubernetes ${shape.version}`,
      `  control plane: ${shape.controlPlane}, workers: ${shape.workers}, can have children: ${shape.parentConfig ? 'yes' : 'no'}`,
      `  image: ${flags.image}`,
      '  1. create bootstrap cluster "lattice-bootstrap"',
      '  2. install the Lattice operator and CAPI providers on it',
      `  3. apply the LatticeCluster and wait for "${name}" to be provisioned`,
      `  4. clusterctl init on "${name}", move the CAPI resources into it`,
      '  5. delete the bootstrap cluster',
      `  kubeconfig would be written to ${out}`,
      '',
    ].join('\n'));
    return 0;
  }
  const env = Object.fromEntries(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_SESSION_TOKEN', 'PROXMOX_URL', 'PROXMOX_TOKEN', 'PROXMOX_SECRET']
    .filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
  const done = await runJob('/v1/install', {
    manifest: text, image: flags.image, bootstrap: flags.bootstrap, keepBootstrapOnFailure: !!flags['keep-bootstrap-on-failure'],
    registryCredentials, env, runId: process.env.LATTICE_SIM_RUN_ID || undefined, apiVersion: version, latticeRunId: flags['run-id'], ...sim,
  });
  if (version === '2026-04') {
    try { await finishInstall({ rootKubeconfig: done.kubeconfig, adminToken: done.adminToken, proxyServer: done.proxyServer, kubeconfigOut: out }); } catch (e) { throw new CliError((e as Error).message); }
    return 0;
  }
  try { writePrivateFile(out!, done.kubeconfig); } catch (e) { throw new CliError((e as Error).message); }
  process.stdout.write(`Kubeconfig written to ${out}\n`);
  return 0;
}

/**
 * Upstream's prompt (uninstall.rs:405-433): the question on stdout, one line read from stdin whether
 * or not it is a terminal; only `y`/`Y` goes on, anything else (end of input too) is `Aborted`.
 */
async function confirm(lines: string[]): Promise<boolean> {
  process.stdout.write(lines.join('\n'));
  const rl = createInterface({ input: process.stdin, terminal: false });
  const answer = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  return answer.trim().toLowerCase() === 'y';
}

async function uninstallCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(uninstallSpec(apiVersion()), argv);
  const path = String(flags.kubeconfig);
  const kubeconfig = readText(path, 'kubeconfig');
  try {
    const doc = yaml.load(kubeconfig) as { clusters?: unknown };
    if (!doc || typeof doc !== 'object' || !Array.isArray(doc.clusters)) throw new Error('no clusters list');
  } catch (e) { throw new CliError(`invalid kubeconfig ${path}: ${(e as Error).message.split('\n')[0]}`); }
  if (!flags.yes) {
    const target = flags.name ? `cluster '${String(flags.name)}'` : 'the cluster';
    const ok = await confirm([`This will permanently delete ${target} and all its resources.`, '', 'Are you sure? [y/N] ']);
    // Not confirmed is not an error upstream: `Aborted` and exit 0.
    if (!ok) { process.stdout.write('Aborted\n'); return 0; }
  }
  await runJob('/v1/uninstall', { kubeconfig, name: flags.name, keepBootstrapOnFailure: !!flags['keep-bootstrap-on-failure'], latticeRunId: flags['run-id'], ...settings(flags) });
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (!cmd) { process.stderr.write(topHelp(apiVersion())); return 2; }
    if (cmd === '-h' || cmd === '--help' || (cmd === 'help' && rest.length === 0)) { process.stdout.write(topHelp(apiVersion())); return 0; }
    if (cmd === '-V' || cmd === '--version') { process.stdout.write(`lattice ${VERSION}\n`); return 0; }
    const commands = commandsOf(apiVersion());
    const spec = cmd === 'help' ? commands.find((s) => s.name === rest[0]) : commands.find((s) => s.name === cmd);
    if (cmd === 'help' || rest.includes('-h') || rest.includes('--help')) {
      if (!spec) throw new UsageError(`unrecognized subcommand '${rest[0]}'`, 'lattice <COMMAND>');
      process.stdout.write(helpText(spec === INSTALL ? installSpec(apiVersion()) : spec === UNINSTALL ? uninstallSpec(apiVersion()) : spec));
      return 0;
    }
    if (!spec) throw new UsageError(`unrecognized subcommand '${cmd}'`, 'lattice <COMMAND>');
    if (spec === LOGIN) return await loginCommand(rest);
    if (spec === LOGOUT) return logoutCommand(rest);
    return spec === INSTALL ? await installCommand(rest) : await uninstallCommand(rest);
  } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(e.render()); return 2; }
    process.stderr.write(`Error: ${(e as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
