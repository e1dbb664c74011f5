/**
 * The Lattice CRDs (lattice.dev/v1alpha1) with their printer columns and their structural schemas
 * (lattice-facts §1): unknown fields pruned, malformed ones refused. Semantic errors (e.g. an even
 * control-plane count, no container) are not rejected here: the operator reports them as phase Failed.
 */
import type { KindSchema, ResourceType } from '../apiserver/types.js';
import { any, arr, bool, int, map, obj, pruneObject, str, validate, type Schema } from './validate.js';

export const LATTICE_CLUSTER: ResourceType = {
  group: 'lattice.dev', version: 'v1alpha1', plural: 'latticeclusters', kind: 'LatticeCluster', namespaced: false,
  shortNames: ['lc'], statusSubresource: true,
  printerColumns: [
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Provider', type: 'string', jsonPath: '.spec.provider.type' },
    { name: 'K8s', type: 'string', jsonPath: '.spec.provider.kubernetes.version' },
  ],
};

export const LATTICE_SERVICE: ResourceType = {
  group: 'lattice.dev', version: 'v1alpha1', plural: 'latticeservices', kind: 'LatticeService', namespaced: true,
  shortNames: ['ls'], statusSubresource: true,
  printerColumns: [
    { name: 'Strategy', type: 'string', jsonPath: '.spec.deploy.strategy' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
  ],
};

export const LATTICE_EXTERNAL_SERVICE: ResourceType = {
  group: 'lattice.dev', version: 'v1alpha1', plural: 'latticeexternalservices', kind: 'LatticeExternalService', namespaced: true,
  shortNames: ['lext'], statusSubresource: true,
  printerColumns: [{ name: 'Phase', type: 'string', jsonPath: '.status.phase' }],
};

// The schemas below follow the Rust types kube-rs derives the CRDs from (Lattice 1236706e,
// crates/lattice-common/src/crd/): a field without a serde default is required, every other field
// optional; unsigned integers have minimum 0; unit enums are string enums; BTreeMaps are maps;
// serde_json::Value is kept as is. Fields not listed here are pruned, as on a real API server.

const condition = obj({ type: str(), status: str({ enum: ['True', 'False', 'Unknown'] }), reason: str(), message: str(), lastTransitionTime: str() },
  ['type', 'status', 'reason', 'message', 'lastTransitionTime']); // types.rs:544-561
const u32 = () => int({ min: 0 });
const strings = () => arr(str());

const secretRef = obj({ name: str(), namespace: str() }, ['name']); // types.rs:359-366

// providers/aws.rs:15-75 (vpcId + subnetIds :38-46 only; cpSubnetIds/workerSubnetIds were removed in 4558829e)
const aws = obj({
  region: str(), cpInstanceType: str(), workerInstanceType: str(), sshKeyName: str(),
  cpIamInstanceProfile: str(), workerIamInstanceProfile: str(), vpcId: str(), subnetIds: strings(), loadBalancerType: str(),
  cpRootVolumeSizeGb: u32(), cpRootVolumeType: str(), workerRootVolumeSizeGb: u32(), workerRootVolumeType: str(),
  amiId: str(), sshAuthorizedKeys: strings(),
}, ['region', 'cpInstanceType', 'workerInstanceType', 'sshKeyName']);

// providers/openstack.rs
const openstack = obj({
  externalNetworkId: str(), cpFlavor: str(), workerFlavor: str(), imageName: str(), sshKeyName: str(),
  cloudName: str(), dnsNameservers: strings(), nodeCidr: str(), apiServerLoadBalancerFlavor: str(),
  managedSecurityGroups: bool(), allowAllInClusterTraffic: bool(), cpAvailabilityZone: str(), workerAvailabilityZone: str(),
  cpRootVolumeSizeGb: u32(), cpRootVolumeType: str(), workerRootVolumeSizeGb: u32(), workerRootVolumeType: str(),
  sshAuthorizedKeys: strings(),
}, ['externalNetworkId', 'cpFlavor', 'workerFlavor', 'imageName', 'sshKeyName']);

// providers/proxmox.rs (no credentials field: Proxmox credentials come from the environment)
const ipPool = obj({ range: str(), gateway: str() }, ['range', 'gateway']);
const proxmox = obj({
  controlPlaneEndpoint: str(), ipv4Pool: ipPool,
  cpCores: u32(), cpMemoryMib: u32(), cpDiskSizeGb: u32(), workerCores: u32(), workerMemoryMib: u32(), workerDiskSizeGb: u32(),
  sourceNode: str(), templateId: u32(), templateTags: strings(), snapName: str(), targetNode: str(), pool: str(),
  description: str(), tags: strings(), allowedNodes: strings(), dnsServers: strings(), sshAuthorizedKeys: strings(),
  virtualIpNetworkInterface: str(), kubeVipImage: str(), ipv6Pool: ipPool, bridge: str(), vlan: u32(), networkModel: str(),
  memoryAdjustment: u32(), vmidMin: u32(), vmidMax: u32(), skipCloudInitStatus: bool(), skipQemuGuestAgent: bool(),
  cpSockets: u32(), workerSockets: u32(),
}, ['controlPlaneEndpoint', 'ipv4Pool', 'cpCores', 'cpMemoryMib', 'cpDiskSizeGb', 'workerCores', 'workerMemoryMib', 'workerDiskSizeGb']);

// cluster.rs:33-63, types.rs:148-460
const clusterSpec = obj({
  provider: obj({
    kubernetes: obj({ version: str(), certSANs: strings(), bootstrap: str({ enum: ['kubeadm', 'rke2'] }) }, ['version']),
    config: obj({ aws, docker: obj({}), openstack, proxmox }),
    credentialsSecretRef: secretRef,
  }, ['kubernetes', 'config']),
  nodes: obj({ controlPlane: u32(), workers: u32() }, ['controlPlane', 'workers']),
  networking: obj({ default: obj({ cidr: str() }, ['cidr']) }),
  parentConfig: obj({ host: str(), grpcPort: u32(), bootstrapPort: u32(), service: obj({ type: str() }, ['type']) }, ['service']),
  environment: str(),
  region: str(),
  workload: obj({ services: arr(obj({ name: str(), namespace: str() }, ['name'])) }),
}, ['provider', 'nodes']);

// cluster.rs:83-137
const clusterStatus = obj({
  observedGeneration: int(), phase: str({ enum: ['Pending', 'Provisioning', 'Pivoting', 'Ready', 'Unpivoting', 'Failed'] }),
  message: str(), conditions: arr(condition), readyControlPlane: u32(), readyWorkers: u32(), endpoint: str(),
  pivotComplete: bool(), bootstrapComplete: bool(), unpivotPending: bool(),
});

// service.rs (spec :468-480 and the types it uses)
const probe = obj({
  httpGet: obj({ path: str(), port: u32(), scheme: str(), host: str(), httpHeaders: arr(obj({ name: str(), value: str() }, ['name', 'value'])) }, ['path', 'port']),
  exec: obj({ command: strings() }, ['command']),
});
const quantity = obj({ cpu: str(), memory: str() });
const container = obj({
  image: str(), command: strings(), args: strings(), variables: map(str()),
  resources: obj({ requests: quantity, limits: quantity }),
  files: map(obj({ content: str(), binaryContent: str(), source: str(), mode: str(), noExpand: bool() })),
  volumes: map(obj({ source: str(), path: str(), readOnly: bool() }, ['source'])),
  livenessProbe: probe, readinessProbe: probe, startupProbe: probe,
}, ['image']);
const resourceEntry = obj({
  type: str(), class: str(), id: str(), metadata: obj({ annotations: map(str()) }), params: map(any()),
  direction: str({ enum: ['outbound', 'inbound', 'both'] }), namespace: str(),
  inbound: obj({ rateLimit: obj({ requestsPerInterval: u32(), intervalSeconds: u32() }, ['requestsPerInterval']) }),
  outbound: obj({
    retries: obj({ attempts: u32(), perTryTimeout: str(), retryOn: strings() }, ['attempts']),
    timeout: obj({ request: str() }, ['request']),
  }),
}, ['type']);
const serviceSpec = obj({
  containers: map(container),
  resources: map(resourceEntry),
  service: obj({ ports: map(obj({ port: u32(), targetPort: u32(), protocol: str() }, ['port'])) }),
  replicas: obj({ min: u32(), max: u32() }),
  deploy: obj({ strategy: str({ enum: ['rolling', 'canary'] }), canary: obj({ interval: str(), threshold: u32(), maxWeight: u32(), stepWeight: u32() }) }),
  ingress: obj({
    hosts: strings(), paths: arr(obj({ path: str(), pathType: str({ enum: ['Exact', 'PathPrefix'] }) }, ['path'])),
    tls: obj({ mode: str({ enum: ['auto', 'manual'] }), secretName: str(), issuerRef: obj({ name: str(), kind: str() }, ['name']) }),
    rateLimit: obj({ requestsPerInterval: u32(), intervalSeconds: u32(), burst: u32() }, ['requestsPerInterval']),
    gatewayClass: str(),
  }, ['hosts']),
}, ['containers']);
const phaseOf = (phases: string[]) => str({ enum: phases });
const serviceStatus = obj({
  phase: phaseOf(['Pending', 'Compiling', 'Ready', 'Failed']), message: str(), conditions: arr(condition),
  lastCompiledAt: str(), observedGeneration: int(), resolvedDependencies: map(str()),
}); // service.rs:1190-1215

// external_service.rs:168-177, :215-224
const externalSpec = obj({
  endpoints: map(str()), allowedRequesters: strings(), resolution: str({ enum: ['dns', 'static'] }), description: str(),
});
const externalStatus = obj({ phase: phaseOf(['Pending', 'Ready', 'Failed']), message: str(), conditions: arr(condition), observedGeneration: int() });

/** What a CRD's structural schema does to a stored object: validate the spec, prune spec and status. */
function kindSchema(spec: Schema, status: Schema): KindSchema {
  return {
    validate: (o) => validate(spec, o.spec, 'spec'),
    prune: (o) => pruneObject(spec, status, o),
  };
}

export const LATTICE_CLUSTER_SCHEMA = kindSchema(clusterSpec, clusterStatus);
export const LATTICE_SERVICE_SCHEMA = kindSchema(serviceSpec, serviceStatus);
export const LATTICE_EXTERNAL_SERVICE_SCHEMA = kindSchema(externalSpec, externalStatus);
