/**
 * The cloud provider (aws, openstack, proxmox): a child's API is reached with the kubeconfig
 * captured from its parent before the pivot; a management cluster's with the installer's
 * `/tmp/<name>-kubeconfig`. Machines cannot be destroyed from here: scenarios that need it are
 * tagged so cloud runs leave them out.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PrerequisiteError, SuiteError, WaitTimeoutError } from '../errors.js';
import { capiNamespace, openCluster, waitForAbsent, type ClusterClient } from '../kube/index.js';
import { CAPI_GROUP, CAPI_VERSION } from '../kube/capi.js';
import { KubeconfigCapture } from './cloud-capture.js';
import type { ClusterRef, Provider } from './types.js';
import { withTimeout } from '../timers.js';
import { BOOTSTRAP_CLUSTERS } from './docker/bootstrap-clusters.js';
import { listClusterContainers } from './docker/cluster-containers.js';
import { connectDocker, resolveDockerHost } from './docker/engine.js';
import { apiAnswers, askTimeoutMs, waitForRootInfrastructureGone } from './root-gone.js';

/** Containers of the kind clusters on the local engine (`lattice install` needs one on clouds too). */
async function kindContainersOnEngine(clusters: readonly string[]): Promise<string[]> {
  const docker = connectDocker(resolveDockerHost());
  const names: string[] = [];
  for (const c of clusters) names.push(...(await listClusterContainers(docker, c)).map((x) => x.name));
  return names;
}

export class UnsupportedOnCloudError extends SuiteError {}

export interface CloudProviderOptions {
  /** The run's working folder; captured kubeconfigs go here as `<cluster>-kubeconfig`. */
  workDir: string;
  /** Where the installer leaves a root cluster's kubeconfig (`<dir>/<name>-kubeconfig`); upstream /tmp. */
  installerKubeconfigDir?: string;
  /** Poll period beside the watches while capturing, and while waiting for a CAPI Cluster to go. */
  intervalMs?: number;
  /** How long kubeconfigFor waits for a capture still in progress (upstream's pivot test: 3600 s). */
  captureTimeoutMs?: number;
  /** Opens a parent from its kubeconfig path; tests may count or share clients. */
  openParent?: (kubeconfigPath: string) => ClusterClient;
  /** The kind clusters `lattice install`/`uninstall` run in Docker; gone once a root is uninstalled. */
  kindClusters?: readonly string[];
  /** Names of the containers those kind clusters still have (default: asks the Docker engine at DOCKER_HOST). */
  kindContainers?: (clusters: readonly string[]) => Promise<string[]>;
  log?: (line: string) => void;
}

export class CloudProvider implements Provider {
  readonly name = 'cloud';
  readonly canDestroyInfrastructure = false;
  private readonly captures = new Map<string, KubeconfigCapture>();
  private readonly opts: Required<Omit<CloudProviderOptions, 'log'>> & Pick<CloudProviderOptions, 'log'>;

  constructor(options: CloudProviderOptions) {
    this.opts = {
      installerKubeconfigDir: '/tmp',
      intervalMs: 5_000,
      captureTimeoutMs: 3_600_000,
      openParent: (path) => openCluster(path),
      kindClusters: BOOTSTRAP_CLUSTERS,
      kindContainers: kindContainersOnEngine,
      ...options,
    };
  }

  private parentOf(cluster: ClusterRef): ClusterClient {
    if (!cluster.parentKubeconfig) {
      throw new PrerequisiteError(`cluster ${cluster.name} has no parent kubeconfig`, 'the cloud provider reads a child\'s kubeconfig and infrastructure from its parent');
    }
    return this.opts.openParent(cluster.parentKubeconfig);
  }

  private capture(cluster: ClusterRef, signal?: AbortSignal): KubeconfigCapture {
    let c = this.captures.get(cluster.name);
    if (!c) {
      c = new KubeconfigCapture({
        parent: this.parentOf(cluster),
        cluster: cluster.name,
        path: join(this.opts.workDir, `${cluster.name}-kubeconfig`),
        intervalMs: this.opts.intervalMs,
        signal,
        log: this.opts.log,
      }).start();
      this.captures.set(cluster.name, c);
    }
    return c;
  }

