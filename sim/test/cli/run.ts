/** Runs the target's `lattice` and `lattice-sim` wrappers as a user would, with a private LATTICE_SIM_HOME. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIM = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const LATTICE_BIN = join(SIM, 'bin/lattice');
export const LATTICE_SIM_BIN = join(SIM, 'bin/lattice-sim');

export interface RunResult { code: number; stdout: string; stderr: string }

export interface SimEnv { home: string; dir: string; env: NodeJS.ProcessEnv; dispose(): Promise<void> }

/** A private home and scratch folder; dispose stops the daemon (if any) and removes both. */
export function newSimEnv(extra: NodeJS.ProcessEnv = {}): SimEnv {
  const dir = mkdtempSync(join(tmpdir(), 'lattice-sim-cli-'));
  const home = join(dir, 'home');
  const env: NodeJS.ProcessEnv = { ...process.env, LATTICE_SIM_HOME: home, LATTICE_SIM_FAULTS: '', LATTICE_SIM_API_VERSION: '2026-01', ...extra };
  delete env.NODE_OPTIONS;
  return {
    home, dir, env,
    async dispose() {
      await run(LATTICE_SIM_BIN, ['stop'], { env });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function run(bin: string, args: string[], o: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; input?: string }): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(bin, args, { env: o.env, cwd: o.cwd ?? tmpdir(), timeout: o.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (o.input !== undefined) child.stdin?.end(o.input); else child.stdin?.end();
  });
}

export function daemonPid(home: string): number | undefined {
  try { return JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8')).pid; } catch { return undefined; }
}

export function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Resolves once the process is gone; rejects naming it after the timeout. */
export async function waitForExit(pid: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
