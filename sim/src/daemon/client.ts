/**
 * Reaching the daemon from the CLIs: find it through daemon.json, start it on demand (detached,
 * one starter at a time through a lock file), and call its JSON and NDJSON endpoints.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, rmSync, statSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { daemonFile, daemonLock, daemonLog, ensureHome, isDaemonProcess, processAlive, readDaemonInfo, rotateLog, type DaemonInfo } from './home.js';
import { clearDeath, deathNotice, readDeath, recordDeath, type DaemonDeath } from './death.js';

export class DaemonError extends Error {}

const REGISTER = fileURLToPath(new URL('../../bin/register.mjs', import.meta.url));
const DAEMON_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What call() needs; with pid and home (a DaemonInfo) a dead daemon is named instead of a socket error. */
type Target = Pick<DaemonInfo, 'port' | 'token'> & Partial<Pick<DaemonInfo, 'pid' | 'home' | 'log' | 'startedAt'>>;

/** Turns the daemon.json of a dead daemon into its recorded death (death.ts). */
function noteDeath(home: string, info: { pid: number; startedAt?: string; log?: string }): DaemonDeath {
  const death = recordDeath(home, info);
  if (readDaemonInfo(home)?.pid === info.pid) rmSync(daemonFile(home), { force: true });
  return death;
}

/** The recorded death of `home`'s daemon, if its last one died (a stale daemon.json is recorded first). */
export function daemonDeath(home: string): DaemonDeath | undefined {
  const info = readDaemonInfo(home);
  if (info && !processAlive(info.pid)) noteDeath(home, info);
  return readDeath(home);
}

/** Forgets a recorded death (stop/clean): returns its one-line notice, if there was one. */
export function takeDaemonDeath(home: string): string | undefined {
  const death = daemonDeath(home);
  clearDeath(home);
  return death ? deathNotice(death) : undefined;
}

/**
 * A connection to the daemon broke: when its process is gone (its exit may lag the closed socket by
 * a moment: up to 2 s), the one-line death notice; undefined while it still runs.
 */
async function deathBehind(target: Target): Promise<string | undefined> {
  if (target.pid === undefined || target.home === undefined) return undefined;
  const deadline = Date.now() + 2000;
  while (processAlive(target.pid)) {
    if (Date.now() > deadline) return undefined;
    await pause(50);
  }
  // An orderly stop removes daemon.json before the process exits: then this was no death.
  if (readDaemonInfo(target.home)?.pid !== target.pid) return undefined;
  return deathNotice(noteDeath(target.home, { pid: target.pid, startedAt: target.startedAt, log: target.log }));
}

interface CallOptions { method?: string; body?: unknown; timeoutMs?: number; onLine?: (o: any) => void } // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * One HTTP call; JSON answer (or text for non-JSON answers). Rejects with DaemonError on non-2xx,
 * and with the death notice when the daemon died under the call (a broken connection, or an NDJSON
 * stream that ended because its process did).
 */
export function call(info: Target, path: string, o: CallOptions = {}): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolvePromise, rejectPromise) => {
    let settled = false;
    const resolve = (v: unknown) => { if (!settled) { settled = true; resolvePromise(v); } };
    const reject = (e: unknown) => { if (!settled) { settled = true; rejectPromise(e); } };
    const broken = (e: unknown) => {
      if (e instanceof DaemonError) { reject(e); return; }
      void deathBehind(info).then((notice) => reject(notice ? new DaemonError(notice) : e), () => reject(e));
    };
    const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
    const req = request({
      host: '127.0.0.1', port: info.port, path, method: o.method ?? 'GET',
      headers: { Authorization: `Bearer ${info.token}`, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}) },
    }, (res) => {
      const type = String(res.headers['content-type'] ?? '');
      if (type.startsWith('application/x-ndjson') && o.onLine) {
        let buf = '';
        let last: unknown;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i).trim();
            buf = buf.slice(i + 1);
            if (!line) continue;
            try { last = JSON.parse(line); o.onLine!(last); } catch { /* ignore partial garbage */ }
          }
        });
        res.on('end', () => {
          if (info.pid === undefined || processAlive(info.pid)) { resolve(last); return; }
          void deathBehind(info).then((notice) => (notice ? reject(new DaemonError(notice)) : resolve(last)), () => resolve(last));
        });
        res.on('error', broken);
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: any = text; // eslint-disable-line @typescript-eslint/no-explicit-any
        if (type.startsWith('application/json')) { try { parsed = JSON.parse(text); } catch { /* keep text */ } }
        if ((res.statusCode ?? 500) >= 300) reject(new DaemonError(typeof parsed === 'object' && parsed?.error ? parsed.error : `daemon answered ${res.statusCode}`));
        else resolve(parsed);
      });
      res.on('error', broken);
    });
    if (o.timeoutMs) req.setTimeout(o.timeoutMs, () => req.destroy(new DaemonError(`daemon did not answer ${path} within ${o.timeoutMs} ms`)));
    req.on('error', broken);
    if (payload) req.write(payload);
    req.end();
  });
}

