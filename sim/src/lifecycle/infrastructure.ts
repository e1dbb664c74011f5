/**
 * The infrastructure the simulated clusters run on: the Docker engine / cloud equivalent. It boots
 * and removes machines, brings up a cluster's API with its first control-plane machine, and can
 * destroy a cluster abruptly (`docker rm -f`). It holds no Lattice logic: controllers drive it.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../apiserver/types.js';
import { DURATIONS, simulate } from '../clock.js';
import { startClusterHost, type ApiServerFactory, type ClusterHost } from './cluster-host.js';
import type { Cell } from './context.js';
import { buildKubeconfig, type ApiEndpoint } from './kubeconfig.js';
import { readyNode } from './objects.js';
import type { BootstrapType, ProviderType } from './names.js';
import { INTERNAL_API_VERSION, type ApiVersion } from '../versions/index.js';

export type InfraProvider = ProviderType | 'kind';

export interface InfraMachine {
  name: string;
  role: 'control-plane' | 'worker';
  version: string;
  address: string;
  providerID: string;
  state: 'booting' | 'running';
  /** What its kubelet registers with (from the machine's bootstrap config). */
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
}

export interface InfraClusterMeta {
  provider: InfraProvider;
  bootstrap: BootstrapType;
  labels?: Record<string, string>;
  /** Cluster whose CAPI controllers asked for this one (absent for kind clusters). */
  createdBy?: string;
  /** The Lattice API version it serves; absent: its creator's (children inherit), else the internal default. */
  apiVersion?: ApiVersion;
}

interface InfraCluster extends InfraClusterMeta {
  name: string;
  createdAt: string;
  machines: Map<string, InfraMachine>;
  host?: ClusterHost;
  starting?: Promise<ClusterHost>;
  abort: AbortController;
  /** The API stopped for good (load balancer or last control plane removed); machines may remain. */
  stopped?: boolean;
}

export interface ClusterInfo {
  name: string;
  provider: InfraProvider;
  bootstrap: BootstrapType;
  /** The Lattice parent named in the cluster's `lattice-parent-config` (absent for roots). */
  parent?: string;
  createdBy?: string;
  /** `stopped`: control plane or load balancer removed while other machines remain (they still run). */
  state: 'provisioning' | 'running' | 'stopped';
  server?: string;
  port?: number;
  machines: number;
  machineNames: string[];
  labels: Record<string, string>;
  createdAt: string;
}

export interface InfrastructureOptions {
  /** Starts a cluster's HTTPS API server over its store. */
  apiServer: ApiServerFactory;
  /** Folder under which each cluster gets a work folder (addons keep files there). */
  workDir: string;
  log?: (line: string) => void;
}

export class InfrastructureError extends Error {}

export class Infrastructure extends EventEmitter {
  private readonly clusters = new Map<string, InfraCluster>();
  /** Cells reachable on the simulated network, by the cluster serving them. */
  readonly cells = new Map<string, Cell>();
  private nextAddress = 2;

  constructor(private readonly opts: InfrastructureOptions) { super(); }

  log(line: string): void { this.opts.log?.(line); }

  /** Creates the cluster's record and load balancer; idempotent. */
  ensureCluster(name: string, meta: InfraClusterMeta): void {
    const old = this.clusters.get(name);
    if (old && !old.stopped) return;
    // A new cluster of a name whose API was torn down: its leftover machines stay, as containers
    // labelled with the cluster name would; a later destroy or sweep takes them with the new ones.
    const leftovers = old ? old.machines : new Map<string, InfraMachine>();
    const apiVersion = meta.apiVersion ?? (meta.createdBy ? this.apiVersionOf(meta.createdBy) : INTERNAL_API_VERSION);
    this.clusters.set(name, { name, ...meta, apiVersion, labels: meta.labels ?? {}, createdAt: new Date().toISOString(), machines: leftovers, abort: new AbortController() });
    this.log(`infrastructure: created load balancer for cluster ${name} (${meta.provider})`);
    this.emit('change');
  }

