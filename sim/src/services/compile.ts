/**
 * Compilation of LatticeServices and LatticeExternalServices into the objects of lattice-facts §6.
 * A pure function of the declarations (and of the compile-time faults passed in), so the result can
 * be checked without a store and diffed against what the store holds.
 */
import type { KubeObject } from '../apiserver/types.js';
import {
  COMPILED_LABEL, LATTICE_API, MANAGED_BY_LABEL, NAME_LABEL, OWNER_LABEL, WAYPOINT_PORT,
  isInbound, isOutbound, parseEndpoint, principalOf, replicasOf, serviceKey, targetOf,
  validateExternal, validateService, waypointName,
  type ExternalEndpoint, type LatticeServiceSpec,
} from './model.js';

export interface CompileFaults {
  oneSidedOutboundAllowed?: boolean;
  oneSidedInboundAllowed?: boolean;
  wildcardInboundIgnored?: boolean;
  externalOpenToAll?: boolean;
  colocationIgnored?: boolean;
  pvcMissing?: boolean;
  noWaypoint?: boolean;
}

export type CompiledStatus =
  | { phase: 'Failed'; message: string }
  | { phase: 'Compiling'; missing: string[] }
  | { phase: 'Ready'; resolved: string[] };

export interface CompileResult {
  objects: KubeObject[];
  /** Keyed by `<ns>/<name>` of each LatticeService. */
  services: Map<string, CompiledStatus>;
  /** Keyed by `<ns>/<name>` of each LatticeExternalService. */
  externals: Map<string, { phase: 'Ready' } | { phase: 'Failed'; message: string }>;
  /** Namespaces holding LatticeServices: they get the ambient labels and a waypoint. */
  namespaces: string[];
}

export const NS_LABEL = 'k8s:io.kubernetes.pod.namespace';
export const WAYPOINT_POD_LABEL = 'gateway.networking.k8s.io/gateway-name';
export const VOLUME_OWNER_LABEL = (id: string) => `lattice.dev/volume-owner-${id}`;

interface Svc { key: string; name: string; namespace: string; spec: LatticeServiceSpec; obj: KubeObject }
interface Ext { key: string; name: string; namespace: string; endpoints: ExternalEndpoint[]; allowed: string[]; resolution: string }

function meta(name: string, namespace: string | undefined, owner: string, extra: Record<string, string> = {}) {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: { [COMPILED_LABEL]: 'true', [OWNER_LABEL]: owner, [MANAGED_BY_LABEL]: 'lattice', ...extra },
  };
}

function targetPorts(spec: LatticeServiceSpec): number[] {
  return Object.values(spec.service?.ports ?? {}).map((p) => p.targetPort ?? p.port);
}

function toPorts(ports: number[]) {
  return ports.length ? [{ ports: ports.map((p) => ({ port: String(p), protocol: 'TCP' })) }] : undefined;
}

/** Computes active edges (caller → callee) among valid services by the bilateral rule (and faults). */
export function activeEdges(svcs: Svc[], faults: CompileFaults = {}): Map<string, Set<string>> {
  const byKey = new Map(svcs.map((s) => [s.key, s]));
  const outbound = new Map<string, Set<string>>();
  const inbound = new Map<string, Set<string>>();
  const wildcard = new Set<string>();
  for (const s of svcs) {
    for (const [key, r] of Object.entries(s.spec.resources ?? {})) {
      if (r.type !== 'service') continue;
      if (isOutbound(r)) {
        const t = targetOf(key, r, s.namespace);
        if (!outbound.has(s.key)) outbound.set(s.key, new Set());
        outbound.get(s.key)!.add(serviceKey(t.namespace, t.name));
      }
      if (isInbound(r)) {
        if ((r.id ?? key) === '*') { if (!faults.wildcardInboundIgnored) wildcard.add(s.key); continue; }
        const c = targetOf(key, r, s.namespace);
        if (!inbound.has(s.key)) inbound.set(s.key, new Set());
        inbound.get(s.key)!.add(serviceKey(c.namespace, c.name));
      }
    }
  }
  const edges = new Map<string, Set<string>>();
  const add = (from: string, to: string) => {
    if (!byKey.has(from) || !byKey.has(to) || from === to) return;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
  };
  for (const [caller, callees] of outbound) {
    for (const callee of callees) {
      const accepts = wildcard.has(callee) || (inbound.get(callee)?.has(caller) ?? false);
      if (accepts || faults.oneSidedOutboundAllowed) add(caller, callee);
    }
  }
  if (faults.oneSidedInboundAllowed) {
    for (const [callee, callers] of inbound) for (const caller of callers) add(caller, callee);
  }
  return edges;
}