/** The running daemon of `home`, or undefined (the daemon.json of a dead one becomes its recorded death). */
export async function findDaemon(home: string): Promise<DaemonInfo | undefined> {
  const info = readDaemonInfo(home);
  if (!info) return undefined;
  if (!processAlive(info.pid)) { noteDeath(home, info); return undefined; }
  try {
    await call(info, '/v1/status', { timeoutMs: 3000 });
    return info;
  } catch {
    return undefined;
  }
}

function tryLock(home: string): boolean {
  try { closeSync(openSync(daemonLock(home), 'wx', 0o600)); return true; } catch { /* held */ }
  try {
    if (Date.now() - statSync(daemonLock(home)).mtimeMs > 60_000) rmSync(daemonLock(home), { force: true });
  } catch { /* gone meanwhile */ }
  return false;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The running daemon, started first when there is none. */
export async function ensureDaemon(home: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<DaemonInfo> {
  ensureHome(home);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const running = await findDaemon(home);
    if (running) return running;
    if (!tryLock(home)) { await pause(100); continue; }
    try {
      const again = await findDaemon(home);
      if (again) return again;
      return await spawnDaemon(home, env, deadline);
    } finally {
      rmSync(daemonLock(home), { force: true });
    }
  }
  throw new DaemonError(`the lattice-sim daemon did not start within ${timeoutMs / 1000}s (log: ${daemonLog(home)})`);
}

async function spawnDaemon(home: string, env: NodeJS.ProcessEnv, deadline: number): Promise<DaemonInfo> {
  const previous = readDeath(home);
  if (previous) process.stderr.write(`lattice-sim: ${deathNotice(previous)}; starting a new daemon\n`);
  clearDeath(home);
  rotateLog(home);
  const out = openSync(daemonLog(home), 'a', 0o600);
  const child = spawn(process.execPath, ['--no-warnings', '--import', REGISTER, DAEMON_MAIN], {
    detached: true, stdio: ['ignore', out, out], cwd: PROJECT_ROOT, env: { ...env, LATTICE_SIM_HOME: home },
  });
  closeSync(out);
  let exited: number | null = null;
  child.once('exit', (code) => { exited = code ?? 1; });
  child.unref();
  while (Date.now() < deadline) {
    if (exited !== null) {
      const tail = (() => { try { return readFileSync(daemonLog(home), 'utf8').trim().split('\n').slice(-5).join('\n'); } catch { return ''; } })();
      throw new DaemonError(`the lattice-sim daemon exited with code ${exited} while starting${tail ? `:\n${tail}` : ''}`);
    }
    const info = readDaemonInfo(home);
    if (info && info.pid === child.pid) {
      try { await call(info, '/v1/status', { timeoutMs: 3000 }); return info; } catch { /* not yet */ }
    }
    await pause(50);
  }
  child.kill('SIGTERM');
  throw new DaemonError(`the lattice-sim daemon did not write ${daemonFile(home)} in time (log: ${daemonLog(home)})`);
}

/** Asks the daemon to stop and waits for its process to end (SIGTERM, then SIGKILL as a last resort). */
export async function stopDaemon(home: string, timeoutMs = 15_000): Promise<number | undefined> {
  const info = readDaemonInfo(home);
  if (!info || !processAlive(info.pid)) { rmSync(daemonFile(home), { force: true }); return undefined; }
  const signal = (sig: NodeJS.Signals) => { if (isDaemonProcess(info.pid)) { try { process.kill(info.pid, sig); } catch { /* gone */ } } };
  try { await call(info, '/v1/stop', { method: 'POST', timeoutMs: 3000 }); } catch { signal('SIGTERM'); }
  const deadline = Date.now() + timeoutMs;
  while (processAlive(info.pid) && Date.now() < deadline) await pause(50);
  if (processAlive(info.pid)) signal('SIGKILL');
  rmSync(daemonFile(home), { force: true });
  return info.pid;
}
