/**
 * The Docker (CAPD) provider: clusters are containers on a local engine. The API is reached through
 * the `<name>-lb` container's loopback-published 6443, with the admin kubeconfig read out of a
 * control-plane container; infrastructure is destroyed the way the spec does it (`docker rm -f`).
 */
import type Docker from 'dockerode';
import { join } from 'node:path';
import { SuiteError } from '../errors.js';
import type { ClusterRef, Provider } from './types.js';
import { ADMIN_KUBECONFIG_PATHS, readAdminKubeconfig } from './docker/admin-kubeconfig.js';
import { BOOTSTRAP_CLUSTERS, isBootstrapClusterName, removeBootstrapClusters } from './docker/bootstrap-clusters.js';
import { findClusterContainers, listClusterContainers, type ClusterContainer } from './docker/cluster-containers.js';
import { assertEngineReachable, connectDocker, resolveDockerHost } from './docker/engine.js';
import { repointKubeconfig, writeKubeconfigFile } from '../kube/kubeconfig-file.js';
import { RUN_ID_LABEL } from './docker/labels.js';
import { forceRemoveContainer } from './docker/remove.js';
import { ensureNetworkPinned, KIND_NETWORK, type NetworkPin, type NetworkPinOutcome } from './docker/network.js';
import { waitForContainersGone } from './docker/wait-gone.js';

export class DockerInfrastructureError extends SuiteError {}

export interface DockerProviderOptions {
  /** The run's working folder; kubeconfigs are written here as `<cluster>-kubeconfig`. */
  workDir: string;
  /** Labels what the provider creates (the `kind` network when it has to create it). */
  runId?: string;
  /** Engine address; default `DOCKER_HOST`, else the local socket. */
  dockerHost?: string;
  /** Admin kubeconfig reads before giving up; upstream 60. */
  kubeconfigAttempts?: number;
  /** Pause between admin kubeconfig reads; upstream 5000 ms. */
  kubeconfigIntervalMs?: number;
  /** Fallback poll while waiting for containers to disappear (events drive the wait). */
  goneIntervalMs?: number;
  /** The network CAPD uses and its pinned addresses. */
  network?: Omit<NetworkPin, 'labels'>;
  bootstrapClusters?: readonly string[];
  kindBinary?: string;
  log?: (line: string) => void;
}

const LB_PORT = '6443/tcp';

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

export class DockerProvider implements Provider {
  readonly name = 'docker';
  readonly canDestroyInfrastructure = true;
  readonly dockerHost: string;
  private readonly docker: Docker;
  private readonly opts: Required<Omit<DockerProviderOptions, 'runId' | 'dockerHost' | 'log'>> & Pick<DockerProviderOptions, 'runId' | 'log'>;
  private reachable?: Promise<string>;

  constructor(options: DockerProviderOptions) {
    this.dockerHost = resolveDockerHost(options.dockerHost);
    this.docker = connectDocker(this.dockerHost);
    this.opts = {
      kubeconfigAttempts: 60,
      kubeconfigIntervalMs: 5_000,
      goneIntervalMs: 5_000,
      network: KIND_NETWORK,
      bootstrapClusters: BOOTSTRAP_CLUSTERS,
      kindBinary: 'kind',
      ...options,
    };
  }

  /** Resolves with the engine's API version; rejects once, clearly, when no engine answers. */
  assertEngine(): Promise<string> {
    this.reachable ??= assertEngineReachable(this.docker, this.dockerHost);
    return this.reachable;
  }

  /** Every container of the cluster, found by CAPD labels or anchored names. */
  async containersOf(cluster: string): Promise<ClusterContainer[]> {
    await this.assertEngine();
    return listClusterContainers(this.docker, cluster);
  }

  /** Pins the `kind` network (172.18.0.0/16, gateway 172.18.0.1) before CAPD creates nodes on it. */
  async ensureNetwork(): Promise<NetworkPinOutcome> {
    await this.assertEngine();
    const labels: Record<string, string> = this.opts.runId ? { [RUN_ID_LABEL]: this.opts.runId } : {};
    return ensureNetworkPinned(this.docker, { ...this.opts.network, labels });
  }

  /**
   * Before `lattice install`: pins the network, as upstream's harness does (helpers.rs:64-139 at
   * 1236706e, called before install in pivot_e2e.rs:190-192 and docker_independence_e2e.rs:114).
   */
  async prepareInstall(): Promise<string> {
    const outcome = await this.ensureNetwork();
    const { name, subnet, gateway } = this.opts.network;
    return `Docker network ${name}: ${outcome} (subnet ${subnet}, gateway ${gateway})`;
  }

