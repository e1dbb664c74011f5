/**
 * Names, labels and apiVersions of the cluster lifecycle (lattice-facts §1, §2.2), in one place so
 * the controllers, the installer and the tests agree on them.
 */
export const LATTICE_API = 'lattice.dev/v1alpha1';
export const LATTICE_CLUSTER_KIND = 'LatticeCluster';
export const UNPIVOT_FINALIZER = 'lattice.dev/unpivot';
export const LATTICE_SYSTEM = 'lattice-system';
export const CELL_SERVICE = 'lattice-cell';
export const PARENT_CONFIG_SECRET = 'lattice-parent-config';
export const OPERATOR_DEPLOYMENT = 'lattice-operator';
export const DEFAULT_IMAGE = 'ghcr.io/evan-hines-js/lattice:latest';

export const CAPI_API = 'cluster.x-k8s.io/v1beta2';
export const CAPI_CLUSTER_FINALIZER = 'cluster.cluster.x-k8s.io';
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';
export const CONTROL_PLANE_LABEL = 'cluster.x-k8s.io/control-plane';
export const DEPLOYMENT_NAME_LABEL = 'cluster.x-k8s.io/deployment-name';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const NODE_ROLE_CP = 'node-role.kubernetes.io/control-plane';

export const BOOTSTRAP_CLUSTER = 'lattice-bootstrap';
export const UNINSTALL_CLUSTER = 'lattice-uninstall';

export type ProviderType = 'docker' | 'aws' | 'openstack' | 'proxmox';
export type BootstrapType = 'kubeadm' | 'rke2';
export const PROVIDERS: readonly ProviderType[] = ['docker', 'aws', 'openstack', 'proxmox'];

export const capiNamespace = (cluster: string): string => `capi-${cluster}`;
export const kubeconfigSecretName = (cluster: string): string => `${cluster}-kubeconfig`;
export const machineDeploymentName = (cluster: string): string => `${cluster}-md-0`;
export const controlPlaneName = (cluster: string): string => `${cluster}-control-plane`;

const INFRA = 'infrastructure.cluster.x-k8s.io';

/** Infrastructure kinds per provider (Docker drops to v1beta1 with rke2, facts §2.2). */
export function infraKinds(provider: ProviderType, bootstrap: BootstrapType): { apiVersion: string; cluster: string; template: string; machine: string } {
  switch (provider) {
    case 'docker': return { apiVersion: `${INFRA}/${bootstrap === 'rke2' ? 'v1beta1' : 'v1beta2'}`, cluster: 'DockerCluster', template: 'DockerMachineTemplate', machine: 'DockerMachine' };
    case 'aws': return { apiVersion: `${INFRA}/v1beta2`, cluster: 'AWSCluster', template: 'AWSMachineTemplate', machine: 'AWSMachine' };
    case 'openstack': return { apiVersion: `${INFRA}/v1beta1`, cluster: 'OpenStackCluster', template: 'OpenStackMachineTemplate', machine: 'OpenStackMachine' };
    case 'proxmox': return { apiVersion: `${INFRA}/v1alpha1`, cluster: 'ProxmoxCluster', template: 'ProxmoxMachineTemplate', machine: 'ProxmoxMachine' };
  }
}

/** Control plane and bootstrap config kinds per bootstrap flavour. */
export function bootstrapKinds(bootstrap: BootstrapType): { controlPlaneApi: string; controlPlane: string; configApi: string; configTemplate: string } {
  return bootstrap === 'rke2'
    ? { controlPlaneApi: 'controlplane.cluster.x-k8s.io/v1beta1', controlPlane: 'RKE2ControlPlane', configApi: 'bootstrap.cluster.x-k8s.io/v1beta1', configTemplate: 'RKE2ConfigTemplate' }
    : { controlPlaneApi: 'controlplane.cluster.x-k8s.io/v1beta2', controlPlane: 'KubeadmControlPlane', configApi: 'bootstrap.cluster.x-k8s.io/v1beta2', configTemplate: 'KubeadmConfigTemplate' };
}

/** The CAPI provider controllers `clusterctl init` installs, as namespace/deployment pairs. */
export function capiControllers(provider: ProviderType | 'kind', bootstraps: BootstrapType[] = ['kubeadm', 'rke2']): Array<{ namespace: string; name: string }> {
  const out = [{ namespace: 'capi-system', name: 'capi-controller-manager' }];
  if (bootstraps.includes('kubeadm')) {
    out.push({ namespace: 'capi-kubeadm-bootstrap-system', name: 'capi-kubeadm-bootstrap-controller-manager' });
    out.push({ namespace: 'capi-kubeadm-control-plane-system', name: 'capi-kubeadm-control-plane-controller-manager' });
  }
  if (bootstraps.includes('rke2')) {
    out.push({ namespace: 'rke2-bootstrap-system', name: 'rke2-bootstrap-controller-manager' });
    out.push({ namespace: 'rke2-control-plane-system', name: 'rke2-control-plane-controller-manager' });
  }
  const infra: Record<string, { namespace: string; name: string }> = {
    docker: { namespace: 'capd-system', name: 'capd-controller-manager' },
    kind: { namespace: 'capd-system', name: 'capd-controller-manager' },
    aws: { namespace: 'capa-system', name: 'capa-controller-manager' },
    openstack: { namespace: 'capo-system', name: 'capo-controller-manager' },
    proxmox: { namespace: 'capmox-system', name: 'capmox-controller-manager' },
  };
  out.push(infra[provider]);
  if (provider === 'proxmox') out.push({ namespace: 'caip-in-cluster-system', name: 'caip-in-cluster-controller-manager' });
  return out;
}
