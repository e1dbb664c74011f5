/**
 * The daemon: one long-running process playing "the infrastructure" (the Docker engine / cloud).
 * It hosts every simulated cluster (store, HTTPS API, controllers), serves the control surface and
 * writes `$LATTICE_SIM_HOME/daemon.json`. It exits when asked, on SIGTERM/SIGINT, once its last
 * cluster is gone after a job or destruction, or after an idle minute with no cluster at all.
 */
import { randomBytes } from 'node:crypto';
import { startApiServer } from '../apiserver/server.js';
import type { ObjectStore } from '../apiserver/types.js';
import { getSpeed, setSpeed } from '../clock.js';
import { activeFaults, parseFaults, setFaults } from '../faults.js';
import { Infrastructure } from '../lifecycle/index.js';
import { LATTICE_API, LATTICE_CLUSTER_KIND } from '../lifecycle/names.js';
import { startControlServer } from './control-server.js';
import { daemonLog, ensureHome, pruneHome, removeDaemonInfo, simHome, workDir, writeDaemonInfo } from './home.js';
import { registerDaemonAddons } from './addons.js';
import { createProxyRegistry } from '../versions/v2026-04/proxy/index.js';

/** The version `/version` reports: the cluster's own LatticeCluster, else its control plane, else 1.32.0. */
function clusterVersion(store: ObjectStore, cluster: string): string {
  try {
    const lc = store.get(LATTICE_API, LATTICE_CLUSTER_KIND, cluster);
    const v = lc?.spec?.provider?.kubernetes?.version;
    if (v) return String(v);
    const kcp = store.list('controlplane.cluster.x-k8s.io/v1beta2', 'KubeadmControlPlane', { namespace: `capi-${cluster}` }).items[0];
    if (kcp?.spec?.version) return String(kcp.spec.version).replace(/^v/, '');
  } catch { /* kinds not registered yet */ }
  return '1.32.0';
}

async function main(): Promise<void> {
  const home = simHome();
  ensureHome(home);
  pruneHome(home);
  setFaults(parseFaults(process.env.LATTICE_SIM_FAULTS));
  if (process.env.LATTICE_SIM_SPEED) setSpeed(Number(process.env.LATTICE_SIM_SPEED));
  const idleExitMs = Number(process.env.LATTICE_SIM_IDLE_EXIT_MS ?? 60_000);
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

  const infra = new Infrastructure({
    workDir: workDir(home),
    log,
    apiServer: (o) => startApiServer({ ...o, kubernetesVersion: () => clusterVersion(o.store, o.clusterName) }),
  });
  const proxies = createProxyRegistry();
  await registerDaemonAddons(infra, proxies, log);

  let stopping = false;
  const token = randomBytes(24).toString('hex');
  const startedAt = Date.now();
  let everHadCluster = false;
  infra.on('change', () => { if (infra.names().length > 0) everHadCluster = true; });

  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`daemon: stopping (${why})`);
    removeDaemonInfo(home);
    await infra.destroyAll().catch((e) => log(`daemon: error while destroying clusters: ${(e as Error).message}`));
    try { pruneHome(home); } catch (e) { log(`daemon: could not prune ${home}: ${(e as Error).message}`); }
    control.server.close();
    control.server.closeAllConnections();
    setTimeout(() => process.exit(0), 50).unref();
  };

  const settle = () => setTimeout(() => {
    if (!stopping && infra.names().length === 0 && control.jobs() === 0) void stop('no clusters left');
  }, 100);

  const control = await startControlServer({
    infra, proxies, token, startedAt,
    port: process.env.LATTICE_SIM_PORT ? Number(process.env.LATTICE_SIM_PORT) : 0,
    onStop: () => void stop('stop requested'),
    onSettled: settle,
  });
  writeDaemonInfo({ pid: process.pid, port: control.port, url: `http://127.0.0.1:${control.port}`, token, home, startedAt: new Date(startedAt).toISOString(), log: daemonLog(home) });
  log(`daemon: pid ${process.pid} serving the control surface on 127.0.0.1:${control.port} (faults: ${activeFaults().join(',') || 'none'}; speed ${getSpeed()})`);

  if (idleExitMs > 0) {
    const idle = setInterval(() => {
      if (!everHadCluster && infra.names().length === 0 && control.jobs() === 0 && Date.now() - startedAt > idleExitMs) {
        clearInterval(idle);
        void stop('idle without clusters');
      }
    }, Math.min(idleExitMs, 5_000));
    idle.unref();
  }
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void stop(sig));
  process.on('uncaughtException', (e) => log(`daemon: uncaught ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) => log(`daemon: unhandled rejection ${(e as Error)?.stack ?? String(e)}`));
}

main().catch((e) => {
  process.stderr.write(`lattice-sim daemon failed to start: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
