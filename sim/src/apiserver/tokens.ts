/**
 * ServiceAccount tokens as a cluster issues them: signed JWTs naming the ServiceAccount (TokenRequest,
 * `POST .../serviceaccounts/<sa>/token`, what `kubectl create token` sends; and the legacy token the
 * token controller writes into `kubernetes.io/service-account-token` Secrets), verified as the
 * API server's authenticator and TokenReview do. Each cluster (store) has its own signing key, so a
 * token of one cluster is not valid on another. Signed with HS256: clients never verify SA tokens.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { KubeObject, ObjectStore } from './types.js';

/** kube-apiserver's default --api-audiences on kubeadm clusters (the service account issuer). */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
const ISSUER = API_AUDIENCE;
/** TokenRequest's default expirationSeconds (authentication/v1 TokenRequestSpec: 1 hour). */
const DEFAULT_EXPIRATION = 3600;
/** The API server refuses shorter ones (ValidateTokenRequest: at least 10 minutes). */
const MIN_EXPIRATION = 600;

export interface TokenUser { username: string; uid: string; groups: string[] }
export type TokenReviewResult =
  | { authenticated: true; user: TokenUser; audiences: string[] }
  | { authenticated: false; error: string };

interface Claims {
  iss: string; sub: string; aud: string[]; exp?: number; iat: number; nbf?: number; jti?: string;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string }; secret?: { name: string; uid: string } };
}

const keys = new WeakMap<ObjectStore, Buffer>();
function keyOf(store: ObjectStore): Buffer {
  let k = keys.get(store);
  if (!k) { k = randomBytes(32); keys.set(store, k); }
  return k;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function sign(store: ObjectStore, claims: Claims): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'lattice-sim' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', keyOf(store)).update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(sig)}`;
}

function decode(store: ObjectStore, token: string): Claims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const want = createHmac('sha256', keyOf(store)).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2], 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
  try { return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims; } catch { return undefined; }
}

export class TokenRequestError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) { super(message); }
}

/**
 * TokenRequest: a bound token for an existing ServiceAccount (audiences default to the API's;
 * expirationSeconds at least 600). Returns the TokenRequest object the API server answers.
 */
export function requestToken(store: ObjectStore, namespace: string, name: string, body: KubeObject | undefined): KubeObject {
  const sa = store.get('v1', 'ServiceAccount', name, namespace);
  if (!sa) throw new TokenRequestError(404, 'NotFound', `serviceaccounts "${name}" not found`);
  const spec = (body?.spec ?? {}) as { audiences?: string[]; expirationSeconds?: number };
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION;
  if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION) {
    throw new TokenRequestError(422, 'Invalid', `TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`);
  }
  const audiences = spec.audiences?.length ? spec.audiences : [API_AUDIENCE];
  const now = Math.floor(Date.now() / 1000);
  const token = sign(store, {
    iss: ISSUER, sub: `system:serviceaccount:${namespace}:${name}`, aud: audiences, exp: now + expirationSeconds, iat: now, nbf: now, jti: randomUUID(),
    'kubernetes.io': { namespace, serviceaccount: { name, uid: sa.metadata.uid ?? '' } },
  });
  return {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: null as unknown as string },
    spec: { audiences, expirationSeconds, boundObjectRef: null },
    status: { token, expirationTimestamp: new Date((now + expirationSeconds) * 1000).toISOString() },
  };
}

/**
 * The legacy, non-expiring token the token controller writes into a Secret of type
 * `kubernetes.io/service-account-token` (valid while the Secret and its ServiceAccount exist).
 */
export function legacySecretToken(store: ObjectStore, secret: KubeObject, sa: KubeObject): string {
  const namespace = secret.metadata.namespace!;
  return sign(store, {
    iss: 'kubernetes/serviceaccount', sub: `system:serviceaccount:${namespace}:${sa.metadata.name}`, aud: [API_AUDIENCE], iat: Math.floor(Date.now() / 1000),
    'kubernetes.io': { namespace, serviceaccount: { name: sa.metadata.name, uid: sa.metadata.uid ?? '' }, secret: { name: secret.metadata.name, uid: secret.metadata.uid ?? '' } },
  });
}

