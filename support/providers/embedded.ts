/**
 * The embedded Lattice target seen as infrastructure. The suite reaches it only as it would reach
 * a real environment: Docker-style clusters through the target's control surface (`lattice-sim`,
 * the equivalent of reading admin.conf out of a control-plane container and of `docker rm -f`),
 * cloud-style clusters through the parent's CAPI secret captured before the pivot.
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { SuiteError, WaitTimeoutError } from '../errors.js';
import { openCluster } from '../kube/index.js';
import { KubeconfigCapture } from './cloud-capture.js';
import type { ClusterRef, Provider } from './types.js';

export class EmbeddedTargetError extends SuiteError {}

export interface EmbeddedProviderOptions {
  /** Path of the target's control CLI (`sim/bin/lattice-sim`). */
  simCli: string;
  /** Folder for kubeconfigs (the run's work dir). */
  workDir: string;
  /** Environment for the control CLI (LATTICE_SIM_HOME etc.). */
  env?: NodeJS.ProcessEnv;
  /** Poll period of the cloud-style kubeconfig capture. */
  captureIntervalMs: number;
  log?: (line: string) => void;
}

interface SimClusterInfo { name: string; provider?: string; parent?: string; state?: string; machineNames?: string[] }

export class EmbeddedProvider implements Provider {
  readonly name = 'embedded';
  readonly canDestroyInfrastructure = true;
  private readonly captures = new Map<string, KubeconfigCapture>();

  constructor(private readonly opts: EmbeddedProviderOptions) {}

  private async sim(args: string[], timeoutMs = 60_000): Promise<string> {
    try {
      const res = await execa(this.opts.simCli, args, { env: { ...process.env, ...this.opts.env }, timeout: timeoutMs, reject: true });
      return res.stdout;
    } catch (err) {
      const e = err as { code?: string; exitCode?: number; stderr?: string; timedOut?: boolean; shortMessage?: string };
      if (e.code === 'ENOENT') throw new EmbeddedTargetError(`embedded target control CLI not found at ${this.opts.simCli}`, 'run from a checkout with sim/ present, or set LATTICE_TARGET=real');
      if (e.timedOut) throw new EmbeddedTargetError(`lattice-sim ${args.join(' ')} timed out after ${timeoutMs / 1000}s`);
      const tail = (e.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
      throw new EmbeddedTargetError(`lattice-sim ${args.join(' ')} failed (exit ${e.exitCode ?? '?'}): ${tail || e.shortMessage}`);
    }
  }

  beginCapture(cluster: ClusterRef, signal?: AbortSignal): void {
    if (cluster.provider === 'docker' || !cluster.parentKubeconfig || this.captures.has(cluster.name)) return;
    const capture = new KubeconfigCapture({
      parent: openCluster(cluster.parentKubeconfig),
      cluster: cluster.name,
      path: join(this.opts.workDir, `${cluster.name}.kubeconfig`),
      intervalMs: this.opts.captureIntervalMs,
      signal,
      log: this.opts.log,
    }).start();
    this.captures.set(cluster.name, capture);
  }

  async kubeconfigFor(cluster: ClusterRef): Promise<string> {
    const capture = this.captures.get(cluster.name);
    if (capture) {
      try { return await capture.result; } finally { this.captures.delete(cluster.name); }
    }
    if (cluster.provider !== 'docker' && cluster.parentKubeconfig) {
      throw new EmbeddedTargetError(`no kubeconfig capture was started for ${cluster.name} (${cluster.provider})`, 'call beginCapture when the child is created, before it pivots');
    }
    const out = join(this.opts.workDir, `${cluster.name}.kubeconfig`);
    await this.sim(['kubeconfig', cluster.name, '--out', out]);
    return out;
  }

  async destroyInfrastructure(cluster: ClusterRef): Promise<void> {
    // Already gone (e.g. its parent tore it down) is what destruction wants anyway.
    if (!(await this.listClusters()).some((c) => c.name === cluster.name)) return;
    await this.sim(['destroy', cluster.name]);
  }

  async listClusters(): Promise<SimClusterInfo[]> {
    const out = await this.sim(['list', '--json']);
    try {
      const parsed = JSON.parse(out) as SimClusterInfo[] | { clusters: SimClusterInfo[] };
      return Array.isArray(parsed) ? parsed : parsed.clusters;
    } catch {
      throw new EmbeddedTargetError(`lattice-sim list --json printed something that is not JSON: ${out.slice(0, 80)}`);
    }
  }

  async infrastructureGone(cluster: ClusterRef, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'not checked';
    // The control surface has no watch; poll it briefly (it answers from memory).
    for (;;) {
      const clusters = await this.listClusters();
      const mine = clusters.find((c) => c.name === cluster.name);
      if (!mine) return;
      // Machines the target still runs for it, named (a parent's stale CAPI copy may leave workers).
      last = `${cluster.name} still present (${mine.state ?? '?'}; machines: ${mine.machineNames?.join(', ') || 'none'})`;
      if (Date.now() >= deadline) throw new WaitTimeoutError(`infrastructure of ${cluster.name} on the embedded target`, 'gone', last, timeoutMs);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async sweep(target: { runId?: string; names?: string[] }): Promise<string[]> {
    const args = ['sweep'];
    if (target.runId) args.push('--run-id', target.runId);
    for (const n of target.names ?? []) args.push('--name', n);
    const out = await this.sim(args);
    return out.split('\n').map((l) => l.trim()).filter(Boolean);
  }

  /**
   * What an earlier run left in the target's home: a daemon still running means a run died (or
   * kept its clusters). Removes every cluster in the home and stops the daemon, so this run starts
   * from a clean target without inheriting faults or speed; one line per thing removed.
   */
  async sweepStale(): Promise<string[]> {
    const status = await execa(this.opts.simCli, ['status', '--json'], { env: { ...process.env, ...this.opts.env }, timeout: 60_000, reject: false });
    if (status.exitCode === 3) return [];
    if (status.exitCode !== 0) throw new EmbeddedTargetError(`lattice-sim status failed (exit ${status.exitCode ?? '?'}): ${String(status.stderr).trim().split('\n').slice(-1)[0] ?? ''}`);
    let pid = '?';
    try { pid = String((JSON.parse(String(status.stdout)) as { pid?: number }).pid ?? '?'); } catch { /* keep ? */ }
    const lines = (await this.sim(['sweep', '--all'])).split('\n').map((l) => l.trim()).filter(Boolean);
    await this.sim(['stop']);
    lines.push(`stopped the embedded target's daemon (pid ${pid}) in ${this.opts.env?.LATTICE_SIM_HOME ?? 'its default home'}`);
    return lines;
  }

  /** Stops the target's background process (when the run started it and nothing is kept). */
  async stop(): Promise<void> { await this.sim(['stop']); }
}
