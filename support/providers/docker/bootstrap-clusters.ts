/**
 * Removing stale kind bootstrap clusters (`lattice-bootstrap`, `lattice-uninstall`) a killed install
 * or uninstall left behind: `kind delete cluster` when kind is installed (it also drops the kubeconfig
 * context), else their containers are force-removed.
 */
import type Docker from 'dockerode';
import { execa } from 'execa';
import { listClusterContainers } from './cluster-containers.js';
import { forceRemoveContainer } from './remove.js';

export const BOOTSTRAP_CLUSTERS = ['lattice-bootstrap', 'lattice-uninstall'] as const;

/** A kind cluster of `lattice install`/`uninstall`, with or without a run id (2026-04: `lattice-bootstrap-<runId>`). */
export const isBootstrapClusterName = (name: string): boolean => /^lattice-(bootstrap|uninstall)(-[a-z0-9-]+)?$/.test(name);

export interface RemoveBootstrapClustersInput {
  names: readonly string[];
  /** The kind executable; `kind` on PATH by default. */
  kindBinary: string;
  log?: (line: string) => void;
}

async function kindAvailable(kindBinary: string): Promise<boolean> {
  try {
    await execa(kindBinary, ['version'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Returns one line per removed cluster or container. */
export async function removeBootstrapClusters(docker: Docker, input: RemoveBootstrapClustersInput): Promise<string[]> {
  const lines: string[] = [];
  let useKind: boolean | undefined;
  for (const name of input.names) {
    const before = await listClusterContainers(docker, name);
    if (before.length === 0) continue;
    useKind ??= await kindAvailable(input.kindBinary);
    if (useKind) {
      try {
        await execa(input.kindBinary, ['delete', 'cluster', '--name', name], { timeout: 300_000 });
        lines.push(`deleted kind cluster ${name}`);
      } catch (err) {
        input.log?.(`kind delete cluster --name ${name} failed (${(err as Error).message.split('\n')[0]}); removing its containers`);
      }
    }
    for (const c of await listClusterContainers(docker, name)) {
      await forceRemoveContainer(docker, c.id);
      lines.push(`removed container ${c.name} of bootstrap cluster ${name}`);
    }
  }
  return lines;
}
