/**
 * One LatticeService of b5d50e90 compiled into its workload objects and its LatticeMeshMember:
 * ServiceAccount, Deployment (pod template with the PSS restricted defaults), Service, PVCs, all
 * owned by the LatticeService (workload/mod.rs:380-470); the LMM `<svc>` (workload/compiler.rs:
 * 765-868, service/compiler/mod.rs:290-305). Pure: what the cluster holds comes in as arguments.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../../../apiserver/types.js';
import { parseEndpoint, type Endpoint } from './endpoint.js';
import { LATTICE_API, NAME_LABEL, MANAGED_BY_LABEL, meta, ownerRef, sanitizeDnsLabel, volumeOwnerLabel } from './names.js';

export interface VolumeOwner { namespace: string; name: string; allowedConsumers?: string[] }

/** What the compile of one service reads besides its own spec. */
export interface WorkloadContext {
  /** The owner of a shared volume (`id` + `size`) by `<ns>/<id>` (the service graph, volumes.rs:83-112). */
  volumeOwner(namespace: string, id: string): VolumeOwner | undefined;
  /** Whether a LatticeService of that name exists (an external-service of the same id is then skipped, compiler.rs:805-808). */
  serviceExists(namespace: string, name: string): boolean;
  /** Whether ImageProvider `lattice-system/<name>` exists with credentials (lattice-cache resolve_image_providers). */
  imageProvider(name: string): boolean;
  faults?: WorkloadFaults;
}

export interface WorkloadFaults {
  /** `restricted-defaults-missing`: container securityContext as written, no pod securityContext. */
  restrictedDefaultsMissing?: boolean;
}

const isOutbound = (r: any) => (r.direction ?? 'outbound') !== 'inbound';
const isInbound = (r: any) => r.direction === 'inbound' || r.direction === 'both';

