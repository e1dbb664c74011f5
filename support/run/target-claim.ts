/**
 * One run at a time per target. Runs on one machine share what they drive: the embedded target's
 * home (one daemon, the same cluster names) or, for a real run, the Docker engine and the cloud
 * accounts under the suite's fixed cluster names. A run's start-up sweep removes whatever is left
 * there, which is right after a killed run and fatal to a live one. So a run claims its target
 * first (a file created exclusively) and a second run refuses, naming the first, while the
 * claimant is alive; a dead claimant's claim is taken over (and its leftovers swept).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SuiteError } from '../errors.js';
import { runAlive, withIdentity, type RunOwner } from './leftovers.js';

export class TargetBusyError extends SuiteError {}

function readClaim(path: string): RunOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as RunOwner;
    return typeof o.runId === 'string' && Number.isInteger(o.pid) ? o : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Claims the target for `owner`, or returns the live run holding it. A claim whose run is dead
 * (or unreadable) is replaced; two runs starting together cannot both win (exclusive create).
 */
export function claimTarget(path: string, owner: RunOwner, alive: (o: RunOwner) => boolean = (o) => runAlive(o)): RunOwner | undefined {
  const text = `${JSON.stringify(withIdentity(owner))}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
      return undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readClaim(path);
    if (holder?.runId === owner.runId) return undefined;
    if (holder && alive(holder)) return holder;
    rmSync(path, { force: true });
  }
  const holder = readClaim(path);
  return holder ?? { runId: 'unknown', pid: 0, startedAt: '?' };
}

/** Gives the claim up, if it is still `runId`'s. */
export function releaseTarget(path: string, runId: string): void {
  if (readClaim(path)?.runId === runId) rmSync(path, { force: true });
}

/** The one line a second run stops with. */
export function busyError(holder: RunOwner, what: string, fix: string): TargetBusyError {
  return new TargetBusyError(`${what} is in use by run ${holder.runId} (pid ${holder.pid}, started ${holder.startedAt}), which is still running`, fix);
}