  /** Host port the cluster's load balancer publishes for 6443/tcp (`docker port <name>-lb 6443/tcp`). */
  async loadBalancerPort(cluster: string): Promise<number> {
    await this.assertEngine();
    const lbs = await findClusterContainers(this.docker, cluster, 'external-load-balancer');
    if (lbs.length === 0) {
      throw new DockerInfrastructureError(`cluster ${cluster} has no load balancer container (${cluster}-lb)`, 'is the cluster provisioned on this Docker engine?');
    }
    const lb = lbs[0]!;
    const info = await this.docker.getContainer(lb.id).inspect();
    const bindings = info.NetworkSettings?.Ports?.[LB_PORT] ?? [];
    const binding = bindings.find((b) => b.HostIp === '127.0.0.1') ?? bindings.find((b) => b.HostPort);
    const port = Number(binding?.HostPort);
    if (!binding || !Number.isInteger(port) || port <= 0) {
      throw new DockerInfrastructureError(`container ${lb.name} publishes no host port for ${LB_PORT} (state ${info.State?.Status ?? lb.state})`, 'the API of the cluster cannot be reached from this machine');
    }
    return port;
  }

  async kubeconfigFor(cluster: ClusterRef): Promise<string> {
    await this.assertEngine();
    const port = await this.loadBalancerPort(cluster.name);
    const cps = await findClusterContainers(this.docker, cluster.name, 'control-plane');
    if (cps.length === 0) {
      throw new DockerInfrastructureError(
        `cluster ${cluster.name} has no control-plane container (label io.x-k8s.kind.cluster=${cluster.name} or name ${cluster.name}-control-plane-*)`,
        'is the cluster provisioned on this Docker engine?',
      );
    }
    const cp = cps.find((c) => c.state === 'running') ?? cps[0]!;
    const admin = await readAdminKubeconfig(this.docker, {
      containerId: cp.id,
      containerName: cp.name,
      bootstrap: cluster.bootstrap,
      attempts: this.opts.kubeconfigAttempts,
      intervalMs: this.opts.kubeconfigIntervalMs,
      log: this.opts.log,
    });
    const local = repointKubeconfig(admin, `https://127.0.0.1:${port}`, `${ADMIN_KUBECONFIG_PATHS[cluster.bootstrap]} in ${cp.name}`);
    return writeKubeconfigFile(join(this.opts.workDir, `${cluster.name}-kubeconfig`), local);
  }

  /** `docker rm -f` of every container of the cluster, then a check that none is left. */
  async destroyInfrastructure(cluster: ClusterRef): Promise<void> {
    await this.assertEngine();
    const doomed = await listClusterContainers(this.docker, cluster.name);
    await Promise.all(doomed.map(async (c) => {
      await forceRemoveContainer(this.docker, c.id);
      this.opts.log?.(`removed container ${c.name} of cluster ${cluster.name}`);
    }));
    const left = await listClusterContainers(this.docker, cluster.name);
    if (left.length > 0) {
      throw new DockerInfrastructureError(`containers of cluster ${cluster.name} still exist after force removal: ${left.map((c) => c.name).join(', ')}`);
    }
  }

  async infrastructureGone(cluster: ClusterRef, timeoutMs: number): Promise<void> {
    await this.assertEngine();
    await waitForContainersGone(this.docker, {
      resource: `containers of cluster ${cluster.name}`,
      list: () => listClusterContainers(this.docker, cluster.name),
      timeoutMs,
      intervalMs: this.opts.goneIntervalMs,
    });
  }

  /** Stale `lattice-bootstrap` / `lattice-uninstall` kind clusters: `kind delete cluster`, else container removal. */
  async removeStaleBootstrapClusters(): Promise<string[]> {
    await this.assertEngine();
    return removeBootstrapClusters(this.docker, { names: this.opts.bootstrapClusters, kindBinary: this.opts.kindBinary, log: this.opts.log });
  }

  /**
   * `runId`: containers and networks carrying the run's label. `names`: every container of those
   * clusters (bootstrap clusters through kind when installed). Networks still in use are reported, not forced.
   */
  async sweep(target: { runId?: string; names?: string[] }): Promise<string[]> {
    await this.assertEngine();
    const lines: string[] = [];
    if (target.runId) {
      const label = `${RUN_ID_LABEL}=${target.runId}`;
      for (const c of await this.docker.listContainers({ all: true, filters: { label: [label] } })) {
        await forceRemoveContainer(this.docker, c.Id);
        lines.push(`removed container ${(c.Names[0] ?? c.Id).replace(/^\//, '')}`);
      }
      for (const n of await this.docker.listNetworks({ filters: { label: [label] } })) {
        try {
          await this.docker.getNetwork(n.Id).remove();
          lines.push(`removed network ${n.Name}`);
        } catch (err) {
          if (!isNotFound(err)) lines.push(`kept network ${n.Name}: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
    const names = target.names ?? [];
    const bootstrap = names.filter((n) => this.opts.bootstrapClusters.includes(n) || isBootstrapClusterName(n));
    if (bootstrap.length > 0) {
      lines.push(...await removeBootstrapClusters(this.docker, { names: bootstrap, kindBinary: this.opts.kindBinary, log: this.opts.log }));
    }
    for (const name of names.filter((n) => !bootstrap.includes(n))) {
      for (const c of await listClusterContainers(this.docker, name)) {
        await forceRemoveContainer(this.docker, c.id);
        lines.push(`removed container ${c.name} of cluster ${name}`);
      }
    }
    return lines;
  }
}