export function compile(latticeServices: KubeObject[], latticeExternals: KubeObject[], faults: CompileFaults = {}): CompileResult {
  const services = new Map<string, CompiledStatus>();
  const externals = new Map<string, { phase: 'Ready' } | { phase: 'Failed'; message: string }>();
  const valid: Svc[] = [];
  for (const obj of latticeServices) {
    if (obj.metadata.deletionTimestamp) continue;
    const ns = obj.metadata.namespace ?? 'default';
    const key = serviceKey(ns, obj.metadata.name);
    const errors = validateService(obj);
    if (errors.length) { services.set(key, { phase: 'Failed', message: errors.join('; ') }); continue; }
    valid.push({ key, name: obj.metadata.name, namespace: ns, spec: obj.spec as LatticeServiceSpec, obj });
  }
  const exts: Ext[] = [];
  for (const obj of latticeExternals) {
    if (obj.metadata.deletionTimestamp) continue;
    const ns = obj.metadata.namespace ?? 'default';
    const key = serviceKey(ns, obj.metadata.name);
    const errors = validateExternal(obj);
    if (errors.length) { externals.set(key, { phase: 'Failed', message: errors.join('; ') }); continue; }
    externals.set(key, { phase: 'Ready' });
    const endpoints = Object.entries(obj.spec.endpoints as Record<string, string>).map(([n, u]) => parseEndpoint(n, String(u)) as ExternalEndpoint);
    exts.push({ key, name: obj.metadata.name, namespace: ns, endpoints, allowed: (obj.spec.allowedRequesters ?? []) as string[], resolution: obj.spec.resolution ?? 'dns' });
  }

  const byKey = new Map(valid.map((s) => [s.key, s]));
  // Compiling persists until every internal outbound target exists.
  const ready: Svc[] = [];
  for (const s of valid) {
    const missing: string[] = [];
    const resolved: string[] = [];
    for (const [key, r] of Object.entries(s.spec.resources ?? {})) {
      if (r.type !== 'service' || !isOutbound(r)) continue;
      const t = targetOf(key, r, s.namespace);
      const k = serviceKey(t.namespace, t.name);
      (byKey.has(k) ? resolved : missing).push(t.namespace === s.namespace ? t.name : k);
    }
    if (missing.length) services.set(s.key, { phase: 'Compiling', missing });
    else { services.set(s.key, { phase: 'Ready', resolved }); ready.push(s); }
  }

  const edges = activeEdges(valid, faults);
  const callersOf = new Map<string, string[]>();
  for (const [from, tos] of edges) for (const to of tos) {
    if (!callersOf.has(to)) callersOf.set(to, []);
    callersOf.get(to)!.push(from);
  }

  // External edges: the caller declares the external outbound and is an allowed requester.
  const extCallers = new Map<string, Svc[]>();
  for (const e of exts) {
    const callers = valid.filter((s) => s.namespace === e.namespace && (faults.externalOpenToAll || (
      Object.entries(s.spec.resources ?? {}).some(([key, r]) => r.type === 'external-service' && isOutbound(r)
        && targetOf(key, r, s.namespace).name === e.name && targetOf(key, r, s.namespace).namespace === e.namespace)
      && (e.allowed.includes('*') || e.allowed.includes(s.name)))));
    extCallers.set(e.key, callers);
  }

  const objects: KubeObject[] = [];
  const namespaces = [...new Set(valid.map((s) => s.namespace))].sort();
  if (!faults.noWaypoint) for (const ns of namespaces) objects.push(...compileWaypoint(ns));
  for (const s of ready) {
    const callers = (callersOf.get(s.key) ?? []).map((k) => byKey.get(k)!).filter(Boolean);
    const callees = [...(edges.get(s.key) ?? [])].map((k) => byKey.get(k)!).filter(Boolean);
    const myExts = exts.filter((e) => extCallers.get(e.key)?.includes(s));
    objects.push(...compileService(s, callers, callees, myExts, faults));
  }
  for (const e of exts) {
    const callers = extCallers.get(e.key) ?? [];
    if (callers.length) objects.push(...compileExternal(e, callers));
  }
  return { objects, services, externals, namespaces };
}