/**
 * What the API server's ServiceAccount authenticator says about a bearer token (TokenReview
 * semantics): signature, expiry, the ServiceAccount (and the Secret of a legacy token) still there
 * with the same uid, and, when `audiences` are asked for, at least one in common.
 */
export function reviewToken(store: ObjectStore, token: string, audiences?: string[]): TokenReviewResult {
  const c = decode(store, token);
  if (!c?.['kubernetes.io']?.serviceaccount) return { authenticated: false, error: 'invalid bearer token' };
  const now = Math.floor(Date.now() / 1000);
  if (c.exp !== undefined && c.exp < now) return { authenticated: false, error: 'invalid bearer token, token has expired' };
  const { namespace, serviceaccount, secret } = c['kubernetes.io'];
  const sa = store.get('v1', 'ServiceAccount', serviceaccount.name, namespace);
  if (!sa || sa.metadata.uid !== serviceaccount.uid) {
    return { authenticated: false, error: `invalid bearer token, service account ${namespace}/${serviceaccount.name} has been deleted` };
  }
  if (secret) {
    const s = store.get('v1', 'Secret', secret.name, namespace);
    if (!s || s.metadata.uid !== secret.uid) return { authenticated: false, error: `invalid bearer token, secret ${namespace}/${secret.name} has been deleted` };
  }
  const wanted = audiences?.length ? audiences : [API_AUDIENCE];
  const common = c.aud.filter((a) => wanted.includes(a));
  if (!common.length) return { authenticated: false, error: 'invalid bearer token, token audiences ["' + c.aud.join('","') + '"] is invalid for the target audiences ["' + wanted.join('","') + '"]' };
  return {
    authenticated: true, audiences: common,
    user: { username: `system:serviceaccount:${namespace}:${serviceaccount.name}`, uid: serviceaccount.uid, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] },
  };
}

/** POST tokenreviews: the TokenReview object with its status filled in. */
export function tokenReview(store: ObjectStore, body: KubeObject | undefined): KubeObject {
  const spec = (body?.spec ?? {}) as { token?: string; audiences?: string[] };
  const r = reviewToken(store, spec.token ?? '', spec.audiences);
  const status = r.authenticated
    ? { authenticated: true, user: r.user, audiences: r.audiences }
    : { user: {}, error: r.error };
  return { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null } as unknown as KubeObject['metadata'], spec, status };
}

/**
 * The token controller (kube-controller-manager): fills `token`, `ca.crt` and `namespace` into
 * Secrets of type `kubernetes.io/service-account-token` whose annotated ServiceAccount exists.
 */
export function startTokenController(store: ObjectStore, caPem: () => string): () => void {
  const fill = (s: KubeObject) => {
    if (s.type !== 'kubernetes.io/service-account-token' || s.metadata.deletionTimestamp) return;
    if ((s.data as Record<string, string> | undefined)?.token) return;
    const saName = s.metadata.annotations?.['kubernetes.io/service-account.name'];
    const sa = saName ? store.get('v1', 'ServiceAccount', saName, s.metadata.namespace) : undefined;
    if (!sa) return;
    const token = legacySecretToken(store, s, sa);
    const data = { ...(s.data as Record<string, string> | undefined), token: Buffer.from(token).toString('base64'), 'ca.crt': Buffer.from(caPem()).toString('base64'), namespace: Buffer.from(s.metadata.namespace!).toString('base64') };
    store.update({ ...s, metadata: { ...s.metadata, annotations: { ...s.metadata.annotations, 'kubernetes.io/service-account.uid': sa.metadata.uid ?? '' } }, data });
  };
  const sweep = () => { for (const s of store.list('v1', 'Secret').items) { try { fill(s); } catch { /* conflict: the next event retries */ } } };
  const unwatchSecrets = store.watch('v1', 'Secret', {}, (e) => { if (e.type !== 'DELETED') { try { fill(e.object); } catch { /* retried on the next event */ } } });
  const unwatchSa = store.watch('v1', 'ServiceAccount', {}, (e) => { if (e.type === 'ADDED') sweep(); });
  sweep();
  return () => { unwatchSecrets(); unwatchSa(); };
}
