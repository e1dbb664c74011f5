/**
 * Legacy (unaggregated) discovery documents: kubectl asks for aggregated discovery first and falls
 * back to these when the reply is plain application/json.
 */
import type { ResourceType } from './types.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** Built-in resources `kubectl get all` lists. */
const ALL_CATEGORY = new Set(['/pods', '/services', 'apps/deployments', 'apps/replicasets', 'apps/statefulsets', 'apps/daemonsets', 'autoscaling/horizontalpodautoscalers']);

/** Kubernetes version priority: GA > beta > alpha, then higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
    if (!m) return [0, 0, 0];
    return [Number(m[1]), m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3, Number(m[3] ?? 0)];
  };
  const [pa, pb] = [parse(a), parse(b)];
  if (pa[1] !== pb[1]) return pb[1] - pa[1];
  if (pa[0] !== pb[0]) return pb[0] - pa[0];
  return pb[2] - pa[2];
}

export function apiVersions(hostPort: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: hostPort }] };
}

/**
 * Groups served without stored objects: authentication.k8s.io/v1 (TokenReview, create only), as
 * every API server has it (tokens.ts).
 */
const VIRTUAL_GROUPS: Record<string, Array<Record<string, unknown>>> = {
  'authentication.k8s.io/v1': [{ name: 'tokenreviews', singularName: 'tokenreview', namespaced: false, kind: 'TokenReview', verbs: ['create'] }],
};

export function apiGroupList(types: ResourceType[]): Record<string, unknown> {
  const groups = new Map<string, Set<string>>();
  for (const gv of Object.keys(VIRTUAL_GROUPS)) { const [g, v] = gv.split('/'); groups.set(g, (groups.get(g) ?? new Set()).add(v)); }
  for (const t of types) if (t.group) groups.set(t.group, (groups.get(t.group) ?? new Set()).add(t.version));
  return {
    kind: 'APIGroupList', apiVersion: 'v1',
    groups: [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, vs]) => {
      const versions = [...vs].sort(compareVersions).map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
      return { name, versions, preferredVersion: versions[0] };
    }),
  };
}

export function apiGroup(types: ResourceType[], group: string): Record<string, unknown> | undefined {
  const g = (apiGroupList(types).groups as Array<Record<string, unknown>>).find((x) => x.name === group);
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...g };
}

export function apiResourceList(types: ResourceType[], group: string, version: string): Record<string, unknown> | undefined {
  const ts = types.filter((t) => t.group === group && t.version === version);
  const virtual = VIRTUAL_GROUPS[`${group}/${version}`];
  if (virtual) return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources: virtual };
  if (!ts.length) return undefined;
  const resources: Array<Record<string, unknown>> = [];
  for (const t of ts.sort((a, b) => a.plural.localeCompare(b.plural))) {
    resources.push({
      name: t.plural, singularName: t.kind.toLowerCase(), namespaced: t.namespaced, kind: t.kind, verbs: VERBS,
      ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}),
      ...(ALL_CATEGORY.has(`${t.group}/${t.plural}`) ? { categories: ['all'] } : {}),
    });
    if (t.statusSubresource) resources.push({ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] });
    if (t.scaleSubresource) resources.push({ name: `${t.plural}/scale`, singularName: '', namespaced: t.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    if (t.group === '' && t.plural === 'pods') {
      resources.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
      resources.push({ name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] });
    }
    if (t.group === '' && t.plural === 'serviceaccounts') {
      resources.push({ name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

/** Path of a group-version in the OpenAPI v3 index: `api/v1`, `apis/lattice.dev/v1alpha1`. */
const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

/**
 * The OpenAPI v3 index. kubectl reads it to learn whether the server validates fields itself
 * (`fieldValidation` on PATCH); without it, kubectl falls back to client-side validation, which
 * needs the protobuf OpenAPI v2 document.
 */
export function openApiV3Root(types: ResourceType[]): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const gvs = new Set(types.map((t) => gvPath(t.group, t.version)));
  const hash = Buffer.from(types.map((t) => `${t.group}/${t.version}/${t.plural}`).sort().join(',')).toString('base64url').slice(-16);
  for (const p of [...gvs].sort()) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  return { paths };
}

/** One group-version's OpenAPI v3 document: the operations and kinds, with permissive schemas. */
export function openApiV3GroupVersion(types: ResourceType[], group: string, version: string, k8sVersion: string): Record<string, unknown> | undefined {
  const ts = types.filter((t) => t.group === group && t.version === version);
  if (!ts.length) return undefined;
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const params = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } }));
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const t of ts) {
    const gvk = { group: t.group, version: t.version, kind: t.kind };
    const op = (verb: string) => ({ 'x-kubernetes-group-version-kind': gvk, 'x-kubernetes-action': verb, parameters: params, responses: { 200: { description: 'OK' } } });
    const coll = t.namespaced ? `${base}/namespaces/{namespace}/${t.plural}` : `${base}/${t.plural}`;
    paths[coll] = { post: op('post'), get: op('list') };
    paths[`${coll}/{name}`] = { get: op('get'), put: op('put'), patch: op('patch'), delete: op('delete') };
    const name = `${group ? group.split('.').reverse().join('.') : 'io.k8s.api.core'}.${version}.${t.kind}`;
    schemas[name] = { type: 'object', 'x-kubernetes-group-version-kind': [gvk], 'x-kubernetes-preserve-unknown-fields': true };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: `v${k8sVersion}` }, paths, components: { schemas } };
}
