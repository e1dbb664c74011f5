/**
 * The Lattice CRDs (lattice.dev/v1alpha1) with their printer columns and the structural part of
 * their schemas (lattice-facts §1). Semantic errors (e.g. an even control-plane count) are not
 * rejected here: the operator reports them as phase Failed.
 */
import type { KubeObject, ResourceType } from '../apiserver/types.js';
import { any, arr, bool, int, map, obj, runCheck, str, type Cause } from './validate.js';

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

const secretRef = obj({ name: str(), namespace: str() }, ['name']);

const providerConfig = obj({
  docker: obj({}),
  aws: obj({ region: str(), cpInstanceType: str(), workerInstanceType: str(), sshKeyName: str() },
    ['region', 'cpInstanceType', 'workerInstanceType', 'sshKeyName']),
  openstack: obj({ externalNetworkId: str(), cpFlavor: str(), workerFlavor: str(), imageName: str(), sshKeyName: str() },
    ['externalNetworkId', 'cpFlavor', 'workerFlavor', 'imageName', 'sshKeyName']),
  proxmox: obj({
    controlPlaneEndpoint: str(),
    ipv4Pool: obj({ range: str(), gateway: str() }, ['range', 'gateway']),
    cpCores: int({ min: 0 }), cpMemoryMib: int({ min: 0 }), cpDiskSizeGb: int({ min: 0 }),
    workerCores: int({ min: 0 }), workerMemoryMib: int({ min: 0 }), workerDiskSizeGb: int({ min: 0 }),
  }, ['controlPlaneEndpoint', 'ipv4Pool', 'cpCores', 'cpMemoryMib', 'cpDiskSizeGb', 'workerCores', 'workerMemoryMib', 'workerDiskSizeGb']),
});

const clusterSpec = obj({
  provider: obj({
    kubernetes: obj({ version: str(), certSANs: arr(str()), bootstrap: str({ enum: ['kubeadm', 'rke2'] }) }, ['version']),
    config: providerConfig,
    credentialsSecretRef: secretRef,
  }, ['kubernetes', 'config']),
  nodes: obj({ controlPlane: int({ min: 0 }), workers: int({ min: 0 }) }, ['controlPlane', 'workers']),
  networking: obj({ default: obj({ cidr: str() }) }),
  parentConfig: obj({ host: str(), grpcPort: int({ min: 0 }), bootstrapPort: int({ min: 0 }), service: obj({ type: str() }) }),
  environment: str(),
  region: str(),
}, ['provider', 'nodes']);

const probe = obj({ httpGet: obj({ path: str(), port: any() }, ['port']), exec: obj({ command: arr(str()) }, ['command']) });

const container = obj({
  image: str(), command: arr(str()), args: arr(str()), variables: map(any()),
  resources: obj({ requests: obj({ cpu: any(), memory: any() }), limits: obj({ cpu: any(), memory: any() }) }),
  files: map(any()),
  volumes: map(obj({ source: str(), path: str(), readOnly: bool() }, ['source'])),
  livenessProbe: probe, readinessProbe: probe, startupProbe: probe,
}, ['image']);

const resourceEntry = obj({
  type: str(),
  direction: str({ enum: ['outbound', 'inbound', 'both'] }),
  id: str(), namespace: str(), params: map(any()),
  inbound: obj({ rateLimit: obj({ requestsPerInterval: int({ min: 0 }), intervalSeconds: int({ min: 0 }) }) }),
  outbound: obj({ retries: any(), timeout: any() }),
}, ['type']);

const serviceSpec = obj({
  containers: map(container, { minProperties: 1 }),
  resources: map(resourceEntry),
  service: obj({ ports: map(obj({ port: int({ min: 1 }), targetPort: int({ min: 1 }), protocol: str() }, ['port'])) }, ['ports']),
  replicas: obj({ min: int({ min: 0 }), max: int({ min: 0 }) }),
  deploy: obj({ strategy: str({ enum: ['rolling', 'canary'] }) }),
  ingress: obj({
    hosts: arr(str()), paths: arr(any()), gatewayClass: str(),
    tls: obj({ mode: str({ enum: ['auto', 'manual'] }), issuerRef: obj({ name: str(), kind: str() }, ['name']) }),
  }, ['hosts']),
}, ['containers']);

const externalSpec = obj({
  endpoints: map(str()),
  allowedRequesters: arr(str()),
  resolution: str({ enum: ['dns', 'static'] }),
  description: str(),
}, ['endpoints']);

export function validateLatticeCluster(o: KubeObject): Cause[] { return runCheck(clusterSpec, o.spec, 'spec'); }
export function validateLatticeService(o: KubeObject): Cause[] { return runCheck(serviceSpec, o.spec, 'spec'); }
export function validateLatticeExternalService(o: KubeObject): Cause[] { return runCheck(externalSpec, o.spec, 'spec'); }