function compileWaypoint(ns: string): KubeObject[] {
  const wp = waypointName(ns);
  const owner = 'waypoint';
  const podLabels = { [WAYPOINT_POD_LABEL]: wp, [NAME_LABEL]: wp, 'istio.io/dataplane-mode': 'none' };
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway',
      metadata: meta(wp, ns, owner, { 'istio.io/waypoint-for': 'service' }),
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: WAYPOINT_PORT, protocol: 'HBONE' }] },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(wp, ns, owner) },
    {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: meta(wp, ns, owner, { [WAYPOINT_POD_LABEL]: wp }),
      spec: {
        replicas: 1,
        selector: { matchLabels: { [WAYPOINT_POD_LABEL]: wp } },
        template: {
          metadata: { labels: podLabels },
          spec: {
            serviceAccountName: wp,
            containers: [{ name: 'istio-proxy', image: 'istio/proxyv2:1.24.0', args: ['proxy', 'waypoint'], ports: [{ containerPort: WAYPOINT_PORT, name: 'mesh', protocol: 'TCP' }] }],
          },
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service',
      metadata: meta(wp, ns, owner, { [WAYPOINT_POD_LABEL]: wp }),
      spec: { selector: { [WAYPOINT_POD_LABEL]: wp }, ports: [{ name: 'mesh', port: WAYPOINT_PORT, targetPort: WAYPOINT_PORT, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'security.istio.io/v1beta1', kind: 'AuthorizationPolicy',
      metadata: meta('allow-to-waypoint', ns, owner),
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: wp }],
        action: 'ALLOW',
        rules: [{ to: [{ operation: { ports: [String(WAYPOINT_PORT)] } }] }],
      },
    },
  ];
}

function endpointLabels(s: { name: string; namespace: string }) {
  return { matchLabels: { [NAME_LABEL]: s.name, [NS_LABEL]: s.namespace } };
}

