/**
 * The provider seam: how the steps reach a cluster's API and its infrastructure without knowing
 * whether they run against Docker (CAPD), a cloud, or the embedded Lattice target.
 */

/** Infrastructure kinds a LatticeCluster fixture can name in `spec.provider.config`. */
export type ProviderKind = 'docker' | 'aws' | 'openstack' | 'proxmox';

/** Bootstrap flavour; decides where the admin kubeconfig lives on a Docker control-plane node. */
export type BootstrapKind = 'kubeadm' | 'rke2';

/** What a provider needs to know about one cluster. */
export interface ClusterRef {
  /** `metadata.name` of the LatticeCluster, e.g. `e2e-workload`. */
  name: string;
  provider: ProviderKind;
  bootstrap: BootstrapKind;
  /** Kubeconfig of the cluster's parent (absent for the management cluster). */
  parentKubeconfig?: string;
  /** The cluster's own kubeconfig, once the run has one. */
  kubeconfig?: string;
}

export interface Provider {
  /** Short name for logs: `docker`, `cloud`, `embedded`. */
  readonly name: string;
  /** Whether `destroyInfrastructure` is possible in this environment. */
  readonly canDestroyInfrastructure: boolean;
  /**
   * Called as soon as a child is created on its parent: cloud-style providers start watching the
   * parent for the CAPI kubeconfig secret here, before the pivot rewrites it.
   */
  beginCapture?(cluster: ClusterRef, signal?: AbortSignal): void;
  /**
   * Readies this machine for `lattice install` of a root cluster on this provider; returns a line
   * saying what it did. Docker pins the `kind` network, as upstream's harness does before install.
   */
  prepareInstall?(): Promise<string>;
  /** Path of a kubeconfig (mode 0600, under the run's folder) that reaches the cluster's API from here. */
  kubeconfigFor(cluster: ClusterRef): Promise<string>;
  /** Abruptly removes the cluster's machines (the spec's `docker rm -f`); throws when unsupported. */
  destroyInfrastructure(cluster: ClusterRef): Promise<void>;
  /** Resolves once nothing of the cluster's infrastructure remains; rejects with a WaitTimeoutError. */
  infrastructureGone(cluster: ClusterRef, timeoutMs: number): Promise<void>;
  /** Removes what a run (or a killed earlier run) left behind; returns a line per removed thing. */
  sweep(target: { runId?: string; names?: string[] }): Promise<string[]>;
  /** What an earlier run left in a target the suite itself runs (the embedded one); a line per removed thing. */
  sweepStale?(): Promise<string[]>;
  /** Stops a target the run itself started, once nothing is kept. */
  stop?(): Promise<void>;
}