/** Volume references: an `id` and no `size` (resources.rs:813-829). */
export function volumeRefs(spec: any, namespace: string): Array<{ key: string; namespace: string; id: string }> {
  const out = [];
  for (const [key, r] of Object.entries<any>(spec.workload?.resources ?? {})) {
    if (r.type === 'volume' && r.id && !r.params?.size) out.push({ key, namespace: r.namespace ?? namespace, id: r.id });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** Owned shared volumes: `id` and `size`. */
export function ownedVolumes(spec: any): Array<{ key: string; id: string; allowedConsumers?: string[] }> {
  return Object.entries<any>(spec.workload?.resources ?? {})
    .filter(([, r]) => r.type === 'volume' && r.id && r.params?.size)
    .map(([key, r]) => ({ key, id: r.id, allowedConsumers: r.params?.allowedConsumers }));
}

/** Endpoints of outbound external-service resources with `params.endpoints` (external_endpoints.rs:20-36), BTreeMap order. */
export function externalEndpoints(spec: any): Array<{ key: string; ep: Endpoint }> {
  const out = [];
  for (const key of Object.keys(spec.workload?.resources ?? {}).sort()) {
    const r = spec.workload.resources[key];
    if (r.type !== 'external-service' || !isOutbound(r)) continue;
    const eps = r.params?.endpoints ?? {};
    for (const n of Object.keys(eps).sort()) {
      const ep = parseEndpoint(String(eps[n]));
      if (ep) out.push({ key, ep });
    }
  }
  return out;
}

/** pod_template.rs:411-470 (container) with the `restricted-defaults-missing` fault. */
export function containerSecurityContext(s: any = {}, faults: WorkloadFaults = {}): Record<string, unknown> {
  if (faults.restrictedDefaultsMissing) {
    const raw: Record<string, unknown> = {};
    if (s.capabilities?.length) raw.capabilities = { add: s.capabilities };
    for (const k of ['privileged', 'readOnlyRootFilesystem', 'runAsNonRoot', 'runAsUser', 'runAsGroup', 'allowPrivilegeEscalation']) if (s[k] !== undefined) raw[k] = s[k];
    return raw;
  }
  const privileged = s.privileged === true;
  return {
    capabilities: { ...(s.capabilities?.length ? { add: s.capabilities } : {}), drop: s.dropCapabilities ?? ['ALL'] },
    ...(s.privileged !== undefined ? { privileged: s.privileged } : {}),
    readOnlyRootFilesystem: s.readOnlyRootFilesystem ?? true,
    runAsNonRoot: s.runAsUser === 0 ? (s.runAsNonRoot ?? false) : (s.runAsNonRoot ?? true),
    ...(s.runAsUser !== undefined ? { runAsUser: s.runAsUser } : {}),
    ...(s.runAsGroup !== undefined ? { runAsGroup: s.runAsGroup } : {}),
    allowPrivilegeEscalation: s.allowPrivilegeEscalation ?? privileged,
    seccompProfile: { type: s.seccompProfile ?? 'RuntimeDefault', ...(s.seccompLocalhostProfile ? { localhostProfile: s.seccompLocalhostProfile } : {}) },
    appArmorProfile: { type: s.apparmorProfile ?? 'RuntimeDefault', ...(s.apparmorLocalhostProfile ? { localhostProfile: s.apparmorLocalhostProfile } : {}) },
  };
}

const quantities = (q: any) => Object.fromEntries(Object.entries(q ?? {}).filter(([, v]) => v != null));

export interface CompiledWorkload { objects: KubeObject[]; meshMember: KubeObject }

/** compiler.rs:697-712: every imagePullSecrets entry names an ImageProvider with credentials, else the compile fails. */
export function imagePullSecretsError(spec: any, ctx: Pick<WorkloadContext, 'imageProvider'>): string | undefined {
  const missing = (spec.imagePullSecrets ?? []).find((n: string) => !ctx.imageProvider(n));
  return missing === undefined ? undefined : `resource '${missing}': imagePullSecrets references ImageProvider '${missing}' which was not found`;
}

export function compileWorkload(ls: KubeObject, ctx: WorkloadContext): CompiledWorkload {
  const name = ls.metadata.name;
  const ns = ls.metadata.namespace ?? 'default';
  const spec = ls.spec;
  const w = spec.workload;
  const resources: Record<string, any> = w.resources ?? {};
  const owners = [ownerRef(ls)];
  const owned = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, ownerReferences: owners } });
  const faults = ctx.faults ?? {};
  const objects: KubeObject[] = [];

  // Volumes (pipeline/volumes.rs:120-290): a pod volume per volume resource, named by its key,
  // claim `vol-<id>` or `<svc>-<key>`; PVCs only for owners (size); emptyDirs for mounts without source.
  const podVolumes: any[] = [];
  for (const key of Object.keys(resources).sort()) {
    const r = resources[key];
    if (r.type !== 'volume') continue;
    const claim = r.id ? `vol-${r.id}` : `${name}-${key}`;
    if (r.params?.size) {
      objects.push(owned({
        apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta(claim, ns),
        spec: { accessModes: [r.params.accessMode ?? 'ReadWriteOnce'], resources: { requests: { storage: r.params.size } }, ...(r.params.storageClass ? { storageClassName: r.params.storageClass } : {}) },
      }));
    }
    podVolumes.push({ name: key, persistentVolumeClaim: { claimName: claim } });
  }
  const ports = Object.keys(w.service?.ports ?? {}).sort().map((pn) => ({ name: pn, ...w.service.ports[pn] }));
  const containers = Object.keys(w.containers).sort().map((cname) => {
    const c = w.containers[cname];
    const mounts: any[] = [];
    for (const path of Object.keys(c.volumes ?? {}).sort()) {
      const v = c.volumes[path];
      const base = { mountPath: path, ...(v.path ? { subPath: v.path } : {}), ...(v.readOnly !== undefined ? { readOnly: v.readOnly } : {}) };
      if (v.source != null) {
        const key = /^\$\{resources\.([^}]+)\}$/.exec(String(v.source))?.[1];
        if (key && resources[key]?.type === 'volume') mounts.push({ name: key, ...base });
      } else {
        const vol = `emptydir-${sanitizeDnsLabel(path)}`.slice(0, 63).replace(/-+$/, '');
        if (!podVolumes.some((pv) => pv.name === vol)) podVolumes.push({ name: vol, emptyDir: { ...(v.medium ? { medium: v.medium } : {}), ...(v.sizeLimit ? { sizeLimit: v.sizeLimit } : {}) } });
        mounts.push({ name: vol, ...base });
      }
    }
    return {
      name: cname,
      image: c.image,
      imagePullPolicy: c.image.endsWith(':latest') || !c.image.includes(':') ? 'Always' : 'IfNotPresent', // helpers.rs:166-173
      ...(c.command ? { command: c.command } : {}),
      ...(c.args ? { args: c.args } : {}),
      ...(c.workingDir ? { workingDir: c.workingDir } : {}),
      ...(c.variables ? { env: Object.keys(c.variables).sort().map((k) => ({ name: k, value: String(c.variables[k]) })) } : {}),
      ...(ports.length ? { ports: ports.map((p) => ({ name: p.name, containerPort: p.targetPort ?? p.port, ...(p.protocol ? { protocol: p.protocol } : {}) })) } : {}),
      ...(c.resources ? { resources: { ...(c.resources.requests ? { requests: quantities(c.resources.requests) } : {}), ...(c.resources.limits ? { limits: quantities(c.resources.limits) } : {}) } } : {}),
      ...(c.livenessProbe ? { livenessProbe: c.livenessProbe } : {}),
      ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
      ...(c.startupProbe ? { startupProbe: c.startupProbe } : {}),
      ...(mounts.length ? { volumeMounts: mounts } : {}),
      securityContext: containerSecurityContext(c.security, faults),
    };
  });
  const anyRoot = Object.values<any>(w.containers).some((c) => c.security?.runAsUser === 0);

  // Shared volumes (compiler.rs:603-678): owners are labelled, consumers of a known other owner get affinity.
  const podLabels: Record<string, string> = { [NAME_LABEL]: name, [MANAGED_BY_LABEL]: 'lattice' };
  for (const v of ownedVolumes(spec)) podLabels[volumeOwnerLabel(v.id)] = 'true';
  const affinityIds = volumeRefs(spec, ns).filter((r) => {
    const o = ctx.volumeOwner(ns, r.id);
    return o && (o.name !== name || o.namespace !== ns);
  }).map((r) => r.id);

  objects.push(owned({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name, ns), automountServiceAccountToken: false }));
  const replicas = spec.replicas ?? 1;
  const canary = spec.deploy?.strategy !== undefined && spec.deploy.strategy !== 'rolling';
  objects.push(owned({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, ns),
    spec: {
      replicas,
      selector: { matchLabels: { [NAME_LABEL]: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: canary ? { maxUnavailable: '0', maxSurge: '100%' } : { maxUnavailable: '25%', maxSurge: '25%' } },
      template: {
        metadata: { labels: podLabels },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: spec.automountServiceAccountToken ?? false,
          containers,
          ...(podVolumes.length ? { volumes: podVolumes } : {}),
          // The Secret ESO would sync from the provider (no ESO in the target: the reference only).
          ...(spec.imagePullSecrets?.length ? { imagePullSecrets: spec.imagePullSecrets.map((n: string) => ({ name: `${name}-${n}-credentials` })) } : {}),
          ...(faults.restrictedDefaultsMissing ? {} : {
            securityContext: { runAsNonRoot: !anyRoot, fsGroup: anyRoot ? 0 : 65534, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } },
          }),
          ...(spec.hostNetwork !== undefined ? { hostNetwork: spec.hostNetwork } : {}),
          ...(spec.shareProcessNamespace !== undefined ? { shareProcessNamespace: spec.shareProcessNamespace } : {}),
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { [NAME_LABEL]: name } } }],
          ...(affinityIds.length ? {
            affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: affinityIds.map((id) => ({ labelSelector: { matchLabels: { [volumeOwnerLabel(id)]: 'true' } }, topologyKey: 'kubernetes.io/hostname' })) } },
          } : {}),
        },
      },
    },
  }));
  if (w.service) {
    objects.push(owned({
      apiVersion: 'v1', kind: 'Service', metadata: meta(name, ns),
      spec: { selector: { [NAME_LABEL]: name }, ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' })) },
    }));
  }

  return { objects, meshMember: owned(meshMemberFor(name, ns, spec, ctx)) };
}

