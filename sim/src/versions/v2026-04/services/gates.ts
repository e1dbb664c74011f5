/**
 * The authorization steps of one b5d50e90 compile, in upstream's order (workload/compiler.rs:
 * 417-480): shared volumes (owner consent, then Cedar AccessVolume, permissive), security overrides
 * (Cedar OverrideSecurity, default deny), external endpoints (Cedar AccessExternalEndpoint, default
 * deny). The first step that denies is the service's failure; each step lists all its denials.
 * Secret access (the first step upstream) is not played: the target has no secret resources.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { ObjectStore } from '../../../apiserver/types.js';
import { checkExternalEndpoint, checkSecurityOverride, checkVolumeAccess, denialText } from '../cedar/index.js';
import { externalEndpoints, volumeRefs, type VolumeOwner } from './workload.js';

export interface GateFaults {
  /** `allowed-consumers-ignored`: a volume reference is not checked against the owner's allowedConsumers. */
  allowedConsumersIgnored?: boolean;
  /** `security-override-not-gated`: security relaxations are compiled without asking Cedar. */
  securityOverrideNotGated?: boolean;
  /** `external-permit-not-required`: inline external endpoints are compiled without asking Cedar. */
  externalPermitNotRequired?: boolean;
}

/** workload/authorization/security.rs:18-33 */
const DEFAULT_CONTAINER_CAPABILITIES = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'NET_RAW', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

export interface SecurityOverride { id: string; category: string; container?: string }

/** security.rs:135-250 for one container (or sidecar). */
function containerOverrides(out: SecurityOverride[], container: string, s: any | undefined, command: unknown): void {
  // crd/workload/container.rs:232-240: no command and no allowedBinaries ⇒ Tetragon infers a wildcard.
  if (command == null && !(s?.allowedBinaries?.length)) out.push({ id: 'allowedBinary:*', category: 'binary', container });
  if (!s) return;
  for (const cap of s.capabilities ?? []) out.push({ id: `capability:${cap}`, category: 'capability', container });
  if (s.privileged !== true && s.dropCapabilities && !s.dropCapabilities.some((d: string) => d.toUpperCase() === 'ALL')) {
    const added = new Set((s.capabilities ?? []).map((c: string) => c.toUpperCase()));
    const dropped = new Set(s.dropCapabilities.map((d: string) => d.toUpperCase()));
    for (const cap of DEFAULT_CONTAINER_CAPABILITIES) {
      if (!dropped.has(cap) && !added.has(cap)) out.push({ id: `capability:${cap}`, category: 'capability', container });
    }
  }
  if (s.privileged === true) out.push({ id: 'privileged', category: 'container', container });
  if (s.runAsUser === 0 || s.runAsNonRoot === false) out.push({ id: 'runAsRoot', category: 'container', container });
  if (s.runAsGroup === 0) out.push({ id: 'runAsRootGroup', category: 'container', container });
  if (s.readOnlyRootFilesystem === false) out.push({ id: 'readWriteRootFilesystem', category: 'container', container });
  if (s.allowPrivilegeEscalation === true) out.push({ id: 'allowPrivilegeEscalation', category: 'container', container });
  for (const [kind, profile] of [['seccomp', s.seccompProfile], ['apparmor', s.apparmorProfile]]) {
    if (profile === 'Unconfined' || profile === 'Localhost') out.push({ id: `${kind}:${profile}`, category: 'profile', container });
  }
  for (const b of s.allowedBinaries ?? []) out.push({ id: `allowedBinary:${b}`, category: 'binary', container });
}

/** security.rs:82-128: pod flags, then containers, then sidecars (BTreeMap order). */
export function securityOverrides(spec: any): SecurityOverride[] {
  const out: SecurityOverride[] = [];
  for (const [flag, id] of [['hostNetwork', 'hostNetwork'], ['shareProcessNamespace', 'shareProcessNamespace'], ['automountServiceAccountToken', 'automountServiceAccountToken']]) {
    if (spec[flag] === true) out.push({ id, category: 'pod' });
  }
  const containers = spec.workload?.containers ?? {};
  for (const name of Object.keys(containers).sort()) containerOverrides(out, name, containers[name].security, containers[name].command);
  const sidecars = spec.sidecars ?? {};
  for (const name of Object.keys(sidecars).sort()) containerOverrides(out, name, sidecars[name]?.security, sidecars[name]?.command);
  return out;
}

export interface GateInput {
  store: ObjectStore;
  namespace: string;
  name: string;
  spec: any;
  volumeOwner(namespace: string, id: string): VolumeOwner | undefined;
  faults?: GateFaults;
}

/** workload/authorization/volumes.rs:63-123 */
function volumeGate(g: GateInput): string | undefined {
  const refs = volumeRefs(g.spec, g.namespace);
  if (!refs.length) return undefined;
  const denied: string[] = [];
  for (const r of refs) {
    const owner = g.volumeOwner(r.namespace, r.id);
    if (!owner) {
      denied.push(`'${r.key}': no owner found for volume '${r.id}' in namespace '${r.namespace}' (owner service may not exist or hasn't declared size)`);
      continue;
    }
    const consumers = owner.allowedConsumers ?? [];
    const allowed = consumers.some((c) => c === `${g.namespace}/${g.name}` || (c === g.name && g.namespace === r.namespace));
    if (!allowed && !g.faults?.allowedConsumersIgnored) {
      denied.push(`'${r.key}': not in allowedConsumers of volume '${r.id}' owned by '${owner.namespace}/${owner.name}'`);
    }
  }
  if (denied.length) return `volume access denied: ${denied.join('; ')}`;
  const cedar = refs.flatMap((r) => {
    const v = checkVolumeAccess(g.store, g.namespace, g.name, { namespace: r.namespace, id: r.id });
    return v.allowed ? [] : [`'${r.key}' (volume '${r.id}'): ${denialText(v)}`];
  });
  return cedar.length ? `volume access denied: ${cedar.join('; ')}` : undefined;
}

/** security.rs:37-79; workload/error.rs:137-139 */
function securityGate(g: GateInput): string | undefined {
  if (g.faults?.securityOverrideNotGated) return undefined;
  const denied = securityOverrides(g.spec).flatMap((o) => {
    const v = checkSecurityOverride(g.store, g.namespace, g.name, { id: o.id, category: o.category });
    if (v.allowed) return [];
    return [o.container ? `'${o.id}' (container '${o.container}'): ${denialText(v)}` : `'${o.id}': ${denialText(v)}`];
  });
  return denied.length ? `security override denied: ${denied.join('; ')}` : undefined;
}

/** external_endpoints.rs:13-66 */
function externalGate(g: GateInput): string | undefined {
  if (g.faults?.externalPermitNotRequired) return undefined;
  const denied = externalEndpoints(g.spec).flatMap(({ key, ep }) => {
    const v = checkExternalEndpoint(g.store, g.namespace, g.name, { host: ep.host, port: ep.port, protocol: ep.protocol });
    return v.allowed ? [] : [`'${key}' (${ep.host}:${ep.port}): ${denialText(v)}`];
  });
  return denied.length ? `external endpoint access denied: ${denied.join('; ')}` : undefined;
}

/** The first denial of one compile, or undefined when every gate passes. */
export function authorize(g: GateInput): string | undefined {
  return volumeGate(g) ?? securityGate(g) ?? externalGate(g);
}
