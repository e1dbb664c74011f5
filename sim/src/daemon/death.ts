/**
 * A daemon that died without stopping (a V8 fatal error, a kill): an orderly stop removes
 * daemon.json, so a daemon.json whose process is gone means a death. It is kept as
 * `daemon.died.json` until a new daemon starts or `lattice-sim stop/clean`, so every command that
 * needs the daemon meanwhile says so in one line naming the log, instead of "not running" or an
 * empty cluster list.
 */
import { closeSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { daemonLog } from './home.js';

export const deathFile = (home: string) => join(home, 'daemon.died.json');

export interface DaemonDeath { pid: number; log: string; startedAt?: string; cause: string }

/** The last few KB of the log: enough for the fatal error and its stack, cheap for a big log. */
function logTail(log: string, bytes = 8192): string {
  try {
    const size = statSync(log).size;
    const fd = openSync(log, 'r');
    try {
      const buf = Buffer.alloc(Math.min(size, bytes));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      return buf.toString('utf8');
    } finally { closeSync(fd); }
  } catch { return ''; }
}

/**
 * What the log says killed the daemon, in one line: V8's "# Fatal error" block (its message is the
 * next `#` line), else the last line naming an error, else that it wrote nothing about it.
 */
export function causeFromLog(tail: string): string {
  const lines = tail.split('\n').map((l) => l.trim()).filter(Boolean);
  const fatal = lines.findIndex((l) => /^# Fatal error/.test(l));
  if (fatal >= 0) {
    const message = lines.slice(fatal + 1).find((l) => /^#\s*\S/.test(l) && !/^#\s*FailureMessage/.test(l));
    return `V8 fatal error: ${message ? message.replace(/^#\s*/, '') : lines[fatal].replace(/^#\s*/, '')}`;
  }
  const error = [...lines].reverse().find((l) => /fatal|error|uncaught|abort|segmentation/i.test(l));
  return error ? error.slice(0, 300) : 'nothing about it in the log (killed from outside?)';
}

export function deathNotice(d: DaemonDeath): string {
  return `the lattice-sim daemon (pid ${d.pid}) died unexpectedly (${d.cause}); see its log ${d.log}`;
}

/** Records the death of the daemon `info` describes (its daemon.json is removed by the caller). */
export function recordDeath(home: string, info: { pid: number; startedAt?: string; log?: string }): DaemonDeath {
  const log = info.log ?? daemonLog(home);
  const death: DaemonDeath = { pid: info.pid, log, startedAt: info.startedAt, cause: causeFromLog(logTail(log)) };
  try { writeFileSync(deathFile(home), JSON.stringify(death) + '\n', { mode: 0o600 }); } catch { /* home gone */ }
  return death;
}

export function readDeath(home: string): DaemonDeath | undefined {
  try {
    const d = JSON.parse(readFileSync(deathFile(home), 'utf8')) as DaemonDeath;
    return typeof d.pid === 'number' && typeof d.log === 'string' ? d : undefined;
  } catch { return undefined; }
}

export function clearDeath(home: string): void {
  rmSync(deathFile(home), { force: true });
}
