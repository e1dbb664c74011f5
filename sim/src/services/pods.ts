/**
 * The kubelet's container side: runs each started pod's container (a host shell for `sh -c`
 * containers, the image behaviour otherwise), keeps its log bounded, restarts crashed shells, and
 * serves logs and exec for the API server (PodRuntimeHooks).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ExecOutput, ExecRequest, LogFollow, PodLogOptions, PodRuntimeHooks } from '../apiserver/hooks.js';
import { StoreError, type KubeObject } from '../apiserver/types.js';
import { simulate } from '../clock.js';
import { faultOn } from '../faults.js';
import { scriptedServer, startupLog, type ScriptedServer } from '../images/index.js';
import { NAME_LABEL } from './model.js';
import { VOLUME_OWNER_LABEL } from './compile.js';
import { killGroup, spawnInSandbox, type Mount, type SpawnedProcess } from './sandbox.js';

const MAX_LOG_LINES = 2000;
/** Mount paths the sandbox would create on the host (its root binds these folders) or that are the pod's /tmp. */
const HOST_BOUND = /^\/(bin|sbin|lib|lib32|lib64|libx32|usr|etc|opt|dev|proc|tmp)(\/|$)/;
const MAX_LINE = 4096;
/** A killed container's pipes close within milliseconds; a grandchild holding them must not keep followers open. */
const PIPE_DRAIN_BOUND_MS = 500;

class LogBuffer {
  private lines: Array<{ t: number; text: string }> = [];
  private partial = new Map<string, string>();
  private readonly followers = new Set<{ onText: (text: string) => void; onEnd: () => void }>();
  private ended = false;
  write(stream: string, chunk: Buffer | string) {
    const text = (this.partial.get(stream) ?? '') + chunk.toString();
    const parts = text.split('\n');
    this.partial.set(stream, (parts.pop() ?? '').slice(-MAX_LINE));
    for (const p of parts) this.push(p);
  }
  push(text: string) {
    const line = text.slice(0, MAX_LINE);
    this.lines.push({ t: Date.now(), text: line });
    if (this.lines.length > MAX_LOG_LINES) this.lines.splice(0, this.lines.length - MAX_LOG_LINES);
    for (const f of this.followers) f.onText(line + '\n');
  }
  follow(opts: PodLogOptions, onText: (text: string) => void, onEnd: () => void): LogFollow {
    const first = this.read(opts);
    if (first) onText(first);
    if (this.ended) { onEnd(); return { cancel() {} }; }
    const f = { onText, onEnd };
    this.followers.add(f);
    return { cancel: () => { this.followers.delete(f); } };
  }
  /** The container stopped for good: followers get what is left and their stream ends. */
  end() {
    if (this.ended) return;
    this.ended = true;
    for (const [stream, rest] of this.partial) if (rest) { this.partial.set(stream, ''); this.push(rest); }
    for (const f of [...this.followers]) f.onEnd();
    this.followers.clear();
  }
  read(opts: PodLogOptions): string {
    let lines = this.lines;
    if (opts.sinceSeconds !== undefined) { const since = Date.now() - opts.sinceSeconds * 1000; lines = lines.filter((l) => l.t >= since); }
    if (opts.tailLines !== undefined) lines = opts.tailLines <= 0 ? [] : lines.slice(-opts.tailLines);
    return lines.map((l) => l.text + '\n').join('');
  }
}

export interface RunningPod {
  key: string;
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  serviceAccount: string;
  container: string;
  image: string;
  declaredPorts: number[];
  token: string;
  mounts: Mount[];
  env: Record<string, string>;
  podDir: string;
  script?: string[];
  /** The image's own server, configured and started by the container's script (images/scriptedServer). */
  server?: ScriptedServer;
  proc?: SpawnedProcess;
  execs: Set<SpawnedProcess>;
  restarts: number;
  stopped: boolean;
  log: LogBuffer;
  /** Called when a restarted/crashed shell changes the container state. */
  onState?: (state: 'running' | 'crashed') => void;
}

/** `command`/`args` of a container as a shell invocation (`/bin/sh -c <script>`), if it is one. */
export function shellArgv(container: { command?: string[]; args?: string[] }): string[] | undefined {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (argv.length >= 3 && /^(\/bin\/|\/usr\/bin\/)?(sh|ash|bash|dash)$/.test(argv[0]) && argv[1] === '-c') return ['/bin/sh', '-c', argv[2], ...argv.slice(3)];
  return undefined;
}

