/**
 * Third-party kinds a Lattice cluster serves once the operator and CAPI providers are installed
 * (lattice-facts §2.2, §6): CAPI core, bootstrap, control plane and infrastructure providers,
 * Cilium, Istio, Gateway API and cert-manager.
 */
import type { ResourceType } from '../apiserver/types.js';

const CAPI = 'cluster.x-k8s.io';
const INFRA = 'infrastructure.cluster.x-k8s.io';
const CP = 'controlplane.cluster.x-k8s.io';
const BOOT = 'bootstrap.cluster.x-k8s.io';

const t = (group: string, version: string, plural: string, kind: string, namespaced: boolean, extra: Partial<ResourceType> = {}): ResourceType =>
  ({ group, version, plural, kind, namespaced, statusSubresource: true, ...extra });

const phaseAge = [{ name: 'Phase', type: 'string', jsonPath: '.status.phase' }];

/** CAPI kinds; Docker kinds are served at v1beta2 (kubeadm) and v1beta1 (rke2), one storage. */
export const CAPI_KINDS: ResourceType[] = [
  t(CAPI, 'v1beta2', 'clusters', 'Cluster', true, {
    shortNames: ['cl'],
    printerColumns: [
      { name: 'ClusterClass', type: 'string', jsonPath: '.spec.topology.classRef.name' },
      { name: 'Available', type: 'string', jsonPath: ".status.conditions[?(@.type==\"Available\")].status" },
      { name: 'CP Desired', type: 'integer', jsonPath: '.status.controlPlane.desiredReplicas' },
      { name: 'W Desired', type: 'integer', jsonPath: '.status.workers.desiredReplicas' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Version', type: 'string', jsonPath: '.spec.topology.version' },
    ],
  }),
  t(CAPI, 'v1beta2', 'machinedeployments', 'MachineDeployment', true, {
    shortNames: ['md'], scaleSubresource: true,
    printerColumns: [
      { name: 'Cluster', type: 'string', jsonPath: '.spec.clusterName' },
      { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Current', type: 'integer', jsonPath: '.status.replicas' },
      { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Version', type: 'string', jsonPath: '.spec.template.spec.version' },
    ],
  }),
  t(CAPI, 'v1beta2', 'machinesets', 'MachineSet', true, { shortNames: ['ms'], scaleSubresource: true }),
  t(CAPI, 'v1beta2', 'machines', 'Machine', true, {
    shortNames: ['ma'],
    printerColumns: [
      { name: 'Cluster', type: 'string', jsonPath: '.spec.clusterName' },
      { name: 'NodeName', type: 'string', jsonPath: '.status.nodeRef.name' },
      { name: 'ProviderID', type: 'string', jsonPath: '.spec.providerID' },
      ...phaseAge,
      { name: 'Version', type: 'string', jsonPath: '.spec.version' },
    ],
  }),
  t(CAPI, 'v1beta2', 'machinehealthchecks', 'MachineHealthCheck', true, { shortNames: ['mhc', 'mhcs'] }),
  t('addons.cluster.x-k8s.io', 'v1beta2', 'clusterresourcesets', 'ClusterResourceSet', true, { shortNames: ['crs'] }),
  t('clusterctl.cluster.x-k8s.io', 'v1alpha3', 'providers', 'Provider', true, { statusSubresource: false }),
  t(CP, 'v1beta2', 'kubeadmcontrolplanes', 'KubeadmControlPlane', true, {
    shortNames: ['kcp'], scaleSubresource: true,
    printerColumns: [
      { name: 'Cluster', type: 'string', jsonPath: ".metadata.labels['cluster\\.x-k8s\\.io/cluster-name']" },
      { name: 'Initialized', type: 'boolean', jsonPath: '.status.initialization.controlPlaneInitialized' },
      { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas' },
      { name: 'Version', type: 'string', jsonPath: '.spec.version' },
    ],
  }),
  t(CP, 'v1beta1', 'rke2controlplanes', 'RKE2ControlPlane', true, { shortNames: ['rcp'], scaleSubresource: true }),
  t(BOOT, 'v1beta2', 'kubeadmconfigtemplates', 'KubeadmConfigTemplate', true, { statusSubresource: false }),
  t(BOOT, 'v1beta2', 'kubeadmconfigs', 'KubeadmConfig', true),
  t(BOOT, 'v1beta1', 'rke2configtemplates', 'RKE2ConfigTemplate', true, { statusSubresource: false }),
  t(BOOT, 'v1beta1', 'rke2configs', 'RKE2Config', true),
  // Docker (CAPD): v1beta2 with kubeadm, v1beta1 with rke2.
  t(INFRA, 'v1beta2', 'dockerclusters', 'DockerCluster', true),
  t(INFRA, 'v1beta2', 'dockermachinetemplates', 'DockerMachineTemplate', true, { statusSubresource: false }),
  t(INFRA, 'v1beta2', 'dockermachines', 'DockerMachine', true),
  t(INFRA, 'v1beta1', 'dockerclusters', 'DockerCluster', true),
  t(INFRA, 'v1beta1', 'dockermachinetemplates', 'DockerMachineTemplate', true, { statusSubresource: false }),
  t(INFRA, 'v1beta1', 'dockermachines', 'DockerMachine', true),
  // AWS (CAPA) v1beta2, OpenStack (CAPO) v1beta1, Proxmox (CAPMOX) v1alpha1.
  t(INFRA, 'v1beta2', 'awsclusters', 'AWSCluster', true),
  t(INFRA, 'v1beta2', 'awsmachinetemplates', 'AWSMachineTemplate', true, { statusSubresource: false }),
  t(INFRA, 'v1beta2', 'awsmachines', 'AWSMachine', true),
  t(INFRA, 'v1beta1', 'openstackclusters', 'OpenStackCluster', true, { shortNames: ['osc'] }),
  t(INFRA, 'v1beta1', 'openstackmachinetemplates', 'OpenStackMachineTemplate', true, { shortNames: ['osmt'], statusSubresource: false }),
  t(INFRA, 'v1beta1', 'openstackmachines', 'OpenStackMachine', true, { shortNames: ['osm'] }),
  t(INFRA, 'v1alpha1', 'proxmoxclusters', 'ProxmoxCluster', true),
  t(INFRA, 'v1alpha1', 'proxmoxmachinetemplates', 'ProxmoxMachineTemplate', true, { statusSubresource: false }),
  t(INFRA, 'v1alpha1', 'proxmoxmachines', 'ProxmoxMachine', true),
];

/** Mesh, network policy, gateway and certificate kinds the LatticeService compiler writes. */
export const MESH_KINDS: ResourceType[] = [
  t('cilium.io', 'v2', 'ciliumnetworkpolicies', 'CiliumNetworkPolicy', true, { shortNames: ['cnp', 'ciliumnp'] }),
  t('cilium.io', 'v2', 'ciliumclusterwidenetworkpolicies', 'CiliumClusterwideNetworkPolicy', false, { shortNames: ['ccnp'] }),
  t('cilium.io', 'v2alpha1', 'ciliumloadbalancerippools', 'CiliumLoadBalancerIPPool', false, { shortNames: ['ippools', 'ippool', 'lbippool', 'lbippools'] }),
  t('security.istio.io', 'v1beta1', 'authorizationpolicies', 'AuthorizationPolicy', true, { shortNames: ['ap'] }),
  t('security.istio.io', 'v1beta1', 'peerauthentications', 'PeerAuthentication', true, { shortNames: ['pa'] }),
  t('networking.istio.io', 'v1beta1', 'serviceentries', 'ServiceEntry', true, {
    shortNames: ['se'],
    printerColumns: [
      { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts' },
      { name: 'Location', type: 'string', jsonPath: '.spec.location' },
      { name: 'Resolution', type: 'string', jsonPath: '.spec.resolution' },
    ],
  }),
  t('gateway.networking.k8s.io', 'v1', 'gatewayclasses', 'GatewayClass', false, { shortNames: ['gc'] }),
  t('gateway.networking.k8s.io', 'v1', 'gateways', 'Gateway', true, {
    shortNames: ['gtw'],
    printerColumns: [
      { name: 'Class', type: 'string', jsonPath: '.spec.gatewayClassName' },
      { name: 'Address', type: 'string', jsonPath: '.status.addresses[*].value' },
      { name: 'Programmed', type: 'string', jsonPath: ".status.conditions[?(@.type==\"Programmed\")].status" },
    ],
  }),
  t('gateway.networking.k8s.io', 'v1', 'httproutes', 'HTTPRoute', true, {
    printerColumns: [{ name: 'Hostnames', type: 'string', jsonPath: '.spec.hostnames' }],
  }),
  t('cert-manager.io', 'v1', 'certificates', 'Certificate', true, {
    shortNames: ['cert', 'certs'],
    printerColumns: [
      { name: 'Ready', type: 'string', jsonPath: ".status.conditions[?(@.type==\"Ready\")].status" },
      { name: 'Secret', type: 'string', jsonPath: '.spec.secretName' },
    ],
  }),
  t('cert-manager.io', 'v1', 'issuers', 'Issuer', true),
  t('cert-manager.io', 'v1', 'clusterissuers', 'ClusterIssuer', false),
];