function compileService(s: Svc, callers: Svc[], callees: Svc[], exts: Ext[], faults: CompileFaults): KubeObject[] {
  const { name, namespace: ns, spec } = s;
  const out: KubeObject[] = [];
  const ports = targetPorts(spec);
  const resources = spec.resources ?? {};

  // Volumes: owned shared (`id` + size) ⇒ vol-<id>; referenced shared (`id`, no size) ⇒ affinity
  // to the owner; private (no id) ⇒ <svc>-<key>.
  const claims = new Map<string, string>(); // resource key → claim name
  const podLabels: Record<string, string> = { [NAME_LABEL]: name };
  const affinityTerms: unknown[] = [];
  for (const [key, r] of Object.entries(resources)) {
    if (r.type !== 'volume') continue;
    const size = r.params?.size;
    const accessModes = [r.params?.accessMode ?? 'ReadWriteOnce'];
    const pvc = (claim: string) => ({
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta(claim, ns, name),
      spec: { accessModes, resources: { requests: { storage: size ?? '1Gi' } }, ...(r.params?.storageClass ? { storageClassName: r.params.storageClass } : {}) },
    });
    if (r.id) {
      const claim = `vol-${r.id}`;
      claims.set(key, claim);
      if (size) {
        podLabels[VOLUME_OWNER_LABEL(r.id)] = 'true';
        if (!faults.pvcMissing) out.push(pvc(claim));
      } else if (!faults.colocationIgnored) {
        affinityTerms.push({ labelSelector: { matchLabels: { [VOLUME_OWNER_LABEL(r.id)]: 'true' } }, topologyKey: 'kubernetes.io/hostname' });
      }
    } else {
      const claim = `${name}-${key}`;
      claims.set(key, claim);
      out.push(pvc(claim));
    }
  }

  const containers = Object.entries(spec.containers).map(([cname, c]) => ({
    name: cname,
    image: c.image,
    ...(c.command ? { command: c.command } : {}),
    ...(c.args ? { args: c.args } : {}),
    ...(c.variables ? { env: Object.entries(c.variables).map(([k, v]) => ({ name: k, value: String(v) })) } : {}),
    ...(ports.length ? { ports: ports.map((p) => ({ containerPort: p, protocol: 'TCP' })) } : {}),
    ...(c.volumes ? {
      volumeMounts: Object.entries(c.volumes).map(([mountPath, v]) => {
        const key = /^\$\{resources\.([^}]+)\}$/.exec(v.source)![1];
        return { name: claims.get(key)!, mountPath, ...(v.path ? { subPath: v.path } : {}), ...(v.readOnly ? { readOnly: true } : {}) };
      }),
    } : {}),
    ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
    ...(c.livenessProbe ? { livenessProbe: c.livenessProbe } : {}),
    ...(c.startupProbe ? { startupProbe: c.startupProbe } : {}),
  }));
  const usedClaims = [...new Set(containers.flatMap((c) => (c.volumeMounts ?? []).map((m) => m.name)))];

  out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name, ns, name) });
  out.push({
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: meta(name, ns, name, { [NAME_LABEL]: name }),
    spec: {
      replicas: replicasOf(spec),
      strategy: { type: 'RollingUpdate' },
      selector: { matchLabels: { [NAME_LABEL]: name } },
      template: {
        metadata: { labels: podLabels },
        spec: {
          serviceAccountName: name,
          containers,
          ...(usedClaims.length ? { volumes: usedClaims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })) } : {}),
          ...(affinityTerms.length ? { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: affinityTerms } } } : {}),
        },
      },
    },
  });
  if (spec.service?.ports && Object.keys(spec.service.ports).length) {
    out.push({
      apiVersion: 'v1', kind: 'Service',
      metadata: meta(name, ns, name, { 'istio.io/use-waypoint': waypointName(ns) }),
      spec: {
        selector: { [NAME_LABEL]: name },
        ports: Object.entries(spec.service.ports).map(([pname, p]) => ({ name: pname, port: p.port, targetPort: p.targetPort ?? p.port, protocol: 'TCP' })),
      },
    });
  }
  if (spec.replicas?.max !== undefined) {
    out.push({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta(name, ns, name),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: Math.max(1, spec.replicas.min ?? 0), maxReplicas: spec.replicas.max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
    });
  }

  // Cilium: ingress from active callers and the waypoint; egress to DNS, waypoints, callees, externals.
  const ingress: unknown[] = callers.map((c) => ({ fromEndpoints: [endpointLabels(c)], ...(toPorts(ports) ? { toPorts: toPorts(ports) } : {}) }));
  ingress.push({ fromEndpoints: [{ matchLabels: { [WAYPOINT_POD_LABEL]: waypointName(ns), [NS_LABEL]: ns } }], toPorts: toPorts([WAYPOINT_PORT, ...ports]) });
  const waypointNamespaces = [...new Set([ns, ...callees.map((c) => c.namespace)])].sort();
  const egress: unknown[] = [
    { toEndpoints: [{ matchLabels: { [NS_LABEL]: 'kube-system', 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*' }] } }] },
    ...waypointNamespaces.map((wns) => ({ toEndpoints: [{ matchLabels: { [WAYPOINT_POD_LABEL]: waypointName(wns), [NS_LABEL]: wns } }], toPorts: toPorts([WAYPOINT_PORT]) })),
    ...callees.map((c) => ({ toEndpoints: [endpointLabels(c)], ...(toPorts(targetPorts(c.spec)) ? { toPorts: toPorts(targetPorts(c.spec)) } : {}) })),
    ...exts.flatMap((e) => e.endpoints.map((ep) => ({ toFQDNs: [{ matchName: ep.host }], toPorts: toPorts([ep.port]) }))),
  ];
  out.push({
    apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: meta(`policy-${name}`, ns, name),
    spec: { endpointSelector: { matchLabels: { [NAME_LABEL]: name } }, ingress, egress },
  });

  // Istio: only active inbound edges (and ports) yield allow rules.
  if (callers.length && ports.length) {
    const portStrings = ports.map(String);
    out.push({
      apiVersion: 'security.istio.io/v1beta1', kind: 'AuthorizationPolicy', metadata: meta(`allow-to-${name}`, ns, name),
      spec: {
        targetRefs: [{ group: '', kind: 'Service', name }],
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: callers.map((c) => principalOf(c.namespace, c.name)).sort() } }], to: [{ operation: { ports: portStrings } }] }],
      },
    });
    out.push({
      apiVersion: 'security.istio.io/v1beta1', kind: 'AuthorizationPolicy', metadata: meta(`allow-waypoint-to-${name}`, ns, name),
      spec: {
        selector: { matchLabels: { [NAME_LABEL]: name } },
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: [principalOf(ns, waypointName(ns))] } }], to: [{ operation: { ports: portStrings } }] }],
      },
    });
  }

  if (spec.ingress?.hosts?.length) out.push(...compileIngress(s));
  return out;
}

