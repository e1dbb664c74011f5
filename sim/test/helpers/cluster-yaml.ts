/**
 * A b5d50e90-shaped LatticeCluster file (providerRef, latticeImage, controlPlane.replicas,
 * workerPools; crd/cluster.rs:75-138) for the tests that install through the target's CLIs.
 */
import * as yaml from 'js-yaml';

export interface ClusterYamlOptions {
  /** A parentConfig (default: yes), with this proxyPort if given. */
  parent?: boolean;
  proxyPort?: number;
  /** Worker pools by id and replicas (default: none). */
  pools?: Record<string, number>;
  labels?: Record<string, string>;
}

export function clusterYaml0404(name: string, o: ClusterYamlOptions = {}): string {
  return yaml.dump({
    apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster',
    metadata: { name, ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      providerRef: 'docker', latticeImage: 'ghcr.io/evan-hines-js/lattice:latest',
      provider: { kubernetes: { version: '1.32.0' }, config: { docker: {} } },
      nodes: {
        controlPlane: { replicas: 1 },
        workerPools: Object.fromEntries(Object.entries(o.pools ?? {}).map(([id, replicas]) => [id, { replicas }])),
      },
      ...(o.parent ?? true ? { parentConfig: { ...(o.proxyPort ? { proxyPort: o.proxyPort } : {}), service: { type: 'LoadBalancer' } } } : {}),
    },
  });
}
