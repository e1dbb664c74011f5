/**
 * Where the daemon leaves its address: `$LATTICE_SIM_HOME/daemon.json` (pid, port, token; mode
 * 0600), its log and its lock. Default home: /tmp/lattice-sim.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DaemonInfo {
  pid: number;
  port: number;
  url: string;
  token: string;
  home: string;
  startedAt: string;
  log: string;
}

export function simHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.LATTICE_SIM_HOME || '/tmp/lattice-sim';
}

export const daemonFile = (home: string) => join(home, 'daemon.json');
export const daemonLog = (home: string) => join(home, 'daemon.log');
export const daemonLock = (home: string) => join(home, 'daemon.lock');
export const workDir = (home: string) => join(home, 'clusters');

export function ensureHome(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
}

export function readDaemonInfo(home: string): DaemonInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(daemonFile(home), 'utf8')) as DaemonInfo;
    return typeof info.pid === 'number' && typeof info.port === 'number' && typeof info.token === 'string' ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Written atomically so a reader never sees half a file. */
export function writeDaemonInfo(info: DaemonInfo): void {
  ensureHome(info.home);
  const tmp = `${daemonFile(info.home)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, daemonFile(info.home));
}

/** Removes daemon.json only when it still describes this process. */
export function removeDaemonInfo(home: string, pid = process.pid): void {
  if (readDaemonInfo(home)?.pid === pid) rmSync(daemonFile(home), { force: true });
}

export function processAlive(pid: number): boolean {
  try { process.kill(pid, 0); } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
  // A zombie has exited; only its reaping is left, to whichever init adopted it (which may be slow).
  try { return !/^\S+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return true; }
}

/** Whether `pid` runs this project's daemon (guards signals against a reused pid). */
export function isDaemonProcess(pid: number): boolean {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('daemon/main.ts'); } catch { return false; }
}

/**
 * Clusters live in the daemon's memory; their folders (pod roots, volumes) mean nothing once the
 * daemon that made them is gone. Removed when a daemon starts (what a killed one left) and when it
 * stops, so a home holds one run's files at most (it kept ~85 entries per run, 11 MB after 30).
 */
export function pruneHome(home: string): void {
  rmSync(workDir(home), { recursive: true, force: true, maxRetries: 3 });
}

/** The daemon log is appended to by every daemon of the home: past `maxBytes` it moves to daemon.log.1. */
export function rotateLog(home: string, maxBytes = 1024 * 1024): void {
  try {
    if (statSync(daemonLog(home)).size > maxBytes) renameSync(daemonLog(home), `${daemonLog(home)}.1`);
  } catch { /* no log yet */ }
}
