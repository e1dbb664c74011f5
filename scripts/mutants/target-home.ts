/**
 * The embedded target's home during `npm run mutants`: where each sandbox's runs live, and how a
 * daemon is stopped so the next mutant never talks to the previous one's.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../faults/cucumber-run.js';

/** Stryker's switch of the active mutant (static activation of its command runner). */
export const ACTIVE_MUTANT_ENV = '__STRYKER_ACTIVE_MUTANT__';
/** Folder of the per-sandbox run folders and of runs.ndjson, set by `npm run mutants`. */
export const RUNS_DIR_ENV = 'LATTICE_MUTANTS_RUNS_DIR';
/** The random mesh's seed in every mutant run: a survivor must not depend on a lucky draw. */
export const RUN_SEED = 20260101;

const STOP_LIMIT_MS = 60_000;

async function daemonPid(home: string): Promise<number | undefined> {
  try {
    const info = JSON.parse(await readFile(join(home, 'daemon.json'), 'utf8')) as { pid?: unknown };
    return typeof info.pid === 'number' ? info.pid : undefined;
  } catch { return undefined; }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/**
 * Stops the daemon of `home` and every cluster it hosts. The `lattice-sim` doing it runs without
 * the active mutant (the sandbox's sources with every mutant switched off are the original code).
 * When the daemon still runs afterwards, it is killed: a live one would serve the next mutant.
 */
export async function stopSimHome(home: string, root = repoRoot): Promise<{ problem?: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LATTICE_SIM_HOME: home };
  delete env[ACTIVE_MUTANT_ENV];
  delete env.LATTICE_SIM_FAULTS;
  const pid = await daemonPid(home);
  const answer = await new Promise<string | undefined>((resolve) => {
    execFile(join(root, 'sim', 'bin', 'lattice-sim'), ['stop'], { env, timeout: STOP_LIMIT_MS }, (err, _out, stderr) => {
      resolve(err ? `lattice-sim stop failed: ${String(stderr).trim().split('\n').pop() || err.message}` : undefined);
    });
  });
  if (pid !== undefined && alive(pid)) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
    return { problem: `${answer ?? 'lattice-sim stop returned'} but daemon ${pid} of ${home} still ran; killed it` };
  }
  return answer ? { problem: answer } : {};
}
