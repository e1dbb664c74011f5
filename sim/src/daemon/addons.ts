/**
 * The one place where per-cluster addons are wired into the daemon: each registered factory runs
 * for every cluster the daemon brings up (see registerClusterAddon in lifecycle/cluster-host.ts).
 * The LatticeService runtime (sim/src/services/) registers here once it offers a per-cluster entry.
 */
export async function registerDaemonAddons(): Promise<void> {
  // No addon yet: clusters run the lifecycle only.
}