  /** Starts following the parent as soon as the child exists there, before the pivot rewrites its secret. */
  beginCapture(cluster: ClusterRef, signal?: AbortSignal): void {
    this.capture(cluster, signal);
  }

  async kubeconfigFor(cluster: ClusterRef): Promise<string> {
    if (!cluster.parentKubeconfig) {
      const path = join(this.opts.installerKubeconfigDir, `${cluster.name}-kubeconfig`);
      if (!existsSync(path)) throw new PrerequisiteError(`no kubeconfig for root cluster ${cluster.name} at ${path}`, 'run `lattice install` first; it writes that file');
      return path;
    }
    const c = this.capture(cluster);
    return withTimeout(c.result, this.opts.captureTimeoutMs,
      () => new WaitTimeoutError(`kubeconfig of ${cluster.name} in ${c.where}`, 'captured', c.lastSeen, this.opts.captureTimeoutMs));
  }

  destroyInfrastructure(cluster: ClusterRef): Promise<void> {
    return Promise.reject(new UnsupportedOnCloudError(
      `destroying the machines of ${cluster.name} is not supported on ${cluster.provider}`,
      'scenarios that need it are tagged for Docker; leave them out of cloud runs',
    ));
  }

  /** The cluster's own kubeconfig: the run's, else where the installer (root) or a capture (child) puts it. */
  private ownKubeconfig(cluster: ClusterRef): string {
    return cluster.kubeconfig ?? join(cluster.parentKubeconfig ? this.opts.workDir : this.opts.installerKubeconfigDir, `${cluster.name}-kubeconfig`);
  }

  /**
   * A child: waits for the CAPI Cluster `capi-<name>/<name>` to disappear from the parent (its
   * infrastructure is torn down with it); when the parent is gone too, until the child's own API
   * gives no reply. A root has no parent: waits until its API gives no reply and the kind clusters
   * of install/uninstall are gone.
   */
  async infrastructureGone(cluster: ClusterRef, timeoutMs: number): Promise<void> {
    if (!cluster.parentKubeconfig) {
      return waitForRootInfrastructureGone({
        cluster: cluster.name, kubeconfigPath: this.ownKubeconfig(cluster), kindClusters: this.opts.kindClusters,
        kindContainers: this.opts.kindContainers, timeoutMs, intervalMs: Math.min(this.opts.intervalMs, timeoutMs),
      });
    }
    // A parent that is gone too (uninstalled, or unpivoted and deleted) holds no CAPI Cluster to look
    // for: the child is gone when its own API gives no reply.
    const parentApi = await apiAnswers(cluster.parentKubeconfig, askTimeoutMs(timeoutMs));
    if (!parentApi.answers) {
      this.opts.log?.(`${cluster.name}: its parent's ${parentApi.seen}; judging by ${cluster.name}'s own API`);
      return waitForRootInfrastructureGone({
        cluster: cluster.name, role: 'child cluster', kubeconfigPath: this.ownKubeconfig(cluster), kindClusters: [],
        kindContainers: this.opts.kindContainers, timeoutMs, intervalMs: Math.min(this.opts.intervalMs, timeoutMs),
      });
    }
    const parent = this.parentOf(cluster);
    const namespace = capiNamespace(cluster.name);
    await waitForAbsent({
      client: parent,
      path: `/apis/${CAPI_GROUP}/${CAPI_VERSION}/namespaces/${namespace}/clusters`,
      name: cluster.name,
      resource: `CAPI Cluster ${namespace}/${cluster.name} on ${parent.name}`,
      timeoutMs,
      intervalMs: Math.min(this.opts.intervalMs, timeoutMs),
    });
  }

  /** Stops captures and removes the kubeconfigs captured for `names` (cloud infrastructure is Lattice's to remove). */
  async sweep(target: { runId?: string; names?: string[] }): Promise<string[]> {
    const lines: string[] = [];
    for (const name of target.names ?? [...this.captures.keys()]) {
      const c = this.captures.get(name);
      if (c) { c.stop(); this.captures.delete(name); lines.push(`stopped kubeconfig capture of ${name}`); }
      const path = join(this.opts.workDir, `${name}-kubeconfig`);
      if (existsSync(path)) { await rm(path, { force: true }); lines.push(`removed ${path}`); }
    }
    return lines;
  }
}
