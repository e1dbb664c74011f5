/**
 * What a finished run left behind: embedded clusters still listed by its target, its daemon still
 * running, processes still living in its folders (the probes' `sh`, pods, the daemon), files under
 * its work dir. The readers touch /proc and the target's CLI; the matching and wording are pure.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { repoRoot } from './cucumber-run.js';

export interface ProcessInfo { pid: number; comm: string; cwd: string; root: string; cmdline: string }

export interface Leftovers {
  clusters: string[];
  /** The daemon's pid when it still runs. */
  daemon?: number;
  processes: ProcessInfo[];
  /** Paths relative to the work dir. */
  files: string[];
  /** Checks that could not be made (counted as leftovers: unknown is not clean). */
  errors: string[];
}

const inside = (path: string, dir: string) => {
  const d = dir.length > 1 && dir.endsWith(sep) ? dir.slice(0, -1) : dir;
  return path === d || path.startsWith(d + sep);
};

/** Processes living in `dir` (cwd or root inside it), the caller's own pid excluded. */
export function processesIn(procs: readonly ProcessInfo[], dir: string, self = process.pid): ProcessInfo[] {
  return procs.filter((p) => p.pid !== self && (inside(p.cwd, dir) || inside(p.root, dir)));
}

/** Work-dir files that count as left over (a `reports/` folder there is the run's output). */
export function leftoverFiles(paths: readonly string[]): string[] {
  return paths.filter((p) => p !== 'reports' && !p.startsWith(`reports${sep}`)).sort();
}

export function isClean(l: Leftovers): boolean {
  return l.clusters.length === 0 && l.daemon === undefined && l.processes.length === 0 && l.files.length === 0 && l.errors.length === 0;
}

export function describeLeftovers(l: Leftovers, maxItems = 5): string {
  if (isClean(l)) return 'none';
  const list = (xs: readonly string[]) => xs.slice(0, maxItems).join(', ') + (xs.length > maxItems ? `, +${xs.length - maxItems} more` : '');
  const parts: string[] = [];
  if (l.clusters.length) parts.push(`${l.clusters.length} cluster(s): ${list(l.clusters)}`);
  if (l.daemon !== undefined) parts.push(`daemon still running (pid ${l.daemon})`);
  if (l.processes.length) {
    const sh = l.processes.filter((p) => p.comm === 'sh').length;
    parts.push(`${l.processes.length} process(es)${sh ? ` (${sh} sh probe/pod)` : ''}: ${list(l.processes.map((p) => `${p.pid} ${p.comm}`))}`);
  }
  if (l.files.length) parts.push(`${l.files.length} file(s) in the work dir: ${list(l.files)}`);
  if (l.errors.length) parts.push(`unchecked: ${list(l.errors)}`);
  return parts.join('; ');
}

// ---- readers -------------------------------------------------------------------------------

function simCli(args: string[], simHome: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LATTICE_SIM_HOME: simHome };
  delete env.LATTICE_SIM_FAULTS;
  return new Promise((resolve) => {
    execFile(join(repoRoot, 'sim', 'bin', 'lattice-sim'), args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function listProcesses(): Promise<ProcessInfo[]> {
  const out: ProcessInfo[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const base = `/proc/${name}`;
    try {
      const [comm, cwd, root, cmdline] = await Promise.all([
        readFile(`${base}/comm`, 'utf8'), readlink(`${base}/cwd`), readlink(`${base}/root`), readFile(`${base}/cmdline`, 'utf8'),
      ]);
      out.push({ pid: Number(name), comm: comm.trim(), cwd, root, cmdline: cmdline.replace(/\0/g, ' ').trim() });
    } catch { /* gone meanwhile, or not ours to read */ }
  }
  return out;
}

async function walk(dir: string, base = dir): Promise<string[]> {
  let entries;
  try { entries = await readdir(dir, { withFileTypes: true }); } catch { return []; }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const inner = await walk(p, base);
      out.push(...(inner.length ? inner : [`${relative(base, p)}${sep}`]));
    } else out.push(relative(base, p));
  }
  return out;
}

export async function findLeftovers(run: { dir: string; simHome: string; workDir: string }): Promise<Leftovers> {
  const errors: string[] = [];
  let clusters: string[] = [];
  const list = await simCli(['list', '--json'], run.simHome);
  if (list.code === 0) {
    try { clusters = (JSON.parse(list.stdout) as Array<{ name: string; state?: string }>).map((c) => (c.state ? `${c.name} (${c.state})` : c.name)); } catch { errors.push(`lattice-sim list --json: not JSON: ${list.stdout.slice(0, 80)}`); }
  } else errors.push(`lattice-sim list --json exited ${list.code}: ${list.stderr.trim().split('\n').at(-1) ?? ''}`);
  let daemon: number | undefined;
  const status = await simCli(['status', '--json'], run.simHome);
  if (status.code === 0) {
    try { daemon = Number((JSON.parse(status.stdout) as { pid?: number }).pid ?? -1); } catch { daemon = -1; }
  } else if (status.code !== 3) errors.push(`lattice-sim status exited ${status.code}`);
  const processes = processesIn(await listProcesses(), run.dir);
  const files = leftoverFiles(await walk(run.workDir));
  return { clusters, ...(daemon !== undefined ? { daemon } : {}), processes, files, errors };
}
