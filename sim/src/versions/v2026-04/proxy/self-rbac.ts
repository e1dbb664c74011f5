/**
 * On the cell's own cluster upstream's proxy forwards with `Impersonate-User/Group` of the caller
 * (api/k8s_forwarder/mod.rs:378-420; exec: api/exec_proxy/handlers.rs:160-175), so kube-apiserver's
 * RBAC decides. The target serves no RBAC kinds; what it plays is the RBAC a b5d50e90 cluster has:
 * `cluster-admin` for `lattice-system/lattice-operator` (lattice-cell bootstrap/generator.rs:109-126)
 * and `lattice-system/lattice-admin` (cli/commands/install.rs:1300-1320), and for every other
 * authenticated user only Kubernetes' default roles (system:discovery, system:basic-user,
 * system:public-info-viewer). Anything else gets kube-apiserver's Forbidden Status, worded as
 * k8s.io/apiserver endpoints/handlers/responsewriters/errors.go forbiddenMessage and
 * apimachinery errors.NewForbidden word it.
 */
export interface RequestAttributes { verb: string; resourceRequest: boolean; path: string; group: string; resource: string; subresource: string; name: string; namespace: string }

/** Users a b5d50e90 cluster binds to cluster-admin. */
const CLUSTER_ADMINS = new Set(['system:serviceaccount:lattice-system:lattice-operator', 'system:serviceaccount:lattice-system:lattice-admin']);
/** system:discovery and system:public-info-viewer non-resource URLs. */
const DISCOVERY = [/^\/api\/?$/, /^\/api\//, /^\/apis\/?$/, /^\/apis\//, /^\/healthz$/, /^\/livez$/, /^\/readyz$/, /^\/version\/?$/, /^\/openapi(\/.*)?$/];
/** system:basic-user: `create` on these, cluster-wide. */
const SELF_REVIEWS = new Set(['authorization.k8s.io/selfsubjectaccessreviews', 'authorization.k8s.io/selfsubjectrulesreviews', 'authentication.k8s.io/selfsubjectreviews']);
/** k8s.io/apiserver request.go namespaceSubresources */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** k8s.io/apiserver pkg/endpoints/request RequestInfoFactory.NewRequestInfo, the parts RBAC reads. */
export function requestAttributes(method: string, path: string, query: URLSearchParams): RequestAttributes {
  const base: RequestAttributes = { verb: method.toLowerCase(), resourceRequest: false, path, group: '', resource: '', subresource: '', name: '', namespace: '' };
  let parts = path.split('/').filter(Boolean);
  let group = '';
  if (parts[0] === 'api' && parts.length >= 3) parts = parts.slice(2);
  else if (parts[0] === 'apis' && parts.length >= 4) { group = parts[1]!; parts = parts.slice(3); } else return base;
  let watchPath = false;
  if (parts[0] === 'watch') { watchPath = true; parts = parts.slice(1); }
  const a: RequestAttributes = { ...base, resourceRequest: true, group };
  if (parts[0] === 'namespaces' && parts.length > 1) {
    a.namespace = parts[1]!;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }
  a.resource = parts[0] ?? '';
  a.name = parts[1] ?? '';
  a.subresource = parts[2] ?? '';
  const verbs: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
  a.verb = verbs[method] ?? method.toLowerCase();
  const watch = watchPath || ['1', 'true'].includes(query.get('watch') ?? '');
  if (a.verb === 'get' && !a.name) a.verb = watch ? 'watch' : 'list';
  if (a.verb === 'delete' && !a.name) a.verb = 'deletecollection';
  return a;
}

/** kube-apiserver's 403 Status for a request RBAC does not allow, or undefined when allowed. */
export function selfRbacDenial(username: string, a: RequestAttributes): Record<string, unknown> | undefined {
  if (CLUSTER_ADMINS.has(username)) return undefined;
  if (!a.resourceRequest) {
    if (a.verb === 'get' && DISCOVERY.some((r) => r.test(a.path))) return undefined;
    return status(`forbidden: User "${username}" cannot ${a.verb} path "${a.path}"`, {});
  }
  if (a.verb === 'create' && SELF_REVIEWS.has(`${a.group}/${a.resource}`)) return undefined;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const why = `User "${username}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
  const qualified = a.group ? `${a.resource}.${a.group}` : a.resource;
  const message = a.name ? `${qualified} "${a.name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
  return status(message, { ...(a.name ? { name: a.name } : {}), ...(a.group ? { group: a.group } : {}), kind: a.resource });
}

function status(message: string, details: Record<string, string>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details, code: 403 };
}
