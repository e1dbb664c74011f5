/**
 * `lattice-sim`: the embedded target's control surface from a shell. It talks to the daemon named
 * in `$LATTICE_SIM_HOME/daemon.json`; only `start` starts one.
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { call, daemonDeath, ensureDaemon, findDaemon, stopDaemon, takeDaemonDeath, DaemonError } from '../daemon/client.js';
import { deathNotice } from '../daemon/death.js';
import { simHome } from '../daemon/home.js';
import { parseFaults } from '../faults.js';
import { UsageError } from './args.js';

const HELP = `lattice-sim: control surface of the embedded Lattice target

Usage: lattice-sim <COMMAND> [ARGS]

Commands:
  status [--json]                     Whether the daemon runs (exit 3 when it does not)
  start                               Start the daemon (the CLI starts it on demand anyway)
  list [--json]                       Clusters: name, provider, bootstrap, API port, parent, state
  kubeconfig <cluster> [--out FILE]   Admin kubeconfig of a Docker/kind cluster (docker exec ... cat admin.conf)
  destroy <cluster>                   Remove a cluster's infrastructure at once (docker rm -f); children live on
  sweep [--run-id ID | --name N... | --all]
                                      Destroy the clusters of a run (label lattice-acceptance/run-id), by name, or all;
                                      bare: the run in LATTICE_SIM_RUN_ID, else all
  faults [NAMES|--clear]              Show or set the seeded faults (comma-separated)
  stop                                Stop the daemon and every cluster it hosts
  clean                               Stop, then remove $LATTICE_SIM_HOME

Environment: LATTICE_SIM_HOME (default /tmp/lattice-sim), LATTICE_SIM_SPEED, LATTICE_SIM_FAULTS
`;

function takeFlag(args: string[], name: string, withValue: boolean): string | boolean | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  if (!withValue) { args.splice(i, 1); return true; }
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`a value is required for '${name}' but none was supplied`, 'lattice-sim <COMMAND> [ARGS]');
  args.splice(i, 2);
  return v;
}

function onlyArgs(args: string[], count: number, usage: string): string[] {
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) throw new UsageError(`unexpected argument '${unknown}' found`, usage);
  if (args.length !== count) throw new UsageError(args.length < count ? 'a required argument was not provided' : `unexpected argument '${args[count]}' found`, usage);
  return args;
}

/** One line when the home's daemon died without stopping (death.ts), else undefined. */
function died(): string | undefined {
  const death = daemonDeath(simHome());
  return death ? deathNotice(death) : undefined;
}

async function running() {
  const info = await findDaemon(simHome());
  if (!info) throw new DaemonError(died() ?? `the lattice-sim daemon is not running (LATTICE_SIM_HOME=${simHome()})`);
  return info;
}

