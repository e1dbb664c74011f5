/**
 * What a run leaves on disk and in the process table, and how the next run finds what a killed
 * one left. Each run marks its work folder with an owner file (`.lattice-run.json`: run id, pid);
 * processes it starts carry `LATTICE_E2E_OWNER_RUN=<runId>` in their environment. A later run
 * looks at the sibling folders of its own work folder (`.tmp/runs/` by default): an owner whose
 * pid is gone, or now names another process (pid reuse: its start time differs), is a dead run;
 * its marked processes are killed and its kubeconfigs removed.
 */
import { existsSync, readdirSync, readFileSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const OWNER_FILE = '.lattice-run.json';
/** Environment variable marking every process a run starts (CLI calls, the target's daemon). */
export const OWNER_ENV = 'LATTICE_E2E_OWNER_RUN';

export interface RunOwner {
  runId: string;
  pid: number;
  startedAt: string;
  /** The owner process's start time in clock ticks since boot (/proc/<pid>/stat field 22): its identity. */
  pidStart?: string;
  /** The run kept its resources (LATTICE_E2E_KEEP). */
  kept?: boolean;
}

export interface DeadRun extends RunOwner { dir: string }

/** Marks the work folder as this run's (mode 0600; it names no secret). */
export function claimWorkDir(workDir: string, owner: RunOwner): void {
  writeFileSync(join(workDir, OWNER_FILE), `${JSON.stringify(withIdentity(owner))}\n`, { mode: 0o600 });
}

/** The owner with its process's start time, when it is this process and the start time is known. */
export function withIdentity(owner: RunOwner): RunOwner {
  if (owner.pidStart !== undefined || owner.pid !== process.pid) return owner;
  const pidStart = processStartTicks(process.pid);
  return pidStart === undefined ? owner : { ...owner, pidStart };
}

export function readOwner(dir: string): RunOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as RunOwner;
    return typeof o.runId === 'string' && Number.isInteger(o.pid) ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Records that the run kept its resources, so a later sweep says so when it removes them. */
export function markKept(workDir: string): void {
  const o = readOwner(workDir);
  if (o) claimWorkDir(workDir, { ...o, kept: true });
}

export function processAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number, procDir: string): string[] | undefined {
  try {
    const s = readFileSync(join(procDir, String(pid), 'stat'), 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch { return undefined; }
}

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); undefined off Linux. */
export function processStartTicks(pid: number, procDir = '/proc'): string | undefined {
  return statFields(pid, procDir)?.[19];
}

/** When a process started (ms since the epoch), from its start ticks and the boot time; undefined off Linux. */
export function processStartedAtMs(pid: number, procDir = '/proc'): number | undefined {
  const ticks = processStartTicks(pid, procDir);
  let btime: number | undefined;
  try { btime = Number(/^btime (\d+)$/m.exec(readFileSync(join(procDir, 'stat'), 'utf8'))?.[1]); } catch { /* not Linux */ }
  // USER_HZ is 100 on every Linux the suite runs on (sysconf(_SC_CLK_TCK)).
  return ticks === undefined || !btime ? undefined : btime * 1000 + Number(ticks) * 10;
}

/**
 * Whether the run that wrote `owner` is still running: its pid is alive, not a zombie, and still
 * the same process. Identity is the recorded start time; an owner file from before start times
 * were recorded counts as dead when its pid's process started after the run did (pid reuse).
 */
export function runAlive(owner: RunOwner, procDir = '/proc'): boolean {
  if (!processAlive(owner.pid)) return false;
  const fields = statFields(owner.pid, procDir);
  if (!fields) return true; // no /proc: liveness is all there is
  if (fields[0] === 'Z') return false;
  if (owner.pidStart !== undefined) return fields[19] === owner.pidStart;
  const started = processStartedAtMs(owner.pid, procDir);
  const claimed = Date.parse(owner.startedAt);
  // Two seconds of slack for clock-tick rounding and a clock step.
  return started === undefined || Number.isNaN(claimed) || started <= claimed + 2_000;
}

/** Owner-marked sibling folders of `workDir` (and itself) whose run is no longer alive or kept them. */
export function findDeadRuns(workRoot: string, selfRunId: string, alive: (owner: RunOwner) => boolean = (o) => runAlive(o)): DeadRun[] {
  let names: string[];
  try { names = readdirSync(workRoot); } catch { return []; }
  const dead: DeadRun[] = [];
  for (const name of names.sort()) {
    const dir = join(workRoot, name);
    try { if (!statSync(dir).isDirectory()) continue; } catch { continue; }
    const owner = readOwner(dir);
    if (!owner || owner.runId === selfRunId) continue;
    if (!owner.kept && alive(owner)) continue;
    dead.push({ ...owner, dir });
  }
  return dead;
}

/**
 * Work folders of runs from before owner files existed: folders directly under the default work
 * root (`<repo>/.tmp/runs`) named like a run id, holding nothing but kubeconfigs, untouched for
 * `olderThanMs`. Only ever applied to the default root, where every folder is the suite's.
 */
export function findUnmarkedRunDirs(workRoot: string, selfRunId: string, olderThanMs = 3_600_000, now = Date.now()): DeadRun[] {
  let names: string[];
  try { names = readdirSync(workRoot); } catch { return []; }
  const found: DeadRun[] = [];
  for (const name of names.sort()) {
    if (name === selfRunId || !/^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]?$/.test(name)) continue;
    const dir = join(workRoot, name);
    try {
      const st = statSync(dir);
      if (!st.isDirectory() || now - st.mtimeMs < olderThanMs || existsSync(join(dir, OWNER_FILE))) continue;
      const files = readdirSync(dir);
      if (!files.every((f) => isSuiteFile(f))) continue;
      found.push({ runId: name, pid: 0, startedAt: new Date(st.mtimeMs).toISOString(), dir });
    } catch { continue; }
  }
  return found;
}

