/**
 * What b5d50e90 refuses in a LatticeService / LatticeMeshMember that fits the CRD schema: the
 * deserialisation errors of the resource params (crd/workload/resources.rs:300-431), then
 * `spec.validate()` in upstream's order (crd/service.rs:147-175, crd/workload/spec.rs:186-240,
 * container.rs:400-537, ports.rs:28-72, scaling.rs:22-36). The first failure is the answer; the
 * webhook and the controller both use it.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { dnsLabelError } from '../cluster-validation.js';
import { parseEndpoint } from './endpoint.js';
import { filesError, quantityError } from './quantities.js';

/** lattice-core/src/system_namespaces.rs:11-45 (EXTERNAL_DNS_NAMESPACE = external-dns, lib.rs:19). */
const SYSTEM_NAMESPACES = new Set([
  'kube-system', 'kube-public', 'kube-node-lease', 'cilium-system', 'istio-system', 'cert-manager',
  'capi-system', 'capi-kubeadm-bootstrap-system', 'capi-kubeadm-control-plane-system', 'rke2-bootstrap-system',
  'rke2-control-plane-system', 'capd-system', 'capo-system', 'capa-system', 'capmox-system', 'capi-ipam-in-cluster-system',
  'external-dns', 'velero',
]);

/** webhook/validators/mod.rs:21-33 */
export function systemNamespaceError(namespace: string | undefined): string | undefined {
  const ns = namespace ?? '';
  return SYSTEM_NAMESPACES.has(ns) ? `workload CRDs cannot be deployed in system namespace '${ns}'` : undefined;
}

/** crd/external_endpoint.rs:63-105: the URL forms b5d50e90 parses. */
function endpointParses(url: string): boolean {
  return parseEndpoint(url) !== undefined;
}

/** The custom serde errors of ResourceSpec::deserialize (resources.rs:326-431), without the prefix. */
function paramsError(r: any): string | undefined {
  const type = r?.type;
  const params = r?.params;
  if (params == null) {
    if (type === 'gpu') return "gpu resource requires 'params' with 'count'";
    if (type === 'secret') return "secret resource requires 'params' with 'provider'";
    return undefined;
  }
  if (type === 'secret' && !params.provider) return "secret resource requires 'provider' in params";
  if (type === 'external-service') {
    const endpoints = params.endpoints ?? {};
    if (typeof endpoints !== 'object' || Object.keys(endpoints).length === 0) return 'external service resource requires at least one endpoint in params';
    for (const name of Object.keys(endpoints).sort()) { // BTreeMap order
      if (!endpointParses(String(endpoints[name]))) return `invalid endpoint URL for '${name}': ${endpoints[name]}`;
    }
  }
  return undefined;
}

/** `failed to deserialize LatticeService: <serde error>` (webhook/validators/mod.rs:59) or undefined. */
export function deserializeError(spec: any): string | undefined {
  const resources = spec?.workload?.resources ?? {};
  for (const key of Object.keys(resources).sort()) {
    const e = paramsError(resources[key]);
    if (e) return `failed to deserialize LatticeService: ${e}`;
  }
  return undefined;
}

const keys = (m: any) => Object.keys(m ?? {}).sort();

/** ContainerSpec::validate (container.rs:400-430, :469-537), quantities and files included. */
function containerError(name: string, c: any): string | undefined {
  const image: string = c.image ?? '';
  if (image === '') return `container '${name}': image cannot be empty`;
  if (image !== '.') {
    if (/[\s\p{Cc}]/u.test(image)) return `container '${name}': image '${image}' contains invalid characters`;
    if (/[`|;&$><(){}]/.test(image)) return `container '${name}': image '${image}' contains shell metacharacters`;
  }
  const cmd0 = c.command?.[0];
  if (cmd0 !== undefined && !String(cmd0).startsWith('/')) return `'${name}': command[0] '${cmd0}' must be an absolute path (start with '/')`;
  if (!c.resources || !c.resources.limits) return `container '${name}' must have resource limits`;
  return quantityError(name, c.resources) ?? filesError(name, c.files);
}

/** ServicePortsSpec::validate (ports.rs:28-72). */
function portsError(ports: any): string | undefined {
  const seen = new Set<number>();
  for (const name of keys(ports)) {
    const bad = dnsLabelError(name, 'port name');
    if (bad) return bad;
    if (name.length > 15) return `port name '${name}' exceeds 15 character IANA service name limit`;
    const p = ports[name];
    if (p.port === 0) return `service port '${name}': port cannot be 0`;
    if (p.targetPort === 0) return `service port '${name}': target_port cannot be 0`;
    if (seen.has(p.port)) return `duplicate service port number: ${p.port}`;
    seen.add(p.port);
  }
  return undefined;
}

/** WorkloadSpec::validate (spec.rs:186-240). */
function workloadError(w: any): string | undefined {
  const containers = w.containers ?? {};
  if (Object.keys(containers).length === 0) return 'service must have at least one container';
  for (const n of keys(containers)) { const e = dnsLabelError(n, 'container name'); if (e) return e; }
  for (const n of keys(w.resources)) { const e = dnsLabelError(n, 'resource name'); if (e) return e; }
  for (const n of keys(containers)) { const e = containerError(n, containers[n]); if (e) return e; }
  if (w.service) { const e = portsError(w.service.ports); if (e) return e; }
  for (const n of keys(w.resources)) {
    const r = w.resources[n];
    if (r.id != null && r.id !== '*' && r.type === 'volume') {
      if (r.id.length > 50) return `resource '${n}': id '${r.id}' exceeds 50 character limit (used in label name with 13-char prefix)`;
      const e = dnsLabelError(r.id, 'resource id');
      if (e) return `resource '${n}': ${e}`;
    }
  }
  return undefined;
}

/** scaling.rs:22-36 */
function autoscalingError(a: any): string | undefined {
  for (const m of a.metrics ?? []) {
    if (!(m.target > 0)) return `autoscaling metric '${m.metric}' target must be greater than 0`;
    if ((m.metric === 'cpu' || m.metric === 'memory') && m.target > 100) return `autoscaling metric '${m.metric}' target cannot exceed 100%`;
  }
  return undefined;
}

/** LatticeServiceSpec::validate (crd/service.rs:147-175); `replicas` defaults to 1. */
export function validateServiceSpec(spec: any): string | undefined {
  const w = workloadError(spec.workload ?? {});
  if (w) return w;
  for (const n of keys(spec.sidecars)) { const e = dnsLabelError(n, 'sidecar name'); if (e) return e; }
  if (spec.autoscaling) {
    if ((spec.replicas ?? 1) > spec.autoscaling.max) return 'replicas cannot exceed autoscaling max';
    const e = autoscalingError(spec.autoscaling);
    if (e) return e;
  }
  return undefined;
}

/** The first refusal of a schema-valid LatticeService, as the webhook and the controller give it. */
export function serviceRefusal(spec: any): string | undefined {
  return deserializeError(spec) ?? validateServiceSpec(spec);
}

/** LatticeMeshMemberSpec::validate (crd/mesh_member.rs:396-...): port names are DNS labels. */
export function validateMeshMemberSpec(spec: any): string | undefined {
  for (const p of spec?.ports ?? []) { const e = dnsLabelError(String(p.name ?? ''), 'port name'); if (e) return e; }
  return undefined;
}
