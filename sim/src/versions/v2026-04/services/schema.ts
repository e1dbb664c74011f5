/**
 * LatticeService and LatticeMeshMember at b5d50e90: the structural schemas kube-derive generates
 * from the Rust types (crd/service.rs:83-128, crd/workload/{spec,container,resources,ports,scaling}.rs,
 * crd/mesh_member.rs:34-320: a field without a serde default is required, unknown fields pruned)
 * and the `validate.lattice.dev` webhook for both kinds (webhook/validators/{service,mesh_member}.rs):
 * system namespaces refused, then deserialisation, then `spec.validate()`.
 */
import type { KindSchema, KubeObject } from '../../../apiserver/types.js';
import { any, arr, bool, int, map, obj, pruneObject, str, validate, type Schema } from '../../../kinds/validate.js';
import { serviceRefusal, systemNamespaceError, validateMeshMemberSpec } from './validation.js';

const u32 = () => int({ min: 0 });
const strings = () => arr(str());
const quantity = obj({ cpu: str(), memory: str() });

// container.rs:166-223
const security = obj({
  capabilities: strings(), dropCapabilities: strings(), privileged: bool(), readOnlyRootFilesystem: bool(), runAsNonRoot: bool(),
  runAsUser: int(), runAsGroup: int(), allowPrivilegeEscalation: bool(), seccompProfile: str(), seccompLocalhostProfile: str(),
  apparmorProfile: str(), apparmorLocalhostProfile: str(), allowedBinaries: strings(),
});
// container.rs:20-110
const probe = obj({
  httpGet: obj({ path: str(), port: u32(), scheme: str(), host: str(), httpHeaders: arr(obj({ name: str(), value: str() }, ['name', 'value'])) }, ['path', 'port']),
  exec: obj({ command: strings() }, ['command']),
  initialDelaySeconds: int(), periodSeconds: int(), timeoutSeconds: int(), failureThreshold: int(), successThreshold: int(),
});
// container.rs:97-152, :337-392 (TemplateString is a transparent String, template_types.rs:13-15)
const container = obj({
  image: str(), command: strings(), args: strings(), workingDir: str(), variables: map(str()),
  resources: obj({ requests: quantity, limits: quantity }),
  files: map(obj({ content: str(), binaryContent: str(), source: str(), mode: str(), noExpand: bool(), reverseExpand: bool() })),
  volumes: map(obj({ source: str(), path: str(), readOnly: bool(), medium: str(), sizeLimit: str() })),
  livenessProbe: probe, readinessProbe: probe, startupProbe: probe, envFrom: strings(), security,
}, ['image']);
// resources.rs:274-322 (params stay as written: their shape depends on `type`, resources.rs:326-431)
const resource = obj({
  type: str(), class: str(), id: str(), metadata: any(), params: any(),
  direction: str({ enum: ['outbound', 'inbound', 'both'] }), namespace: str(),
}, ['type']);
// ports.rs:8-25
const ports = obj({ ports: map(obj({ port: u32(), targetPort: u32(), protocol: str() }, ['port'])) });

const serviceSpec: Schema = obj({
  workload: obj({ containers: map(container), resources: map(resource), service: ports }, ['containers']),
  replicas: u32(),
  autoscaling: obj({ max: u32(), metrics: arr(obj({ metric: str(), target: u32() }, ['metric', 'target'])) }, ['max']),
  // RuntimeSpec, flattened into spec (spec.rs:46-76)
  sidecars: map(any()), sysctls: map(str()), hostNetwork: bool(), shareProcessNamespace: bool(),
  automountServiceAccountToken: bool(), imagePullSecrets: strings(),
  backup: any(), deploy: obj({ strategy: str() }), ingress: any(), advertise: any(), topology: any(), observability: any(),
}, ['workload']);

const condition = obj({ type: str(), status: str(), reason: str(), message: str(), lastTransitionTime: str(), observedGeneration: int() });
// crd/service.rs:1190-1230
const serviceStatus = obj({
  phase: str({ enum: ['Pending', 'Compiling', 'Ready', 'Failed'] }), message: str(), conditions: arr(condition),
  observedGeneration: int(), lastCompiledAt: str(), resolvedDependencies: map(str()), cost: any(), metrics: any(),
});

// crd/mesh_member.rs:34-260
const serviceRef = obj({ name: str(), namespace: str() }, ['name']);
const meshMemberSpec: Schema = obj({
  target: obj({ selector: map(str()), namespace: str() }),
  ports: arr(obj({ port: u32(), servicePort: u32(), name: str(), peerAuth: str({ enum: ['Strict', 'Permissive', 'Webhook'] }) }, ['port', 'name'])),
  allowedCallers: arr(serviceRef), dependencies: arr(serviceRef),
  egress: arr(obj({ target: obj({ entity: str(), cidr: str(), fqdn: str() }), ports: arr(u32()), protocol: str({ enum: ['TCP', 'UDP'] }) }, ['target'])),
  allowPeerTraffic: bool(), dependsAll: bool(), ingress: any(), serviceAccount: str(), ambient: bool(), advertise: any(),
}, ['target', 'ports']);
const meshMemberStatus = obj({
  phase: str({ enum: ['Pending', 'Progressing', 'Ready', 'Failed'] }), scope: str({ enum: ['Workload', 'Namespace'] }), message: str(),
  observedGeneration: int(), conditions: arr(condition), appliedResources: arr(obj({ kind: str(), name: str() }, ['kind', 'name'])),
});

const WEBHOOK = 'validate.lattice.dev';

function kindSchema(spec: Schema, status: Schema, refusal: (o: KubeObject) => string | undefined): KindSchema {
  return {
    validate: (o) => validate(spec, o.spec, 'spec'),
    prune: (o) => pruneObject(spec, status, o),
    admit: (o) => {
      const message = systemNamespaceError(o.metadata.namespace) ?? refusal(o);
      return message ? { webhook: WEBHOOK, message } : undefined;
    },
  };
}

export const LATTICE_SERVICE_V2026_04_SCHEMA = kindSchema(serviceSpec, serviceStatus, (o) => serviceRefusal(o.spec));
export const LATTICE_MESH_MEMBER_V2026_04_SCHEMA = kindSchema(meshMemberSpec, meshMemberStatus, (o) => validateMeshMemberSpec(o.spec));
