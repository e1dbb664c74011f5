/**
 * The LatticeMeshMember policy compiler of b5d50e90 (crates/lattice-mesh-member/src/policy/): from
 * the graph of every LMM of the cluster, one member's CiliumNetworkPolicy `cnp-mesh-<h>`, its
 * ztunnel AuthorizationPolicy `allow-to-<h>` (bilateral agreement: the caller depends on it and it
 * allows the caller or `*`), and for each external FQDN/IP egress a ServiceEntry `se-auto-<h>`
 * (labelled for the namespace waypoint), `allow-fqdn-<h>` and, with any ServiceEntry,
 * `allow-wp-to-<h>`. AuthorizationPolicies carry the LMM as controller owner (policy/mod.rs:66-77);
 * CNPs and ServiceEntries do not. Pure.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../../../apiserver/types.js';
import { HBONE_PORT, derivedName, meta, ownerRef, principal, waypointName } from './names.js';

const CILIUM_NS = 'k8s:io.kubernetes.pod.namespace';
const SECURITY = 'security.istio.io/v1beta1';

interface Node { key: string; name: string; namespace: string; spec: any; obj: KubeObject }

const keyOf = (ns: string, name: string) => `${ns}/${name}`;
const saOf = (n: Node) => n.spec.serviceAccount ?? n.name;
const selectorOf = (n: Node): Record<string, string> => n.spec.target?.selector ?? { 'app.kubernetes.io/name': n.name };
const ciliumLabels = (n: Node) => Object.fromEntries(Object.entries(selectorOf(n)).map(([k, v]) => [`k8s:${k}`, v]));
const targetPorts = (n: Node): number[] => (n.spec.ports ?? []).map((p: any) => p.port);
const refKey = (r: { name: string; namespace?: string }, ns: string) => keyOf(r.namespace ?? ns, r.name);

export class MeshGraph {
  private readonly nodes = new Map<string, Node>();

  constructor(members: KubeObject[]) {
    for (const m of members) {
      if (m.metadata.deletionTimestamp) continue;
      const ns = m.metadata.namespace ?? 'default';
      this.nodes.set(keyOf(ns, m.metadata.name), { key: keyOf(ns, m.metadata.name), name: m.metadata.name, namespace: ns, spec: m.spec ?? {}, obj: m });
    }
  }

  private allows(callee: Node, caller: Node): boolean {
    return (callee.spec.allowedCallers ?? []).some((c: any) => c.name === '*' || refKey(c, callee.namespace) === caller.key);
  }

  /** Callers with an active edge to `n` (lattice-graph active inbound edges). */
  inbound(n: Node): Node[] {
    return [...this.nodes.values()].filter((c) => c.key !== n.key
      && (c.spec.dependencies ?? []).some((d: any) => refKey(d, c.namespace) === n.key) && this.allows(n, c));
  }

  node(ns: string, name: string): Node | undefined { return this.nodes.get(keyOf(ns, name)); }

  /** Everything one member compiles to (policy/mod.rs:98-217). */
  compile(ns: string, name: string): KubeObject[] {
    const n = this.node(ns, name);
    if (!n) return [];
    const owners = [ownerRef(n.obj)];
    const ap = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, ownerReferences: owners } });
    const out: KubeObject[] = [];
    const ports = targetPorts(n).map(String);
    const callers = this.inbound(n);

    // istio_ambient.rs:44-130: ztunnel-enforced, by pod selector, on the container ports.
    const principals = callers.map((c) => principal(c.namespace, saOf(c)));
    if (n.spec.allowPeerTraffic) principals.push(principal(ns, saOf(n)));
    if (principals.length && ports.length) {
      out.push(ap({
        apiVersion: SECURITY, kind: 'AuthorizationPolicy', metadata: meta(derivedName('allow-to-', [ns, name]), ns),
        spec: { selector: { matchLabels: selectorOf(n) }, action: 'ALLOW', rules: [{ from: [{ source: { principals } }], to: [{ operation: { ports } }] }] },
      }));
    }

    // cilium.rs:150-260: HBONE in from the cluster when anyone may call; DNS, HBONE and FQDN egress out.
    const egressRules: any[] = n.spec.egress ?? [];
    const hasFqdn = egressRules.some((r) => r.target?.fqdn);
    const ingress = callers.length || n.spec.allowPeerTraffic ? [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: String(HBONE_PORT), protocol: 'TCP' }] }] }] : [];
    const egress: any[] = [
      { toEndpoints: [{ matchLabels: { [CILIUM_NS]: 'kube-system', 'k8s:k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], ...(hasFqdn ? { rules: { dns: [{ matchPattern: '*' }] } } : {}) }] },
      ...(n.spec.ambient !== false ? [{ toEntities: ['cluster', 'world'], toPorts: [{ ports: [{ port: String(HBONE_PORT), protocol: 'TCP' }] }] }] : []),
      ...egressRules.flatMap((r): any[] => {
        const toPorts = r.ports?.length ? [{ ports: r.ports.map((p: number) => ({ port: String(p), protocol: r.protocol ?? 'TCP' })) }] : [];
        if (r.target?.fqdn) return [{ toFQDNs: [{ matchName: r.target.fqdn }], toPorts }];
        if (r.target?.cidr) return [{ toCIDR: [r.target.cidr], toPorts }];
        if (r.target?.entity) return [{ toEntities: [r.target.entity], toPorts }];
        return [];
      }),
    ];
    out.push({
      apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: meta(derivedName('cnp-mesh-', [ns, name]), ns),
      spec: { endpointSelector: { matchLabels: ciliumLabels(n) }, ingress, egress },
    });

    // policy/mod.rs:166-217, istio_ambient.rs:200-300: ServiceEntry per host, allow-fqdn per member and host.
    let entries = 0;
    for (const r of egressRules) {
      const ip = r.target?.cidr ? String(r.target.cidr).replace(/\/32$/, '') : undefined;
      const host: string | undefined = r.target?.fqdn ?? ip;
      if (!host) continue;
      entries += 1;
      const sePorts = (r.ports ?? []).map((p: number) => {
        const proto = r.protocol === 'UDP' ? 'UDP' : p === 443 ? 'HTTPS' : p === 80 ? 'HTTP' : 'TCP';
        return { number: p, name: `${proto.toLowerCase()}-${p}`, protocol: proto };
      });
      const seName = derivedName('se-auto-', [ns, host]);
      out.push({
        apiVersion: 'networking.istio.io/v1beta1', kind: 'ServiceEntry', metadata: meta(seName, ns, { 'istio.io/use-waypoint': waypointName(ns) }),
        spec: ip
          ? { hosts: [`ip-${host.replace(/\./g, '-')}.svc.external`], endpoints: [{ address: host }], ports: sePorts, location: 'MESH_EXTERNAL', resolution: 'STATIC' }
          : { hosts: [host], ports: sePorts, location: 'MESH_EXTERNAL', resolution: 'DNS' },
      });
      out.push(ap({
        apiVersion: SECURITY, kind: 'AuthorizationPolicy', metadata: meta(derivedName('allow-fqdn-', [ns, name, host]), ns),
        spec: {
          targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: seName }], action: 'ALLOW',
          rules: [{ from: [{ source: { principals: [principal(ns, saOf(n))] } }], ...(r.ports?.length ? { to: [{ operation: { ports: r.ports.map(String) } }] } : {}) }],
        },
      }));
    }
    if (entries && ports.length) {
      out.push(ap({
        apiVersion: SECURITY, kind: 'AuthorizationPolicy', metadata: meta(derivedName('allow-wp-to-', [ns, name]), ns),
        spec: {
          selector: { matchLabels: { 'app.kubernetes.io/name': name } }, action: 'ALLOW',
          rules: [{ from: [{ source: { principals: [principal(ns, waypointName(ns))] } }], to: [{ operation: { ports } }] }],
        },
      }));
    }
    return out;
  }
}

/** mm/ingress.rs:132-190: the namespace waypoint Gateway and `allow-to-waypoint` (no owner). */
export function waypointObjects(ns: string): KubeObject[] {
  const wp = waypointName(ns);
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta(wp, ns, { 'istio.io/waypoint-for': 'service' }),
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: HBONE_PORT, protocol: 'HBONE', allowedRoutes: { namespaces: { from: 'Same' } } }] },
    },
    {
      apiVersion: SECURITY, kind: 'AuthorizationPolicy', metadata: meta('allow-to-waypoint', ns),
      spec: { selector: { matchLabels: { 'istio.io/waypoint-for': 'service' } }, action: 'ALLOW', rules: [{ to: [{ operation: { ports: [String(HBONE_PORT)] } }] }] },
    },
  ];
}
