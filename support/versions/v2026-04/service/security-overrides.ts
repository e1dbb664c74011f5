/**
 * The security overrides a 2026-04 LatticeService asks Cedar for, read from its manifest as Lattice
 * reads them (workload/authorization/security.rs:85-250): pod flags, then per container (sidecars
 * too) an implicit `allowedBinary:*` when it has neither `command` nor `allowedBinaries`
 * (container.rs:232-240), added capabilities, retained default capabilities, privileged, root
 * user/group, writable root filesystem, privilege escalation, unconfined/localhost profiles and
 * each allowed binary.
 */
type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** security.rs:18-33. */
const DEFAULT_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];

function containerOverrides(container: Obj): string[] {
  const out: string[] = [];
  const hasSecurity = container.security !== undefined && container.security !== null;
  const s = asObj(container.security);
  const binaries = strings(s.allowedBinaries);
  if (container.command === undefined && binaries.length === 0) out.push('allowedBinary:*');
  if (!hasSecurity) return out;
  const added = strings(s.capabilities);
  for (const cap of added) out.push(`capability:${cap}`);
  if (s.privileged !== true && Array.isArray(s.dropCapabilities)) {
    const dropped = new Set(strings(s.dropCapabilities).map((d) => d.toUpperCase()));
    const explicit = new Set(added.map((c) => c.toUpperCase()));
    if (!dropped.has('ALL')) for (const cap of DEFAULT_CAPABILITIES) if (!dropped.has(cap) && !explicit.has(cap)) out.push(`capability:${cap}`);
  }
  if (s.privileged === true) out.push('privileged');
  if (s.runAsUser === 0 || s.runAsNonRoot === false) out.push('runAsRoot');
  if (s.runAsGroup === 0) out.push('runAsRootGroup');
  if (s.readOnlyRootFilesystem === false) out.push('readWriteRootFilesystem');
  if (s.allowPrivilegeEscalation === true) out.push('allowPrivilegeEscalation');
  for (const [kind, profile] of [['seccomp', s.seccompProfile], ['apparmor', s.apparmorProfile]] as const) {
    if (profile === 'Unconfined' || profile === 'Localhost') out.push(`${kind}:${profile}`);
  }
  for (const b of binaries) out.push(`allowedBinary:${b}`);
  return out;
}

/** Every override id the service needs permitted, each once, in Lattice's order of discovery. */
export function securityOverridesOf(service: { spec: Obj }): string[] {
  const spec = service.spec;
  const out: string[] = [];
  for (const [flag, id] of [[spec.hostNetwork, 'hostNetwork'], [spec.shareProcessNamespace, 'shareProcessNamespace'], [spec.automountServiceAccountToken, 'automountServiceAccountToken']] as const) {
    if (flag === true) out.push(id);
  }
  for (const c of Object.values(asObj(asObj(spec.workload).containers))) out.push(...containerOverrides(asObj(c)));
  for (const c of Object.values(asObj(spec.sidecars))) out.push(...containerOverrides(asObj(c)));
  return [...new Set(out)];
}