  /** A kind cluster: one control-plane node, API up at once (bootstrap/uninstall clusters). */
  /** The Lattice API version the cluster serves (see InfraClusterMeta.apiVersion). */
  apiVersionOf(name: string): ApiVersion {
    return this.clusters.get(name)?.apiVersion ?? INTERNAL_API_VERSION;
  }

  async createKindCluster(name: string, manifests: KubeObject[], labels: Record<string, string> = {}, apiVersion?: ApiVersion): Promise<ClusterHost> {
    if (this.clusters.has(name)) {
      throw new InfrastructureError(`node(s) already exist for a cluster with the name "${name}"`);
    }
    this.ensureCluster(name, { provider: 'kind', bootstrap: 'kubeadm', labels, apiVersion });
    const rec = this.clusters.get(name)!;
    const host = await this.startHost(rec, manifests);
    const machine = this.machineRecord(rec, `${name}-control-plane`, 'control-plane', '1.32.0');
    machine.state = 'running';
    host.store.apply(readyNode(machine));
    return host;
  }

  /** Boots a machine; the first control-plane machine brings the cluster's API up with `manifests`. */
  async bootMachine(cluster: string, m: { name: string; role: 'control-plane' | 'worker'; version: string; labels?: InfraMachine['labels']; taints?: InfraMachine['taints'] },
    manifests: () => KubeObject[]): Promise<void> {
    const rec = this.clusters.get(cluster);
    if (!rec) throw new InfrastructureError(`cluster ${cluster} has no infrastructure`);
    if (rec.machines.has(m.name)) return;
    const machine = this.machineRecord(rec, m.name, m.role, m.version);
    if (m.labels && Object.keys(m.labels).length) machine.labels = m.labels;
    if (m.taints?.length) machine.taints = m.taints;
    await simulate(DURATIONS.machineBoot, rec.abort.signal);
    if (!rec.machines.has(m.name)) return; // deleted while booting
    if (!rec.host) {
      if (m.role !== 'control-plane') throw new InfrastructureError(`cluster ${cluster} has no control plane yet`);
      rec.starting ??= this.startHost(rec, manifests());
      await rec.starting;
    }
    if (rec.abort.signal.aborted || !rec.host) return;
    rec.host.store.apply(readyNode(machine));
    machine.state = 'running';
    this.log(`infrastructure: machine ${m.name} of ${cluster} is running`);
    this.emit('change');
  }

  async deleteMachine(cluster: string, name: string): Promise<void> {
    const rec = this.clusters.get(cluster);
    if (!rec?.machines.delete(name)) return;
    try { rec.host?.store.delete('v1', 'Node', name); } catch { /* the node may never have joined */ }
    this.log(`infrastructure: machine ${name} of ${cluster} deleted`);
    this.emit('change');
  }

  /**
   * What deleting a CAPI Cluster removes: the machines that store knows and, with its infrastructure
   * cluster, the load balancer. The API stops once the load balancer or the last control-plane
   * machine is gone; machines nobody asked about keep running. Returns the names left running.
   */
  async removeKnown(cluster: string, machineNames: string[], loadBalancer: boolean): Promise<string[]> {
    const rec = this.clusters.get(cluster);
    if (!rec) return [];
    for (const m of machineNames) await this.deleteMachine(cluster, m);
    if (rec.machines.size === 0) { await this.destroyCluster(cluster); return []; }
    const controlPlaneLeft = [...rec.machines.values()].some((m) => m.role === 'control-plane');
    if (loadBalancer || !controlPlaneLeft) {
      if (this.cells.get(cluster)) this.cells.delete(cluster);
      rec.abort.abort(new Error(`cluster ${cluster}: API stopped`));
      const host = rec.host ?? await rec.starting?.catch(() => undefined);
      rec.host = undefined;
      rec.starting = undefined;
      rec.stopped = true;
      await host?.stop();
      this.log(`infrastructure: ${loadBalancer ? 'load balancer' : 'control plane'} of ${cluster} removed; still running: ${[...rec.machines.keys()].join(', ')}`);
      this.emit('change');
    }
    return [...rec.machines.keys()];
  }

  machine(cluster: string, name: string): InfraMachine | undefined {
    return this.clusters.get(cluster)?.machines.get(name);
  }

