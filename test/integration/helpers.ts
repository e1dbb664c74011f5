/**
 * Real runs of the suite for the integration tests: `node scripts/e2e.mjs` in its own process
 * group (as a terminal would start it), with an isolated embedded-target home, work folder and
 * reports folder, and the process-table and target checks the tests assert on.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SIM = join(REPO, 'sim', 'bin', 'lattice-sim');

export interface Sandbox { dir: string; home: string; reports: string; workRoot: string }

/** A scratch folder for one test; removed (and its target stopped) afterwards, also on failure. */
export function sandbox(t: { after: (fn: () => void | Promise<void>) => void }, name: string): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), `lattice-it-${name}-`));
  const box = { dir, home: join(dir, 'sim'), reports: join(dir, 'reports'), workRoot: join(dir, 'runs') };
  t.after(() => {
    sim(box.home, ['stop']);
    rmSync(dir, { recursive: true, force: true });
  });
  return box;
}

export interface SuiteRun {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Signals the whole process group, as Ctrl-C in a terminal does. */
  signalGroup(sig: NodeJS.Signals): void;
}

export function startSuite(t: { after: (fn: () => void | Promise<void>) => void }, args: string[], env: Record<string, string>): SuiteRun {
  const child = spawn(process.execPath, [join(REPO, 'scripts', 'e2e.mjs'), ...args], {
    cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    // These tests judge the wrapper and the hooks, not a version: they keep 2026-01's scenarios unless told.
    env: { ...process.env, LATTICE_SIM_SPEED: process.env.LATTICE_SIM_SPEED ?? '1', LATTICE_VERSION: '2026-01', ...env },
  });
  let out = ''; let err = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { err += d; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  const signalGroup = (sig: NodeJS.Signals) => { try { process.kill(-child.pid!, sig); } catch { /* gone */ } };
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) { signalGroup('SIGKILL'); await exited; }
  });
  return { child, out: () => out, err: () => err, exited, signalGroup };
}

/** Runs the target's control CLI against a home; never starts its daemon for status/list/stop. */
export function sim(home: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(SIM, args, { env: { ...process.env, LATTICE_SIM_HOME: home }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function simClusters(home: string): string[] {
  const r = sim(home, ['list', '--json']);
  return (JSON.parse(r.stdout || '[]') as Array<{ name: string }>).map((c) => c.name);
}

export { waitUntil } from '../helpers/wait-until.js';

export interface Proc { pid: number; ppid: number; start: string; comm: string; /** R, S, D, Z... as /proc reports it. */ state: string }

export function readStat(pid: string): Proc | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    return { pid: Number(pid), ppid: Number(f[1]), start: f[19]!, comm, state: f[0]! };
  } catch { return undefined; }
}

/** Every process below `root` (its children, their children...). */
export function descendants(root: number): Proc[] {
  const all = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(readStat).filter((p): p is Proc => !!p);
  const out: Proc[] = [];
  let frontier = [root];
  while (frontier.length) {
    const kids = all.filter((p) => frontier.includes(p.ppid));
    out.push(...kids);
    frontier = kids.map((k) => k.pid);
  }
  return out;
}

/**
 * The processes of `procs` still running (same pid and start time). A zombie has exited: only its
 * reaping is left, to an init process the tests do not control.
 */
export function stillRunning(procs: Proc[]): Proc[] {
  return procs.filter((p) => { const now = readStat(String(p.pid)); return now?.start === p.start && now.state !== 'Z'; });
}

export function daemonPid(home: string): number | undefined {
  const r = sim(home, ['status', '--json']);
  if (r.code !== 0) return undefined;
  return (JSON.parse(r.stdout) as { pid: number }).pid;
}

export function readJson(path: string): unknown { return JSON.parse(readFileSync(path, 'utf8')); }

export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String).map((f) => join(dir, f)).filter((f) => { try { return readFileSync(f) !== undefined; } catch { return false; } });
}

/** Whether a process runs a pod of one of `services` (the target sets HOSTNAME to the pod's name). */
export function runsPodOf(pid: number, services: readonly string[]): boolean {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    return env.some((e) => services.some((s) => e.startsWith(`HOSTNAME=${s}-`)));
  } catch { return false; }
}
