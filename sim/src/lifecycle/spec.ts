/**
 * Reading a LatticeCluster spec the way the operator does: which provider and bootstrap it names,
 * and the validation errors that send it to Failed (lattice-facts §1.1, §2.1).
 */
import type { KubeObject } from '../apiserver/types.js';
import { PROVIDERS, type BootstrapType, type ProviderType } from './names.js';

export interface ClusterShape {
  provider: ProviderType;
  bootstrap: BootstrapType;
  version: string;
  controlPlane: number;
  workers: number;
  /** Present when the cluster may have children. */
  parentConfig?: { host?: string; grpcPort: number; bootstrapPort: number; serviceType: string };
}

/** Provider named by `spec.provider.config` (none set ⇒ docker). */
export function providerOf(spec: any): ProviderType { // eslint-disable-line @typescript-eslint/no-explicit-any
  const config = spec?.provider?.config ?? {};
  return PROVIDERS.find((p) => config[p] !== undefined && config[p] !== null) ?? 'docker';
}

export function shapeOf(lc: KubeObject): ClusterShape {
  const spec = lc.spec ?? {};
  const pc = spec.parentConfig;
  return {
    provider: providerOf(spec),
    bootstrap: spec.provider?.kubernetes?.bootstrap === 'rke2' ? 'rke2' : 'kubeadm',
    version: String(spec.provider?.kubernetes?.version ?? ''),
    controlPlane: Number(spec.nodes?.controlPlane ?? 0),
    workers: Number(spec.nodes?.workers ?? 0),
    parentConfig: pc ? {
      host: pc.host,
      grpcPort: pc.grpcPort ?? 50051,
      bootstrapPort: pc.bootstrapPort ?? 8443,
      serviceType: pc.service?.type ?? 'LoadBalancer',
    } : undefined,
  };
}

/** The operator's own validation; a message here sends the cluster to Failed. */
export function validationError(lc: KubeObject): string | undefined {
  const spec = lc.spec ?? {};
  const cp = spec.nodes?.controlPlane;
  if (typeof cp !== 'number' || !Number.isInteger(cp)) return 'spec.nodes.controlPlane must be a whole number';
  if (cp < 1) return 'control plane count must be at least 1';
  if (cp > 1 && cp % 2 === 0) return `control plane count must be odd for etcd quorum (1, 3, 5, ...), got ${cp}`;
  const workers = spec.nodes?.workers;
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 0) return 'spec.nodes.workers must be a whole number of at least 0';
  if (!spec.provider?.kubernetes?.version) return 'spec.provider.kubernetes.version is required';
  const blocks = PROVIDERS.filter((p) => spec.provider?.config?.[p] !== undefined && spec.provider?.config?.[p] !== null);
  if (blocks.length > 1) return `exactly one provider config must be set, found ${blocks.join(', ')}`;
  return undefined;
}
