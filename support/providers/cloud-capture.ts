/**
 * Capturing a cloud child's kubeconfig from its parent (lattice-facts §2.3): the CAPI secret
 * `capi-<name>/<name>-kubeconfig` is usable from outside only while the child is Provisioning or
 * Pivoting; after the pivot the child's copy points at `https://kubernetes.default.svc:443`. The
 * capture follows the parent's watch events on the LatticeCluster and the secret, with a poll as
 * fallback, and fails clearly when the child reaches Ready first.
 */
import { SuiteError } from '../errors.js';
import {
  CapiKubeconfigError, LATTICE_CLUSTERS_PATH, capiKubeconfigSecretName, capiNamespace, getLatticeCluster, phaseOf,
  readCapiKubeconfig, startWatch, type ClusterClient, type WatchHandle,
} from '../kube/index.js';
import { kubeconfigServers, writeKubeconfigFile } from '../kube/kubeconfig-file.js';

export class KubeconfigCaptureError extends SuiteError {}

/** Phases in which the parent's secret still holds an address reachable from outside. */
const CAPTURE_PHASES = new Set(['Provisioning', 'Pivoting']);

/** True for the address a pivoted child rewrites its own kubeconfig to. */
export function isInClusterServer(server: string): boolean {
  try {
    const host = new URL(server).hostname;
    return host === 'kubernetes.default.svc' || host.startsWith('kubernetes.default.svc.') || host === 'kubernetes.default' || host === 'kubernetes';
  } catch {
    return false;
  }
}

export interface CaptureKubeconfigInput {
  parent: ClusterClient;
  /** The child's name. */
  cluster: string;
  /** Where to write the captured kubeconfig (mode 0600). */
  path: string;
  /** Poll period used besides the watches (they can drop silently). */
  intervalMs: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** One child's capture; `result` resolves with the written path or rejects with a KubeconfigCaptureError. */
export class KubeconfigCapture {
  readonly result: Promise<string>;
  /** One line about the last state seen, for timeouts. */
  lastSeen = 'not read yet';
  private finished = false;
  private readonly watches: WatchHandle[] = [];
  private poll?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private onAbort?: () => void;
  private settle!: { resolve: (path: string) => void; reject: (err: Error) => void };

  constructor(private readonly input: CaptureKubeconfigInput) {
    this.result = new Promise<string>((resolve, reject) => { this.settle = { resolve, reject }; });
    // Nobody may be waiting yet (beginCapture); the rejection is delivered to kubeconfigFor later.
    this.result.catch(() => undefined);
  }

  get where(): string {
    return `${capiNamespace(this.input.cluster)}/${capiKubeconfigSecretName(this.input.cluster)} on ${this.input.parent.name}`;
  }

  start(): this {
    const { parent, cluster, signal } = this.input;
    if (signal?.aborted) { this.fail(new KubeconfigCaptureError(`capture of ${cluster}'s kubeconfig was cancelled`)); return this; }
    // Removed when the capture ends: the run's signal outlives every capture of the run.
    this.onAbort = () => this.fail(new KubeconfigCaptureError(`capture of ${cluster}'s kubeconfig was cancelled; last seen: ${this.lastSeen}`));
    signal?.addEventListener('abort', this.onAbort, { once: true });
    const kick = () => void this.tick();
    this.watches.push(startWatch(parent, LATTICE_CLUSTERS_PATH, { fieldSelector: `metadata.name=${cluster}` }, kick));
    this.watches.push(startWatch(parent, `/api/v1/namespaces/${capiNamespace(cluster)}/secrets`, { fieldSelector: `metadata.name=${capiKubeconfigSecretName(cluster)}` }, kick));
    this.poll = setInterval(kick, this.input.intervalMs);
    kick();
    return this;
  }

  stop(): void {
    this.fail(new KubeconfigCaptureError(`capture of ${this.input.cluster}'s kubeconfig was stopped; last seen: ${this.lastSeen}`));
  }

  private finish(): void {
    this.finished = true;
    if (this.onAbort) this.input.signal?.removeEventListener('abort', this.onAbort);
    clearInterval(this.poll);
    for (const w of this.watches) w.stop();
  }

  private fail(err: Error): void {
    if (this.finished) return;
    this.finish();
    this.settle.reject(err);
  }

  /** Serialised: one look at a time, and one more if something changed meanwhile. */
  private async tick(): Promise<void> {
    if (this.finished) return;
    if (this.running) { this.again = true; return; }
    this.running = true;
    try {
      do {
        this.again = false;
        const path = await this.look();
        if (path !== undefined && !this.finished) {
          this.finish();
          this.settle.resolve(path);
        }
      } while (this.again && !this.finished);
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.running = false;
    }
  }

  private async look(): Promise<string | undefined> {
    const { parent, cluster } = this.input;
    let child;
    try {
      child = await getLatticeCluster(parent, cluster, { retry: { attempts: 1 } });
    } catch (err) {
      // A parent that does not answer for a moment is no reason to give up: the caller's timeout decides.
      this.lastSeen = `reading LatticeCluster ${cluster} failed: ${(err as Error).message.split('\n')[0]}`;
      return undefined;
    }
    const phase = child ? phaseOf(child) : undefined;
    if (phase === undefined) { this.lastSeen = `LatticeCluster ${cluster} absent on ${parent.name}`; return undefined; }
    // Provisioning/Pivoting is when the secret is sure to hold an outside address; just after the
    // pivot it may still hold one for a moment, and a loaded machine can notice Ready late: take
    // it then too, but only while it does not point inside the cluster.
    if (CAPTURE_PHASES.has(phase) || phase === 'Ready') {
      let text: string;
      try {
        text = await readCapiKubeconfig(parent, cluster, { retry: { attempts: 1 } });
      } catch (err) {
        if (phase === 'Ready') return this.tooLate(phase);
        this.lastSeen = `phase ${phase}; secret ${this.where}: ${err instanceof CapiKubeconfigError ? 'not there yet' : (err as Error).message.split('\n')[0]}`;
        return undefined;
      }
      const servers = kubeconfigServers(text);
      if (servers.length === 0 || servers.some(isInClusterServer)) {
        if (phase === 'Ready') return this.tooLate(phase);
        this.lastSeen = `phase ${phase}; secret ${this.where} already points at an in-cluster address`;
        return undefined;
      }
      const path = await writeKubeconfigFile(this.input.path, text);
      this.input.log?.(`captured the kubeconfig of ${cluster} from ${this.where} during ${phase}`);
      return path;
    }
    if (phase === 'Unpivoting') return this.tooLate(phase);
    if (phase === 'Failed') {
      throw new KubeconfigCaptureError(`${cluster} reached Failed on ${parent.name} before its kubeconfig could be captured: ${child?.status?.message ?? 'no message'}`);
    }
    this.lastSeen = `phase ${phase}`;
    return undefined;
  }

  private tooLate(phase: string): never {
    const { parent, cluster } = this.input;
    throw new KubeconfigCaptureError(
      `${cluster} reached ${phase} on ${parent.name} before its kubeconfig was captured from ${this.where} (after the pivot it points at kubernetes.default.svc)`,
      'start the capture when the child is created (Provider.beginCapture), while it is Provisioning or Pivoting',
    );
  }
}