  /** Removes a cluster's machines and load balancer at once; its API stops answering, its controllers stop. */
  async destroyCluster(name: string): Promise<boolean> {
    const rec = this.clusters.get(name);
    if (!rec) return false;
    this.clusters.delete(name);
    this.cells.delete(name);
    rec.abort.abort(new Error(`cluster ${name} destroyed`));
    const host = rec.host ?? await rec.starting?.catch(() => undefined);
    await host?.stop();
    this.log(`infrastructure: cluster ${name} destroyed`);
    this.emit('change');
    return true;
  }

  has(name: string): boolean { return this.clusters.has(name); }
  isAlive(name: string): boolean { return !!this.clusters.get(name)?.host; }
  host(name: string): ClusterHost | undefined { return this.clusters.get(name)?.host; }
  names(): string[] { return [...this.clusters.keys()]; }

  endpoint(name: string): ApiEndpoint | undefined {
    const api = this.clusters.get(name)?.host?.api;
    return api ? { server: api.url, caPem: api.caPem, token: api.token } : undefined;
  }

  /** The admin kubeconfig as a Docker user reads it from the control-plane container. */
  adminKubeconfig(name: string): string | undefined {
    const ep = this.endpoint(name);
    return ep && buildKubeconfig(name, ep, 'kubernetes-admin');
  }

  /** The cluster whose API answers at this server address. */
  clusterByServer(server: string): string | undefined {
    const norm = server.replace(/\/+$/, '');
    for (const rec of this.clusters.values()) if (rec.host && rec.host.api.url.replace(/\/+$/, '') === norm) return rec.name;
    return undefined;
  }

  info(name: string): ClusterInfo | undefined {
    const rec = this.clusters.get(name);
    if (!rec) return undefined;
    return {
      name: rec.name, provider: rec.provider, bootstrap: rec.bootstrap,
      parent: rec.host?.parent(), createdBy: rec.createdBy,
      state: rec.host ? 'running' : rec.stopped ? 'stopped' : 'provisioning',
      server: rec.host?.api.url, port: rec.host?.api.port,
      machines: rec.machines.size, machineNames: [...rec.machines.keys()].sort(), labels: { ...(rec.labels ?? {}) }, createdAt: rec.createdAt,
    };
  }

  list(): ClusterInfo[] { return this.names().sort().map((n) => this.info(n)!); }

  async destroyAll(): Promise<void> {
    for (const name of this.names()) await this.destroyCluster(name);
  }

  private machineRecord(rec: InfraCluster, name: string, role: 'control-plane' | 'worker', version: string): InfraMachine {
    const n = this.nextAddress++;
    const address = rec.provider === 'docker' || rec.provider === 'kind' ? `172.18.${n >> 8}.${n & 255}` : `10.0.${n >> 8}.${n & 255}`;
    const id = randomBytes(8).toString('hex');
    const providerID = {
      kind: `kind://docker/${rec.name}/${name}`,
      docker: `docker:////${name}`,
      aws: `aws:///us-west-2a/i-0${id.slice(0, 16)}`,
      openstack: `openstack:///${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(12, 15)}-8${id.slice(0, 3)}-${id}`.slice(0, 50),
      proxmox: `proxmox://${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(0, 4)}-${id.slice(4, 16)}`,
    }[rec.provider];
    const machine: InfraMachine = { name, role, version, address, providerID, state: 'booting' };
    rec.machines.set(name, machine);
    return machine;
  }

  private async startHost(rec: InfraCluster, manifests: KubeObject[]): Promise<ClusterHost> {
    const host = await startClusterHost({
      name: rec.name, infra: this, manifests, apiServer: this.opts.apiServer,
      workDir: `${this.opts.workDir}/${rec.name}`, signal: rec.abort.signal, apiVersion: rec.apiVersion,
    });
    if (rec.abort.signal.aborted) { await host.stop(); throw new InfrastructureError(`cluster ${rec.name} destroyed while starting`); }
    rec.host = host;
    this.log(`infrastructure: API of cluster ${rec.name} answers at ${host.api.url}`);
    this.emit('change');
    return host;
  }
}
