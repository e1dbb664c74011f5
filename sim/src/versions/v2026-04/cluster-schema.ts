/**
 * LatticeCluster at b5d50e90: the structural schema kube-derive generates from the Rust types
 * (crd/cluster.rs:75-138, crd/types.rs, crd/providers/*.rs: a field without a serde default is
 * required, unknown fields pruned) and the `validate.lattice.dev` webhook (webhook/validators/
 * cluster.rs:17-75), which runs `spec.validate()` on CREATE and UPDATE and keeps parentConfig.
 */
import type { KindSchema, KubeObject } from '../../apiserver/types.js';
import { any, arr, bool, int, map, obj, pruneObject, str, validate } from '../../kinds/validate.js';
import { faultOn } from '../../faults.js';
import { validateClusterSpec, withEndpointDefaults } from './cluster-validation.js';

const u32 = () => int({ min: 0 });
const strings = () => arr(str());

// types.rs:432-456, :412-421, :500-507
const instanceType = obj({
  name: str(), cores: u32(), memoryGib: u32(), diskGib: u32(), sockets: u32(),
  gpu: obj({ count: u32(), model: str(), memoryGib: u32() }, ['count', 'model']),
});
const rootVolume = obj({ sizeGb: u32(), type: str() }, ['sizeGb']);

// providers/aws.rs:15-58, openstack.rs:18-83, proxmox.rs:25-280, docker.rs:15-21
const aws = obj({
  region: str(), sshKeyName: str(), cpIamInstanceProfile: str(), workerIamInstanceProfile: str(), vpcId: str(),
  subnetIds: strings(), loadBalancerType: str(), internalLoadBalancer: bool(), amiId: str(), sshAuthorizedKeys: strings(),
}, ['region', 'sshKeyName']);
const openstack = obj({
  externalNetwork: str(), imageName: str(), sshKeyName: str(), cloudName: str(), dnsNameservers: strings(), nodeCidr: str(),
  apiServerLoadBalancerFlavor: str(), managedSecurityGroups: bool(), allowAllInClusterTraffic: bool(),
  cpAvailabilityZone: str(), workerAvailabilityZone: str(), sshAuthorizedKeys: strings(),
}, ['externalNetwork', 'imageName', 'sshKeyName']);
const ipPool = obj({ range: str(), gateway: str() }, ['range', 'gateway']);
const proxmox = obj({
  controlPlaneEndpoint: str(), ipv4Pool: ipPool, sourceNode: str(), templateId: u32(), templateTags: strings(), snapName: str(),
  targetNode: str(), pool: str(), description: str(), tags: strings(), allowedNodes: strings(), dnsServers: strings(),
  sshAuthorizedKeys: strings(), virtualIpNetworkInterface: str(), kubeVipImage: str(), ipv6Pool: ipPool, bridge: str(),
  vlan: u32(), networkModel: str(), memoryAdjustment: u32(), vmidMin: u32(), vmidMax: u32(), skipCloudInitStatus: bool(),
  skipQemuGuestAgent: bool(), lbCidr: str(), additionalNetworks: arr(obj({ bridge: str(), ipv4Pool: ipPool }, ['bridge', 'ipv4Pool'])),
}, ['controlPlaneEndpoint', 'ipv4Pool']);
const docker = obj({ lbCidr: str() });

// types.rs:339-370, :512-582, :663-664
const taint = obj({ key: str(), value: str(), effect: str({ enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] }) }, ['key', 'effect']);
const workerPool = obj({
  displayName: str(), replicas: u32(), instanceType, rootVolume, labels: map(str()), taints: arr(taint),
  min: u32(), max: u32(), capacity: obj({ cpu: str(), memory: str() }, ['cpu', 'memory']),
}, ['replicas']);

// types.rs:784-806, :852-904
const certPolicy = obj({ minLifespanHours: u32(), maxLifespanHours: u32(), defaultLifespanHours: u32() });
const parentConfig = obj({ grpcPort: u32(), bootstrapPort: u32(), proxyPort: u32(), service: obj({ type: str() }, ['type']), certPolicy }, ['service']);

// cluster.rs:75-138
const clusterSpec = obj({
  providerRef: str(),
  provider: obj({
    kubernetes: obj({ version: str(), certSANs: strings(), bootstrap: str({ enum: ['kubeadm', 'rke2'] }) }, ['version']),
    config: obj({ aws, docker, openstack, proxmox }),
  }, ['kubernetes', 'config']),
  nodes: obj({ controlPlane: obj({ replicas: u32(), instanceType, rootVolume }, ['replicas']), workerPools: map(workerPool) }, ['controlPlane']),
  parentConfig,
  services: bool(), gpu: bool(),
  monitoring: obj({ enabled: bool(), ha: bool() }), backups: obj({ enabled: bool() }),
  networkTopology: any(),
  registryMirrors: arr(obj({ upstream: str(), mirror: str(), credentials: any() }, ['upstream', 'mirror'])),
  issuers: map(str()),
  latticeImage: str(),
  cascadeUpgrade: bool(),
}, ['providerRef', 'provider', 'nodes', 'latticeImage']);

const condition = obj({ type: str(), status: str(), reason: str(), message: str(), lastTransitionTime: str(), observedGeneration: int() });
// cluster.rs:309-417
const clusterStatus = obj({
  observedGeneration: int(), phase: str({ enum: ['Pending', 'Provisioning', 'Pivoting', 'Pivoted', 'Ready', 'Deleting', 'Unpivoting', 'Failed'] }),
  message: str(), conditions: arr(condition), readyControlPlane: u32(), readyWorkers: u32(),
  workerPools: map(obj({ desiredReplicas: u32(), currentReplicas: u32(), readyReplicas: u32(), autoscalingEnabled: bool(), message: str() })),
  endpoint: str(), pivotComplete: bool(), bootstrapComplete: bool(), unpivotImportComplete: bool(), bootstrapToken: str(), csrTokenHash: str(),
  childrenHealth: arr(any()), lastHeartbeat: str(), version: str(), infrastructure: arr(any()), poolResources: arr(any()), latticeImage: str(),
});

const WEBHOOK = 'validate.lattice.dev';

/** webhook/validators/cluster.rs:17-75: spec.validate(), then on UPDATE parentConfig kept as it was. */
function admit(o: KubeObject, old?: KubeObject): { webhook: string; message: string } | undefined {
  const deny = (message: string) => ({ webhook: WEBHOOK, message });
  const invalid = validateClusterSpec(o.spec);
  if (invalid) return deny(invalid);
  if (!old) return undefined;
  const [before, after] = [old.spec?.parentConfig, o.spec?.parentConfig];
  if (before == null) return undefined; // none before: unchanged or a promotion, both allowed (:53-54)
  if (after == null) return deny('spec.parentConfig cannot be removed once set. Delete and recreate the cluster.'); // :55-61
  // The fault drops the Some(A) → Some(B) arm (:62-68): a changed parentConfig goes through.
  if (!faultOn('parent-config-mutable') && JSON.stringify(withEndpointDefaults(before)) !== JSON.stringify(withEndpointDefaults(after))) {
    return deny('spec.parentConfig is immutable once set. Delete and recreate the cluster to change parent configuration.'); // :62-68
  }
  return undefined;
}

export const LATTICE_CLUSTER_V2026_04_SCHEMA: KindSchema = {
  validate: (o) => validate(clusterSpec, o.spec, 'spec'),
  prune: (o) => pruneObject(clusterSpec, clusterStatus, o),
  admit,
};