export class PodRuntime implements PodRuntimeHooks {
  private pods = new Map<string, RunningPod>();
  private tokens = new Map<string, RunningPod>();
  private stopped = false;

  constructor(private readonly opts: { workDir: string; shimDir: string; proxyAddress: () => string }) {}

  byToken(token: string): RunningPod | undefined { return this.tokens.get(token); }
  get(namespace: string, name: string): RunningPod | undefined { return this.pods.get(`${namespace}/${name}`); }
  all(): RunningPod[] { return [...this.pods.values()]; }

  /** The host folder behind a volume mount: per (namespace, claim, subPath), bent by the volume faults. */
  volumeDir(pod: KubeObject, claim: string, subPath: string | undefined): string {
    const ns = pod.metadata.namespace ?? 'default';
    const base = join(this.opts.workDir, 'volumes', ns);
    if (faultOn('private-volume-shared')) return join(base, '_all');
    let dir = claim;
    const id = claim.startsWith('vol-') ? claim.slice(4) : undefined;
    if (id && faultOn('shared-volume-not-shared') && pod.metadata.labels?.[VOLUME_OWNER_LABEL(id)] !== 'true') {
      dir = `${claim}@${pod.metadata.labels?.[NAME_LABEL] ?? pod.metadata.name}`;
    }
    return subPath ? join(base, dir, subPath) : join(base, dir);
  }

