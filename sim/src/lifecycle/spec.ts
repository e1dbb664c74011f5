/**
 * Reading a LatticeCluster spec the way the operator does: which provider and bootstrap it names,
 * and the validation errors that send it to Failed (lattice-facts §1.1, §2.1).
 */
import type { KubeObject } from '../apiserver/types.js';
import type { BootstrapType, ProviderType } from './names.js';

export interface ClusterShape {
  provider: ProviderType;
  bootstrap: BootstrapType;
  version: string;
  controlPlane: number;
  workers: number;
  /** Present when the cluster may have children. */
  parentConfig?: { host?: string; grpcPort: number; bootstrapPort: number };
}

/** The provider a spec names: the first block set in upstream's order, none set ⇒ docker (types.rs:234-246). */
const PROVIDER_ORDER: readonly ProviderType[] = ['aws', 'docker', 'openstack', 'proxmox'];
export function providerOf(spec: any): ProviderType { // eslint-disable-line @typescript-eslint/no-explicit-any
  const config = spec?.provider?.config ?? {};
  return PROVIDER_ORDER.find((p) => config[p] !== undefined && config[p] !== null) ?? 'docker';
}

export function shapeOf(lc: KubeObject): ClusterShape {
  const spec = lc.spec ?? {};
  const pc = spec.parentConfig;
  return {
    provider: providerOf(spec),
    bootstrap: spec.provider?.kubernetes?.bootstrap === 'rke2' ? 'rke2' : 'kubeadm',
    version: String(spec.provider?.kubernetes?.version ?? ''),
    // 2026-04 (b5d50e90, types.rs:512-664): controlPlane.replicas and the sum of the worker pools.
    controlPlane: Number(typeof spec.nodes?.controlPlane === 'object' ? spec.nodes.controlPlane?.replicas ?? 0 : spec.nodes?.controlPlane ?? 0),
    workers: spec.nodes?.workerPools ? Object.values(spec.nodes.workerPools as Record<string, { replicas?: number }>).reduce((n, p) => n + Number(p?.replicas ?? 0), 0) : Number(spec.nodes?.workers ?? 0),
    parentConfig: pc ? {
      host: pc.host,
      grpcPort: pc.grpcPort ?? 50051,
      bootstrapPort: pc.bootstrapPort ?? 8443,
    } : undefined,
  };
}

/**
 * The operator's own validation, the only cause of phase Failed: LatticeClusterSpec::validate checks
 * the node counts alone (crd/cluster.rs:72-77, types.rs:319-331); the schema has already refused
 * wrong types. The message is the error's Display (error.rs:25, context "unknown").
 */
export function validationError(lc: KubeObject): string | undefined {
  const cp = Number(lc.spec?.nodes?.controlPlane);
  const fail = (m: string) => `validation error for unknown: ${m}`;
  if (cp === 0) return fail('control plane count must be at least 1');
  if (cp > 1 && cp % 2 === 0) return fail('control plane count must be odd for HA (1, 3, 5, ...)');
  return undefined;
}
