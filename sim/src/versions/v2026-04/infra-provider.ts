/**
 * The InfraProvider `lattice install` creates at 2026-04 (cli/commands/install.rs:885-1044): named
 * after `spec.providerRef`, in lattice-system, `type` from the provider block, `region` from the aws
 * block, and for a cloud provider `credentials{id: <its credentials secret>, provider: lattice-local}`
 * (Docker has none). It is server-side applied on the bootstrap cluster, then copied to the
 * management cluster with the other distributable resources (install.rs:695-731).
 */
import type { KubeObject } from '../../apiserver/types.js';

const LATTICE_SYSTEM = 'lattice-system';
/** lattice-common/src/lib.rs:74 */
const LOCAL_WEBHOOK_STORE = 'lattice-local';
/** lattice-common/src/lib.rs:268-272 */
const CREDENTIALS_SECRET: Record<string, string> = { aws: 'aws-credentials', proxmox: 'proxmox-credentials', openstack: 'openstack-cloud-config' };

/** InfraProviderType is serialized lowercase (crd/infra_provider.rs:83-95). */
export function infraProviderFor(cluster: KubeObject, provider: 'aws' | 'docker' | 'openstack' | 'proxmox'): KubeObject {
  const secret = CREDENTIALS_SECRET[provider];
  const region = cluster.spec?.provider?.config?.aws?.region;
  return {
    apiVersion: 'lattice.dev/v1alpha1', kind: 'InfraProvider',
    metadata: { name: String(cluster.spec?.providerRef ?? ''), namespace: LATTICE_SYSTEM },
    spec: {
      type: provider,
      ...(provider === 'aws' && region ? { region } : {}),
      ...(secret ? { credentials: { id: secret, provider: LOCAL_WEBHOOK_STORE } } : {}),
    },
  };
}
