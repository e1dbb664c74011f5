/**
 * Helpers for the 2026-04 lifecycle tests: b5d50e90-shaped LatticeClusters (providerRef,
 * latticeImage, controlPlane.replicas, workerPools) and an install at API version 2026-04.
 */
import type { KubeObject, ObjectStore } from '../../src/apiserver/types.js';
import { install } from '../../src/lifecycle/index.js';
import { LC_API, storeOf, type Harness } from './harness.js';

export interface PoolInput { replicas: number; labels?: Record<string, string>; taints?: Array<{ key: string; value?: string; effect: string }> }

export function cluster0404(name: string, pools: Record<string, PoolInput | number>, o: { parent?: boolean; version?: string; bootstrap?: 'kubeadm' | 'rke2' } = {}): KubeObject {
  return {
    apiVersion: LC_API, kind: 'LatticeCluster', metadata: { name },
    spec: {
      providerRef: 'docker', latticeImage: 'ghcr.io/evan-hines-js/lattice:latest',
      provider: { kubernetes: { version: o.version ?? '1.32.0', ...(o.bootstrap ? { bootstrap: o.bootstrap } : {}) }, config: { docker: {} } },
      nodes: {
        controlPlane: { replicas: 1 },
        workerPools: Object.fromEntries(Object.entries(pools).map(([id, p]) => [id, typeof p === 'number' ? { replicas: p } : p])),
      },
      ...(o.parent ? { parentConfig: { service: { type: 'LoadBalancer' } } } : {}),
    },
  };
}

export async function install0404(h: Harness, lc: KubeObject): Promise<ObjectStore> {
  await install({ infra: h.infra, cluster: lc, log: () => undefined, timeoutMs: 30_000, apiVersion: '2026-04' });
  return storeOf(h, lc.metadata.name);
}