const byRef = (a: { name: string; namespace?: string }, b: { name: string; namespace?: string }) =>
  (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);

/** The LMM of a service (compiler.rs:765-868, mesh_member.rs EgressTarget::for_host). */
function meshMemberFor(name: string, ns: string, spec: any, ctx: WorkloadContext): KubeObject {
  const resources: Record<string, any> = spec.workload.resources ?? {};
  const service = (r: any) => r.type === 'service';
  const callers = Object.entries(resources).filter(([, r]) => service(r) && isInbound(r))
    .map(([k, r]) => ({ name: r.id ?? k, ...(r.namespace && r.namespace !== ns ? { namespace: r.namespace } : {}) }));
  const allowedCallers = callers.some((c) => c.name === '*') ? [{ name: '*' }] : callers.sort(byRef);
  const dependencies = Object.entries(resources).filter(([, r]) => service(r) && isOutbound(r))
    .map(([k, r]) => ({ name: r.id ?? k, ...(r.namespace && r.namespace !== ns ? { namespace: r.namespace } : {}) })).sort(byRef);
  const egress: any[] = [];
  for (const key of Object.keys(resources).sort()) {
    const r = resources[key];
    if (r.type !== 'external-service' || !isOutbound(r)) continue;
    const id = r.id ?? key;
    if (ctx.serviceExists(ns, id)) continue;
    const eps = r.params?.endpoints ?? {};
    for (const n of Object.keys(eps).sort()) {
      const ep = parseEndpoint(String(eps[n]));
      if (!ep) continue;
      // EgressTarget::for_host (mesh_member.rs): an IP is a /32 CIDR, anything else an FQDN.
      const ip = /^\d+\.\d+\.\d+\.\d+$/.test(ep.host) || ep.host.includes(':');
      egress.push({ target: ip ? { cidr: `${ep.host}/32` } : { fqdn: ep.host }, ports: [ep.port], protocol: ep.protocol === 'udp' ? 'UDP' : 'TCP' });
    }
  }
  const ports = Object.keys(spec.workload.service?.ports ?? {}).sort().map((pn) => {
    const p = spec.workload.service.ports[pn];
    return { port: p.targetPort ?? p.port, ...(p.targetPort !== undefined ? { servicePort: p.port } : {}), name: pn, peerAuth: 'Strict' };
  });
  return {
    apiVersion: LATTICE_API, kind: 'LatticeMeshMember', metadata: { name, namespace: ns },
    spec: {
      target: { selector: { [NAME_LABEL]: name } }, ports, allowedCallers, dependencies, egress,
      allowPeerTraffic: false, dependsAll: false, ambient: true,
    },
  };
}
