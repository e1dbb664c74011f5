/**
 * `LatticeClusterSpec::validate` of b5d50e90 with upstream's messages, in upstream's order: the
 * first failure is the answer (crd/cluster.rs:145-172, crd/types.rs:600-705, :820-935).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { faultOn } from '../../faults.js';

/** lattice-core/src/lib.rs:225-263: the name must already be what sanitize_dns_label makes of it. */
export function dnsLabelError(name: string, field: string): string | undefined {
  let s = [...name].map((c) => (/^[A-Za-z0-9]$/.test(c) ? c.toLowerCase() : '-')).join('');
  s = s.replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 63).replace(/-+$/, '');
  return s !== '' && s === name ? undefined : `${field} '${name}' is not a valid DNS label (must be lowercase alphanumeric with hyphens, max 63 chars)`;
}

/** types.rs:600-645 (WorkerPoolSpec::validate), without the `worker pool '<id>': ` prefix. */
function poolError(p: any): string | undefined {
  const [min, max] = [p.min, p.max];
  if (min != null && max != null) {
    if (min > max) return `min (${min}) cannot exceed max (${max})`;
    if (min === 0) {
      const it = p.instanceType;
      if (it == null) return 'scale-from-zero (min=0) requires instance_type to be set';
      const resources = it.cores != null && it.memoryGib != null && it.diskGib != null; // as_resources, :484-494
      if (it.name != null && !resources && p.capacity == null) return 'scale-from-zero with named instance types requires capacity hints';
    }
  } else if (min != null || max != null) return 'min and max must both be set or both unset';
  return undefined;
}

const DEFAULT_PORTS = { grpcPort: 50051, bootstrapPort: 8443, proxyPort: 8081 }; // lattice-core/src/lib.rs:26-32
const DEFAULT_CERT_POLICY = { minLifespanHours: 24, maxLifespanHours: 8760, defaultLifespanHours: 720 }; // types.rs:784-806

/** parentConfig as serde reads it (defaults filled), so equal configs compare equal (webhook cluster.rs:50-52). */
export function withEndpointDefaults(pc: any): any {
  const out: any = { ...DEFAULT_PORTS, ...pc };
  if (pc.certPolicy != null) out.certPolicy = { ...DEFAULT_CERT_POLICY, ...pc.certPolicy };
  const ordered: any = {};
  for (const k of Object.keys(out).sort()) ordered[k] = out[k];
  return ordered;
}

/** types.rs:906-940 (EndpointsSpec::validate) and :820-841 (CertPolicy::validate). */
function parentConfigError(raw: any): string | undefined {
  const pc = withEndpointDefaults(raw);
  if (pc.grpcPort === 0) return 'grpc_port must be non-zero';
  if (pc.bootstrapPort === 0) return 'bootstrap_port must be non-zero';
  if (pc.proxyPort === 0) return 'proxy_port must be non-zero';
  if (pc.grpcPort === pc.bootstrapPort) return 'grpc_port and bootstrap_port must be distinct';
  if (pc.grpcPort === pc.proxyPort) return 'grpc_port and proxy_port must be distinct';
  if (pc.bootstrapPort === pc.proxyPort) return 'bootstrap_port and proxy_port must be distinct';
  const type = pc.service?.type;
  if (!['LoadBalancer', 'NodePort', 'ClusterIP'].includes(type)) return `service type must be LoadBalancer, NodePort, or ClusterIP, got: ${type}`;
  const cp = pc.certPolicy;
  if (cp) {
    if (cp.minLifespanHours < 1) return 'certPolicy.minLifespanHours must be at least 1';
    if (cp.minLifespanHours > cp.maxLifespanHours) return `certPolicy.minLifespanHours (${cp.minLifespanHours}) must be <= maxLifespanHours (${cp.maxLifespanHours})`;
    if (cp.defaultLifespanHours < cp.minLifespanHours || cp.defaultLifespanHours > cp.maxLifespanHours) {
      return `certPolicy.defaultLifespanHours (${cp.defaultLifespanHours}) must be between min (${cp.minLifespanHours}) and max (${cp.maxLifespanHours})`;
    }
  }
  return undefined;
}

/** The first validation failure of a schema-valid spec, or undefined (crd/cluster.rs:145-172). */
export function validateClusterSpec(spec: any): string | undefined {
  if (!spec.providerRef) return 'provider_ref cannot be empty';
  const replicas = spec.nodes.controlPlane.replicas;
  if (replicas === 0) return 'control plane count must be at least 1'; // types.rs:680-684
  if (replicas > 1 && replicas % 2 === 0 && !faultOn('even-control-plane-admitted')) return 'control plane count must be odd for HA (1, 3, 5, ...)'; // :685-689
  // BTreeMap: pools are checked in key order (:691-702)
  for (const id of Object.keys(spec.nodes.workerPools ?? {}).sort()) {
    const bad = dnsLabelError(id, 'worker pool id');
    if (bad) return bad;
    const e = poolError(spec.nodes.workerPools[id]);
    if (e) return `worker pool '${id}': ${e}`;
  }
  if (spec.parentConfig != null) {
    const e = parentConfigError(spec.parentConfig);
    if (e) return e;
  }
  for (const key of Object.keys(spec.issuers ?? {}).sort()) { // cluster.rs:161-170
    const bad = dnsLabelError(key, 'issuer key');
    if (bad) return bad;
    if (spec.issuers[key] === '') return `issuers['${key}']: CertIssuer reference cannot be empty`;
  }
  return undefined;
}