const warn = (line: string | undefined) => { if (line) process.stderr.write(`lattice-sim: ${line}\n`); };

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case undefined: process.stderr.write(HELP); return 2;
    case '-h': case '--help': case 'help': out(HELP); return 0;
    case 'status': {
      const json = !!takeFlag(args, '--json', false);
      onlyArgs(args, 0, 'lattice-sim status [--json]');
      const info = await findDaemon(simHome());
      if (!info) {
        warn(died());
        out(json ? JSON.stringify({ running: false, home: simHome() }) : `not running (LATTICE_SIM_HOME=${simHome()})`);
        return 3;
      }
      const s = await call(info, '/v1/status');
      out(json ? JSON.stringify({ running: true, home: simHome(), port: info.port, ...s })
        : `running: pid ${s.pid}, control surface 127.0.0.1:${info.port}, ${s.clusters} cluster(s), faults: ${s.faults.join(',') || 'none'}, speed ${s.speed}`);
      return 0;
    }
    case 'start': {
      onlyArgs(args, 0, 'lattice-sim start');
      const info = await ensureDaemon(simHome());
      out(`running: pid ${info.pid}, control surface 127.0.0.1:${info.port}`);
      return 0;
    }
    case 'list': {
      const json = !!takeFlag(args, '--json', false);
      onlyArgs(args, 0, 'lattice-sim list [--json]');
      const info = await findDaemon(simHome());
      const death = info ? undefined : died();
      if (death) throw new DaemonError(death); // its clusters died with it: not "no clusters"
      const clusters = info ? (await call(info, '/v1/clusters')).clusters : [];
      if (json) { out(JSON.stringify(clusters)); return 0; }
      const rows: string[][] = [['NAME', 'PROVIDER', 'BOOTSTRAP', 'PORT', 'PARENT', 'STATE', 'MACHINES'],
        ...clusters.map((c: any) => [c.name, c.provider, c.bootstrap, c.port ?? '-', c.parent ?? '-', c.state, c.machines]) // eslint-disable-line @typescript-eslint/no-explicit-any
      ].map((r: unknown[]) => r.map(String));
      const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
      out(rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('   ').trimEnd()).join('\n'));
      return 0;
    }
    case 'kubeconfig': {
      const file = takeFlag(args, '--out', true);
      const [name] = onlyArgs(args, 1, 'lattice-sim kubeconfig <cluster> [--out FILE]');
      const text = await call(await running(), `/v1/clusters/${encodeURIComponent(name)}/kubeconfig`);
      if (typeof file === 'string') { writeFileSync(file, text, { mode: 0o600 }); chmodSync(file, 0o600); out(file); } else process.stdout.write(text);
      return 0;
    }
    case 'destroy': {
      const [name] = onlyArgs(args, 1, 'lattice-sim destroy <cluster>');
      await call(await running(), `/v1/clusters/${encodeURIComponent(name)}`, { method: 'DELETE' });
      out(`destroyed ${name}`);
      return 0;
    }
    case 'sweep': {
      const runId = takeFlag(args, '--run-id', true);
      const all = !!takeFlag(args, '--all', false);
      const names: string[] = [];
      for (let n = takeFlag(args, '--name', true); n; n = takeFlag(args, '--name', true)) names.push(String(n));
      onlyArgs(args, 0, 'lattice-sim sweep [--run-id ID | --name N... | --all]');
      // Bare `sweep`: the run named by LATTICE_SIM_RUN_ID, else everything.
      const defaultRun = !runId && !all && names.length === 0 ? process.env.LATTICE_SIM_RUN_ID || undefined : undefined;
      const sweepAll = all || (!runId && !defaultRun && names.length === 0);
      const info = await findDaemon(simHome());
      if (!info) { warn(died()); return 0; } // nothing runs, nothing to sweep
      const res = await call(info, '/v1/sweep', { method: 'POST', body: { runId: runId || defaultRun, names, all: sweepAll } });
      for (const line of res.removed) out(`removed ${line}`);
      return 0;
    }
    case 'faults': {
      const clear = !!takeFlag(args, '--clear', false);
      if (args.length > 1) throw new UsageError(`unexpected argument '${args[1]}' found`, 'lattice-sim faults [NAMES|--clear]');
      const info = await running();
      if (clear || args[0]) {
        const names = clear ? [] : [...parseFaults(args[0])];
        const res = await call(info, '/v1/faults', { method: 'PUT', body: { faults: names } });
        out(res.faults.join(',') || 'none');
      } else {
        out((await call(info, '/v1/faults')).faults.join(',') || 'none');
      }
      return 0;
    }
    case 'stop': {
      onlyArgs(args, 0, 'lattice-sim stop');
      warn(takeDaemonDeath(simHome()));
      const pid = await stopDaemon(simHome());
      out(pid ? `stopped daemon (pid ${pid})` : 'not running');
      return 0;
    }
    case 'clean': {
      onlyArgs(args, 0, 'lattice-sim clean');
      warn(takeDaemonDeath(simHome()));
      await stopDaemon(simHome());
      rmSync(simHome(), { recursive: true, force: true });
      out(`removed ${simHome()}`);
      return 0;
    }
    default:
      throw new UsageError(`unrecognized subcommand '${cmd}'`, 'lattice-sim <COMMAND> [ARGS]');
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) { process.stderr.write(e.render()); process.exitCode = 2; }
  else { process.stderr.write(`Error: ${(e as Error).message}\n`); process.exitCode = 1; }
}