/** Files the suite writes into a work folder: kubeconfigs (`<name>.kubeconfig`, `<name>-kubeconfig`) and the owner file. */
export function isSuiteFile(name: string): boolean {
  return name === OWNER_FILE || name.endsWith('.kubeconfig') || name.endsWith('-kubeconfig');
}

/**
 * Removes what the suite wrote into a work folder and the folder when nothing else is left in it
 * (a folder the user pointed LATTICE_E2E_WORK_DIR at keeps their own files). One line per removal.
 */
export function removeRunFiles(workDir: string): string[] {
  if (!existsSync(workDir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(workDir).sort()) {
    if (!isSuiteFile(name)) continue;
    rmSync(join(workDir, name), { force: true });
    if (name !== OWNER_FILE) removed.push(`removed ${join(workDir, name)}`);
  }
  try {
    if (readdirSync(workDir).length === 0) { rmdirSync(workDir); removed.push(`removed folder ${workDir}`); }
  } catch { /* not empty or already gone */ }
  return removed;
}

export interface MarkedProcess { pid: number; runId: string; command: string }

/** Processes whose environment carries `LATTICE_E2E_OWNER_RUN=<one of runIds>` (Linux /proc; elsewhere none). */
export function findMarkedProcesses(runIds: readonly string[], procDir = '/proc'): MarkedProcess[] {
  if (runIds.length === 0) return [];
  let entries: string[];
  try { entries = readdirSync(procDir); } catch { return []; }
  const wanted = new Map(runIds.map((id) => [`${OWNER_ENV}=${id}`, id]));
  const found: MarkedProcess[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    let environ: string;
    try { environ = readFileSync(join(procDir, e, 'environ'), 'latin1'); } catch { continue; }
    for (const entry of environ.split('\0')) {
      const id = wanted.get(entry);
      if (!id) continue;
      let command = '?';
      try { command = readFileSync(join(procDir, e, 'cmdline'), 'latin1').split('\0').filter(Boolean).slice(0, 3).join(' ').slice(0, 120); } catch { /* gone */ }
      found.push({ pid: Number(e), runId: id, command });
      break;
    }
  }
  return found;
}

/** SIGKILLs the processes; one line per process that was still there. */
export function killMarkedProcesses(procs: MarkedProcess[]): string[] {
  const lines: string[] = [];
  for (const p of procs) {
    try { process.kill(p.pid, 'SIGKILL'); lines.push(`killed process ${p.pid} (${p.command}) of run ${p.runId}`); } catch { /* already gone */ }
  }
  return lines;
}
