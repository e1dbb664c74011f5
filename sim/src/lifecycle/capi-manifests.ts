/**
 * The CAPI manifests the operator applies for a cluster (lattice-facts §2.2): Cluster, control
 * plane, worker MachineDeployment `<name>-md-0` (replicas 0 until the cluster owns itself), bootstrap
 * config template and the provider's infrastructure kinds.
 */
import type { KubeObject } from '../apiserver/types.js';
import {
  CAPI_API, CAPI_CLUSTER_FINALIZER, CLUSTER_NAME_LABEL, MANAGED_BY_LABEL,
  bootstrapKinds, capiNamespace, controlPlaneName, infraKinds, machineDeploymentName,
} from './names.js';
import type { ClusterShape } from './spec.js';
import { poolManifests } from '../versions/v2026-04/lifecycle/pools.js';

/** Labels every CAPI object of a cluster carries; run-id style labels of the LatticeCluster travel along. */
export function capiLabels(cluster: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, [CLUSTER_NAME_LABEL]: cluster, [MANAGED_BY_LABEL]: 'lattice' };
}

/** Labels of the LatticeCluster that are passed down (the suite's run id, for instance). */
export function inheritedLabels(lc: KubeObject): Record<string, string> {
  return Object.fromEntries(Object.entries(lc.metadata.labels ?? {}).filter(([k]) => !k.startsWith('cluster.x-k8s.io/')));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function infraTemplateSpec(shape: ClusterShape, config: any, role: 'cp' | 'worker'): Record<string, unknown> {
  switch (shape.provider) {
    case 'docker': return { customImage: `kindest/node:v${shape.version}` };
    case 'aws': return {
      instanceType: role === 'cp' ? config.cpInstanceType : config.workerInstanceType,
      sshKeyName: config.sshKeyName, iamInstanceProfile: role === 'cp' ? 'control-plane.cluster-api-provider-aws.sigs.k8s.io' : 'nodes.cluster-api-provider-aws.sigs.k8s.io',
    };
    case 'openstack': return {
      flavor: role === 'cp' ? config.cpFlavor : config.workerFlavor,
      image: { filter: { name: config.imageName } }, sshKeyName: config.sshKeyName,
    };
    case 'proxmox': return {
      numCores: role === 'cp' ? config.cpCores : config.workerCores,
      memoryMiB: role === 'cp' ? config.cpMemoryMib : config.workerMemoryMib,
      disks: { bootVolume: { disk: 'scsi0', sizeGb: role === 'cp' ? config.cpDiskSizeGb : config.workerDiskSizeGb } },
      sourceNode: config.sourceNode ?? 'pve', templateID: config.templateId ?? 9000,
    };
  }
}

/**
 * AWSCluster spec as PROV/aws.rs:58-113 builds it: Cilium's CNI ingress rules always; with `vpcId`
 * the existing VPC and `subnetIds` (the only subnet field: pruned cpSubnetIds never reach it).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function awsClusterSpec(config: any): Record<string, unknown> {
  const cni = { cniIngressRules: [
    { description: 'VXLAN (cilium)', fromPort: 8472, toPort: 8472, protocol: 'udp' },
    { description: 'health (cilium)', fromPort: 4240, toPort: 4240, protocol: 'tcp' },
    { description: 'ICMP', fromPort: -1, toPort: -1, protocol: 'icmp' },
  ] };
  const network = config.vpcId
    ? { vpc: { id: config.vpcId }, cni, ...(config.subnetIds ? { subnets: (config.subnetIds as string[]).map((id) => ({ id })) } : {}) }
    : { cni };
  return {
    region: config.region, sshKeyName: config.sshKeyName, network,
    controlPlaneLoadBalancer: { scheme: 'internet-facing', loadBalancerType: config.loadBalancerType ?? 'nlb', healthCheckProtocol: 'HTTPS' },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function infraClusterSpec(name: string, shape: ClusterShape, config: any): Record<string, unknown> {
  switch (shape.provider) {
    case 'docker': return { loadBalancer: {} };
    case 'aws': return awsClusterSpec(config);
    case 'openstack': return { externalNetwork: { id: config.externalNetworkId }, apiServerLoadBalancer: { enabled: true }, identityRef: { name: `${name}-cloud-config`, cloudName: 'openstack' } };
    case 'proxmox': {
      const [host, port] = String(config.controlPlaneEndpoint ?? '').split(':');
      return { controlPlaneEndpoint: { host, port: Number(port || 6443) }, ipv4Config: { addresses: [config.ipv4Pool?.range], prefix: Number(String(config.ipv4Pool?.range ?? '').split('/')[1] ?? 24), gateway: config.ipv4Pool?.gateway }, dnsServers: config.dnsServers ?? ['8.8.8.8'] };
    }
  }
}

/**
 * Every object `capi-<name>` holds before a machine exists. With `pools` (API 2026-04) the workers
 * are one MachineDeployment per worker pool, `<name>-pool-<id>`, instead of `<name>-md-0`.
 */
export function capiManifests(lc: KubeObject, shape: ClusterShape, pools?: Record<string, unknown>): KubeObject[] {
  const name = lc.metadata.name;
  const namespace = capiNamespace(name);
  const labels = capiLabels(name, inheritedLabels(lc));
  const infra = infraKinds(shape.provider, shape.bootstrap);
  const boot = bootstrapKinds(shape.bootstrap);
  const config = lc.spec?.provider?.config?.[shape.provider] ?? {};
  const meta = (n: string, extra: Record<string, unknown> = {}) => ({ name: n, namespace, labels: { ...labels }, ...extra });
  const cpName = controlPlaneName(name);
  const mdName = machineDeploymentName(name);
  const certSANs: string[] = lc.spec?.provider?.kubernetes?.certSANs ?? [];
  const core: KubeObject[] = [
    {
      apiVersion: CAPI_API, kind: 'Cluster',
      metadata: meta(name, { finalizers: [CAPI_CLUSTER_FINALIZER] }),
      spec: {
        clusterNetwork: { pods: { cidrBlocks: ['10.244.0.0/16'] }, services: { cidrBlocks: ['10.96.0.0/12'] } },
        controlPlaneRef: { apiGroup: boot.controlPlaneApi.split('/')[0], kind: boot.controlPlane, name: cpName },
        infrastructureRef: { apiGroup: infra.apiVersion.split('/')[0], kind: infra.cluster, name },
      },
    },
    { apiVersion: infra.apiVersion, kind: infra.cluster, metadata: meta(name), spec: infraClusterSpec(name, shape, config) },
    { apiVersion: infra.apiVersion, kind: infra.template, metadata: meta(cpName), spec: { template: { spec: infraTemplateSpec(shape, config, 'cp') } } },
    {
      apiVersion: boot.controlPlaneApi, kind: boot.controlPlane, metadata: meta(cpName),
      spec: shape.bootstrap === 'rke2'
        ? { replicas: shape.controlPlane, version: `v${shape.version}+rke2r1`, serverConfig: { tlsSan: certSANs }, machineTemplate: { infrastructureRef: { apiVersion: infra.apiVersion, kind: infra.template, name: cpName } } }
        : { replicas: shape.controlPlane, version: `v${shape.version}`, kubeadmConfigSpec: { clusterConfiguration: { apiServer: { certSANs } } }, machineTemplate: { spec: { infrastructureRef: { apiGroup: infra.apiVersion.split('/')[0], kind: infra.template, name: cpName } } } },
    },
  ];
  if (pools) {
    const input = {
      cluster: name, namespace, labels, version: shape.version, bootstrap: shape.bootstrap,
      infra, boot, infraTemplateSpec: infraTemplateSpec(shape, config, 'worker'),
    };
    // BTreeMap: pools in key order (provider/docker.rs:335-350)
    return [...core, ...Object.keys(pools).sort().flatMap((id) => poolManifests(input, id, pools[id]))];
  }
  return [
    ...core,
    { apiVersion: infra.apiVersion, kind: infra.template, metadata: meta(mdName), spec: { template: { spec: infraTemplateSpec(shape, config, 'worker') } } },
    {
      apiVersion: boot.configApi, kind: boot.configTemplate, metadata: meta(mdName),
      spec: { template: { spec: shape.bootstrap === 'rke2' ? { agentConfig: {} } : { joinConfiguration: { nodeRegistration: { kubeletExtraArgs: [] } } } } },
    },
    {
      apiVersion: CAPI_API, kind: 'MachineDeployment', metadata: meta(mdName),
      spec: {
        clusterName: name,
        replicas: 0,
        selector: { matchLabels: { 'cluster.x-k8s.io/deployment-name': mdName } },
        template: {
          metadata: { labels: { 'cluster.x-k8s.io/deployment-name': mdName } },
          spec: {
            clusterName: name,
            version: `v${shape.version}`,
            bootstrap: { configRef: { apiGroup: boot.configApi.split('/')[0], kind: boot.configTemplate, name: mdName } },
            infrastructureRef: { apiGroup: infra.apiVersion.split('/')[0], kind: infra.template, name: mdName },
          },
        },
      },
    },
  ];
}

