/**
 * Server-side printing for `kubectl get` (meta.k8s.io/v1 Table): the columns kubectl shows for the
 * built-in kinds, and Name + printer columns + Age for custom resources.
 */
import type { KubeObject, ResourceType } from './types.js';
import { evalJsonPath } from './jsonpath.js';

export interface ColumnDefinition { name: string; type: string; format: string; description: string; priority: number }
type Cell = string | number | boolean | null;
interface Printer { columns: Array<Omit<ColumnDefinition, 'description' | 'format'> & { format?: string }>; cells(o: KubeObject): Cell[] }

/** Kubernetes' duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 192) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  const d = Math.floor(h / 24);
  if (h < 24 * 365 * 8) return d % 365 === 0 ? `${Math.floor(d / 365)}y` : `${Math.floor(d / 365)}y${d % 365}d`;
  return `${Math.floor(d / 365)}y`;
}

const age = (o: KubeObject, now: number) => (o.metadata.creationTimestamp ? humanDuration(now - Date.parse(o.metadata.creationTimestamp)) : '<unknown>');
const str = (name: string, priority = 0) => ({ name, type: 'string', priority });
const int = (name: string, priority = 0) => ({ name, type: 'integer', priority });

function podStatus(o: KubeObject): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  const waiting = (o.status?.containerStatuses ?? []).map((c: { state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).find(Boolean);
  return waiting ?? o.status?.reason ?? o.status?.phase ?? 'Pending';
}

function nodeRoles(o: KubeObject): string {
  const roles = Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).filter(Boolean);
  return roles.length ? roles.sort().join(',') : '<none>';
}

function nodeStatus(o: KubeObject): string {
  const ready = (o.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  const s = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
  return o.spec?.unschedulable ? `${s},SchedulingDisabled` : s;
}

function servicePorts(o: KubeObject): string {
  const ports = (o.spec?.ports ?? []) as Array<{ port: number; protocol?: string; nodePort?: number }>;
  return ports.length ? ports.map((p) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}/${p.protocol ?? 'TCP'}`).join(',') : '<none>';
}

function nodeAddress(o: KubeObject, type: string): string {
  return ((o.status?.addresses ?? []) as Array<{ type: string; address: string }>).find((a) => a.type === type)?.address ?? '<none>';
}

const BUILTIN: Record<string, (now: number) => Printer> = {
  '/pods': (now) => ({
    columns: [str('Ready'), str('Status'), str('Restarts'), str('Age'), str('IP', 1), str('Node', 1)],
    cells: (o) => {
      const cs = (o.status?.containerStatuses ?? []) as Array<{ ready?: boolean; restartCount?: number }>;
      const total = (o.spec?.containers ?? []).length;
      return [`${cs.filter((c) => c.ready).length}/${total}`, podStatus(o), String(cs.reduce((n, c) => n + (c.restartCount ?? 0), 0)), age(o, now), o.status?.podIP ?? '<none>', o.spec?.nodeName ?? '<none>'];
    },
  }),
  '/nodes': (now) => ({
    columns: [str('Status'), str('Roles'), str('Age'), str('Version'), str('Internal-IP', 1), str('External-IP', 1), str('OS-Image', 1), str('Kernel-Version', 1), str('Container-Runtime', 1)],
    cells: (o) => [nodeStatus(o), nodeRoles(o), age(o, now), o.status?.nodeInfo?.kubeletVersion ?? '', nodeAddress(o, 'InternalIP'), nodeAddress(o, 'ExternalIP'),
      o.status?.nodeInfo?.osImage ?? '<unknown>', o.status?.nodeInfo?.kernelVersion ?? '<unknown>', o.status?.nodeInfo?.containerRuntimeVersion ?? '<unknown>'],
  }),
  '/namespaces': (now) => ({ columns: [str('Status'), str('Age')], cells: (o) => [o.status?.phase ?? 'Active', age(o, now)] }),
  '/services': (now) => ({
    columns: [str('Type'), str('Cluster-IP'), str('External-IP'), str('Port(s)'), str('Age'), str('Selector', 1)],
    cells: (o) => [o.spec?.type ?? 'ClusterIP', o.spec?.clusterIP ?? '<none>',
      ((o.status?.loadBalancer?.ingress ?? []) as Array<{ ip?: string }>).map((i) => i.ip).filter(Boolean).join(',') || (o.spec?.type === 'LoadBalancer' ? '<pending>' : '<none>'),
      servicePorts(o), age(o, now), o.spec?.selector ? Object.entries(o.spec.selector).map(([k, v]) => `${k}=${v}`).join(',') : '<none>'],
  }),
  '/secrets': (now) => ({ columns: [str('Type'), int('Data'), str('Age')], cells: (o) => [String(o.type ?? 'Opaque'), Object.keys((o.data as object) ?? {}).length + Object.keys((o.stringData as object) ?? {}).length, age(o, now)] }),
  '/configmaps': (now) => ({ columns: [int('Data'), str('Age')], cells: (o) => [Object.keys((o.data as object) ?? {}).length + Object.keys((o.binaryData as object) ?? {}).length, age(o, now)] }),
  '/serviceaccounts': (now) => ({ columns: [int('Secrets'), str('Age')], cells: (o) => [((o.secrets as unknown[]) ?? []).length, age(o, now)] }),
  '/persistentvolumeclaims': (now) => ({
    columns: [str('Status'), str('Volume'), str('Capacity'), str('Access Modes'), str('StorageClass'), str('Age')],
    cells: (o) => [o.status?.phase ?? 'Pending', o.spec?.volumeName ?? '', o.status?.capacity?.storage ?? '',
      ((o.status?.accessModes ?? o.spec?.accessModes ?? []) as string[]).map((m) => ({ ReadWriteOnce: 'RWO', ReadWriteMany: 'RWX', ReadOnlyMany: 'ROX', ReadWriteOncePod: 'RWOP' } as Record<string, string>)[m] ?? m).join(','),
      o.spec?.storageClassName ?? '<unset>', age(o, now)],
  }),
  'apps/deployments': (now) => ({
    columns: [str('Ready'), int('Up-to-date'), int('Available'), str('Age')],
    cells: (o) => [`${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`, o.status?.updatedReplicas ?? 0, o.status?.availableReplicas ?? 0, age(o, now)],
  }),
  'apps/replicasets': (now) => ({
    columns: [int('Desired'), int('Current'), int('Ready'), str('Age')],
    cells: (o) => [o.spec?.replicas ?? 1, o.status?.replicas ?? 0, o.status?.readyReplicas ?? 0, age(o, now)],
  }),
  '/events': (now) => ({
    columns: [str('Last Seen'), str('Type'), str('Reason'), str('Object'), str('Message')],
    cells: (o) => {
      const last = (o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp) as string | undefined;
      const io = (o.involvedObject ?? {}) as { kind?: string; name?: string };
      return [last ? humanDuration(now - Date.parse(last)) : '<unknown>', String(o.type ?? ''), String(o.reason ?? ''), `${(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`, String(o.message ?? '')];
    },
  }),
};

function customPrinter(t: ResourceType, now: number): Printer {
  const cols = t.printerColumns ?? [];
  return {
    columns: [...cols.map((c) => ({ name: c.name, type: c.type === 'date' ? 'string' : c.type, priority: 0 })), str('Age')],
    cells: (o) => [
      ...cols.map((c): Cell => {
        const vals = evalJsonPath(o, c.jsonPath);
        if (vals.length === 0) return null;
        const v = vals[0];
        if (c.type === 'date' && typeof v === 'string') return humanDuration(now - Date.parse(v));
        if (vals.length > 1) return vals.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(',');
        if (typeof v === 'object' && v !== null) return JSON.stringify(v);
        if (c.type === 'integer' || c.type === 'number') return typeof v === 'number' ? v : Number(v);
        if (c.type === 'boolean') return typeof v === 'boolean' ? v : String(v) === 'true';
        return String(v);
      }),
      age(o, now),
    ],
  };
}

export function printerFor(t: ResourceType, now = Date.now()): Printer {
  const builtin = BUILTIN[`${t.group}/${t.plural}`];
  return builtin ? builtin(now) : customPrinter(t, now);
}

/** A meta.k8s.io/v1 Table of `items`; rows carry the object as kubectl asked (`includeObject`). */
export function toTable(t: ResourceType, items: KubeObject[], resourceVersion: string, includeObject: string | null): Record<string, unknown> {
  const p = printerFor(t);
  const columnDefinitions: ColumnDefinition[] = [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
    ...p.columns.map((c) => ({ format: '', description: c.name, ...c })),
  ];
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion },
    columnDefinitions,
    rows: items.map((o) => ({
      cells: [o.metadata.name, ...p.cells(o)],
      object: includeObject === 'None' ? undefined
        : includeObject === 'Object' ? o
        : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && accept.split(',').some((part) => /as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
}
