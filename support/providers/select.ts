/**
 * Which provider reaches a cluster, decided by the fixture's `spec.provider.config` block as
 * upstream decides it: docker ⇒ the Docker (CAPD) provider; aws, openstack, proxmox ⇒ the cloud
 * provider. One instance per family and run, because the cloud provider's captures live in it.
 * (The embedded target brings its own provider and does not come through here.)
 */
import { FixtureError } from '../errors.js';
import { CloudProvider, type CloudProviderOptions } from './cloud.js';
import { DockerProvider, type DockerProviderOptions } from './docker.js';
import type { Provider, ProviderKind } from './types.js';

export type ProviderFamily = 'docker' | 'cloud';

const FAMILY: Record<ProviderKind, ProviderFamily> = { docker: 'docker', aws: 'cloud', openstack: 'cloud', proxmox: 'cloud' };

/** The family of a provider kind; a kind Lattice's fixtures cannot name is a FixtureError. */
export function providerFamily(kind: ProviderKind): ProviderFamily {
  const family = (FAMILY as Record<string, ProviderFamily | undefined>)[kind];
  if (!family) throw new FixtureError(`provider "${String(kind)}" has no provider here`, `use one of ${Object.keys(FAMILY).join(', ')} under spec.provider.config`);
  return family;
}

export interface ProviderSelectorOptions {
  workDir: string;
  runId?: string;
  docker?: Omit<DockerProviderOptions, 'workDir' | 'runId'>;
  cloud?: Omit<CloudProviderOptions, 'workDir'>;
  log?: (line: string) => void;
}

export class ProviderSelector {
  private readonly made = new Map<ProviderFamily, Provider>();
  constructor(private readonly options: ProviderSelectorOptions) {}

  /** The provider for a cluster fixture (or ClusterRef): anything with its `provider` kind. */
  forCluster(cluster: { provider: ProviderKind }): Provider {
    const family = providerFamily(cluster.provider);
    let p = this.made.get(family);
    if (!p) {
      const { workDir, runId, log } = this.options;
      p = family === 'docker'
        ? new DockerProvider({ log, ...this.options.docker, workDir, runId })
        : new CloudProvider({ log, ...this.options.cloud, workDir });
      this.made.set(family, p);
    }
    return p;
  }
}