  /** Starts the pod's first container. Resolves once its process (if any) is spawned. */
  start(pod: KubeObject): RunningPod {
    const ns = pod.metadata.namespace ?? 'default';
    const key = `${ns}/${pod.metadata.name}`;
    const existing = this.pods.get(key);
    if (existing && existing.uid === pod.metadata.uid) return existing;
    if (existing) this.stop(ns, pod.metadata.name);
    const c = pod.spec.containers[0];
    const claims = new Map<string, string>((pod.spec.volumes ?? []).filter((v: { persistentVolumeClaim?: unknown }) => v.persistentVolumeClaim)
      .map((v: { name: string; persistentVolumeClaim: { claimName: string } }) => [v.name, v.persistentVolumeClaim.claimName]));
    const mounts: Mount[] = (c.volumeMounts ?? []).filter((m: { name: string }) => claims.has(m.name))
      .map((m: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }) => ({ path: m.mountPath, hostDir: this.volumeDir(pod, claims.get(m.name)!, m.subPath), readOnly: m.readOnly }));
    // emptyDirs (2026-04 pods have them): one folder per pod and volume, shared by the container and its
    // exec sessions. Not under the system folders the sandbox binds from the host, nor /tmp (the pod's own).
    const podDir = join(this.opts.workDir, 'pods', `${ns}_${pod.metadata.name}`);
    const emptyDirs = new Set((pod.spec.volumes ?? []).filter((v: { emptyDir?: unknown }) => v.emptyDir).map((v: { name: string }) => v.name));
    for (const m of (c.volumeMounts ?? []) as Array<{ name: string; mountPath: string; subPath?: string; readOnly?: boolean }>) {
      if (!emptyDirs.has(m.name) || HOST_BOUND.test(m.mountPath)) continue;
      mounts.push({ path: m.mountPath, hostDir: join(podDir, 'emptydir', m.name, m.subPath ?? ''), readOnly: m.readOnly });
    }
    const token = randomBytes(12).toString('hex');
    const argv = shellArgv(c);
    const server = argv ? scriptedServer(c.image, argv[2]) : undefined;
    const env: Record<string, string> = {
      HOSTNAME: pod.metadata.name,
      LATTICE_SIM_POD_TOKEN: token,
      ...Object.fromEntries((c.env ?? []).map((e: { name: string; value?: string }) => [e.name, String(e.value ?? '')])),
    };
    const rp: RunningPod = {
      key, uid: pod.metadata.uid ?? '', namespace: ns, name: pod.metadata.name, labels: { ...(pod.metadata.labels ?? {}) },
      serviceAccount: pod.spec.serviceAccountName ?? 'default', container: c.name, image: c.image,
      declaredPorts: (c.ports ?? []).map((p: { containerPort: number }) => p.containerPort), token, mounts, env,
      podDir, script: server ? undefined : argv, server,
      execs: new Set(), restarts: 0, stopped: false, log: new LogBuffer(),
    };
    this.pods.set(key, rp);
    this.tokens.set(token, rp);
    if (rp.script) this.spawnScript(rp);
    else for (const l of server?.startupLog ?? startupLog(rp.image)) rp.log.push(l);
    return rp;
  }

  private spawnScript(rp: RunningPod) {
    if (rp.stopped || this.stopped) return;
    const env = { ...rp.env, LATTICE_SIM_PROXY: this.opts.proxyAddress() };
    const p = spawnInSandbox({ podDir: rp.podDir, shimDir: this.opts.shimDir, mounts: rp.mounts, env }, rp.script!);
    rp.proc = p;
    p.child.stdout?.on('data', (d: Buffer) => rp.log.write('out', d));
    p.child.stderr?.on('data', (d: Buffer) => rp.log.write('err', d));
    p.child.once('error', (e) => rp.log.push(`lattice-sim: cannot start container: ${e.message}`));
    p.child.once('exit', () => {
      if (rp.proc !== p || rp.stopped || this.stopped) return;
      // restartPolicy Always: back off, then run the container again.
      rp.restarts += 1;
      rp.onState?.('crashed');
      simulate(Math.min(100 * 2 ** Math.min(rp.restarts, 8), 10_000)).then(() => {
        if (rp.stopped || this.stopped) return;
        this.spawnScript(rp);
        rp.onState?.('running');
      }, () => undefined);
    });
  }

  /** Stops the pod's processes (its container and exec sessions) and forgets it. */
  stop(namespace: string, name: string): void {
    const rp = this.pods.get(`${namespace}/${name}`);
    if (!rp) return;
    rp.stopped = true;
    const child = rp.proc?.child;
    if (child) killGroup(child);
    for (const e of rp.execs) killGroup(e.child);
    this.pods.delete(rp.key);
    this.tokens.delete(rp.token);
    // Followers get the lines still in the pipe (the last ones a killed probe printed) before their
    // stream ends; a child that never closes its pipes ends them after a bound.
    const open = child && ((child.exitCode === null && child.signalCode === null) || child.stdout?.readableEnded === false);
    if (child && open) {
      const bound = setTimeout(() => rp.log.end(), PIPE_DRAIN_BOUND_MS);
      bound.unref();
      child.once('close', () => { clearTimeout(bound); rp.log.end(); });
    } else {
      rp.log.end();
    }
  }

  stopAll(): void {
    this.stopped = true;
    for (const rp of [...this.pods.values()]) this.stop(rp.namespace, rp.name);
  }

  private require(namespace: string, pod: string, container?: string): RunningPod {
    const rp = this.pods.get(`${namespace}/${pod}`);
    if (!rp) throw new StoreError(404, 'NotFound', `pods "${pod}" not found or not running in namespace "${namespace}"`);
    if (container && container !== rp.container) throw new StoreError(404, 'NotFound', `container ${container} is not valid for pod ${pod}`);
    return rp;
  }

  podLog(namespace: string, pod: string, opts: PodLogOptions): string {
    return this.require(namespace, pod, opts.container).log.read(opts);
  }

  podLogFollow(namespace: string, pod: string, opts: PodLogOptions, onText: (text: string) => void, onEnd: () => void): LogFollow {
    return this.require(namespace, pod, opts.container).log.follow(opts, onText, onEnd);
  }

  async podExec(req: ExecRequest, out: ExecOutput): Promise<number> {
    const rp = this.require(req.namespace, req.pod, req.container);
    if (req.command.length === 0) throw new StoreError(400, 'BadRequest', 'you must specify at least one command for the container');
    const env = { ...rp.env, LATTICE_SIM_PROXY: this.opts.proxyAddress() };
    const p = spawnInSandbox({ podDir: rp.podDir, shimDir: this.opts.shimDir, mounts: rp.mounts, env }, req.command, { stdin: !!req.stdin });
    rp.execs.add(p);
    return new Promise<number>((resolve) => {
      p.child.stdout?.on('data', (d: Buffer) => out.stdout(d));
      p.child.stderr?.on('data', (d: Buffer) => out.stderr(d));
      if (req.stdin && p.child.stdin) {
        req.stdin.pipe(p.child.stdin);
        p.child.stdin.on('error', () => undefined);
      }
      let done = false;
      const finish = (code: number) => { if (!done) { done = true; rp.execs.delete(p); resolve(code); } };
      p.child.once('error', (e) => { out.stderr(Buffer.from(`exec: ${e.message}\n`)); finish(126); });
      // 'close' waits for stdout/stderr to drain, so no output is lost.
      p.child.once('close', (code, signal) => finish(code ?? (signal ? 137 : 1)));
    });
  }
}