function compileIngress(s: Svc): KubeObject[] {
  const { name, namespace: ns, spec } = s;
  const ing = spec.ingress!;
  const port = Object.values(spec.service?.ports ?? {})[0]?.port ?? 80;
  const tls = ing.tls;
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta(`${name}-gateway`, ns, name),
      spec: {
        gatewayClassName: ing.gatewayClass ?? 'eg',
        listeners: ing.hosts!.map((h, i) => ({
          name: `https-${i}`, hostname: h, port: 443, protocol: 'HTTPS',
          tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: `${name}-tls` }] },
        })),
      },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta(`${name}-route`, ns, name),
      spec: {
        parentRefs: [{ name: `${name}-gateway` }],
        hostnames: ing.hosts,
        rules: [{ matches: (ing.paths ?? ['/']).map((p) => ({ path: { type: 'PathPrefix', value: p } })), backendRefs: [{ name, port }] }],
      },
    },
    ...(tls?.mode !== 'manual' ? [{
      apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta(`${name}-cert`, ns, name),
      spec: { secretName: `${name}-tls`, dnsNames: ing.hosts, issuerRef: { name: tls?.issuerRef?.name ?? 'letsencrypt-prod', kind: tls?.issuerRef?.kind ?? 'ClusterIssuer' } },
    }] : []),
    {
      apiVersion: 'security.istio.io/v1beta1', kind: 'AuthorizationPolicy', metadata: meta(`allow-gateway-to-${name}`, ns, name),
      spec: {
        targetRefs: [{ group: '', kind: 'Service', name }],
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: [principalOf('envoy-gateway-system', '*')] } }] }],
      },
    },
  ];
}

function compileExternal(e: Ext, callers: Svc[]): KubeObject[] {
  const owner = `external.${e.name}`;
  const principals = callers.map((c) => principalOf(c.namespace, c.name)).sort();
  const ref = [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: e.name }];
  return [
    {
      apiVersion: 'networking.istio.io/v1beta1', kind: 'ServiceEntry', metadata: meta(e.name, e.namespace, owner),
      spec: {
        hosts: [...new Set(e.endpoints.map((ep) => ep.host))],
        ports: [...new Map(e.endpoints.map((ep) => [ep.port, { number: ep.port, name: `${ep.scheme}-${ep.port}`, protocol: ep.protocol }])).values()],
        location: 'MESH_EXTERNAL',
        resolution: e.resolution === 'static' ? 'STATIC' : 'DNS',
      },
    },
    {
      apiVersion: 'security.istio.io/v1beta1', kind: 'AuthorizationPolicy', metadata: meta(`deny-all-to-${e.name}`, e.namespace, owner),
      spec: { targetRefs: ref, action: 'DENY', rules: [{ from: [{ source: { notPrincipals: principals } }] }] },
    },
    ...callers.map((c) => ({
      apiVersion: 'security.istio.io/v1beta1', kind: 'AuthorizationPolicy', metadata: meta(`allow-${c.name}-to-${e.name}`, e.namespace, owner),
      spec: { targetRefs: ref, action: 'ALLOW', rules: [{ from: [{ source: { principals: [principalOf(c.namespace, c.name)] } }] }] },
    })),
  ];
}

export { LATTICE_API };
