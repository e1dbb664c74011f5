/**
 * The seam between the embedded target's Kubernetes API (apiserver/) and the controllers that
 * play Lattice, CAPI and the kubelet (lifecycle/, later services/). Controllers of one cluster act
 * only through that cluster's ObjectStore, as the real operator acts only through its own API.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }>;
  [k: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  status?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  [k: string]: unknown;
}

/** Identifies a served resource type, e.g. { group: 'lattice.dev', version: 'v1alpha1', plural: 'latticeclusters' }. */
export interface ResourceType {
  group: string; // '' for core
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Columns for `kubectl get` (server-side Table printing); name and age are always added. */
  printerColumns?: Array<{ name: string; type: string; jsonPath: string }>;
  /** Whether `/status` is a separate subresource (spec writes ignore status and vice versa). */
  statusSubresource?: boolean;
  /** Field selector labels beyond metadata.name/metadata.namespace (e.g. pods: spec.nodeName, status.phase). */
  fieldSelectors?: string[];
  /** Whether the type has a `/scale` subresource reading `.spec.replicas` (kubectl scale). */
  scaleSubresource?: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
export interface WatchEvent { type: WatchEventType; object: KubeObject }

export interface ListOptions {
  namespace?: string; // absent = all namespaces
  labelSelector?: string;
  fieldSelector?: string;
}

export interface DeleteOptions {
  /** Orphan leaves dependents (objects whose ownerReferences name this one); otherwise they are deleted too. */
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  /** Delete only when these still match (409 Conflict otherwise). */
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Thrown by the store; the HTTP layer maps it to a Kubernetes Status. */
export class StoreError extends Error {
  constructor(
    readonly code: 404 | 409 | 410 | 422 | 400 | 405 | 403,
    /** '' for an admission denial without a reason (kubectl prints `Error from server: ...`). */
    readonly reason: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone' | 'Invalid' | 'BadRequest' | 'MethodNotAllowed' | 'Forbidden' | '',
    message: string,
    readonly causes: Array<{ field: string; message: string; reason?: string }> = [],
  ) { super(message); }
}

export interface ObjectStore {
  /** Registers a resource type (core kinds are pre-registered; CRDs register theirs). */
  register(type: ResourceType, schema?: KindSchema): void;
  types(): ResourceType[];
  typeOf(apiVersion: string, kind: string): ResourceType | undefined;

  create(obj: KubeObject): KubeObject;
  get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined;
  list(apiVersion: string, kind: string, opts?: ListOptions): { items: KubeObject[]; resourceVersion: string };
  /** Full replace; `resourceVersion`, when set, must match (409 Conflict otherwise). */
  update(obj: KubeObject): KubeObject;
  /** Replaces only `.status` (the /status subresource). */
  updateStatus(obj: KubeObject): KubeObject;
  /** Merge-patches an object (RFC 7386); `subresource: 'status'` patches status only. */
  mergePatch(apiVersion: string, kind: string, name: string, namespace: string | undefined, patch: unknown, subresource?: 'status'): KubeObject;
  /**
   * Deletes: with finalizers present it only sets `deletionTimestamp`; the object goes when the
   * last finalizer is removed. Namespaces take their contents with them.
   */
  delete(apiVersion: string, kind: string, name: string, namespace?: string, opts?: DeleteOptions): KubeObject | undefined;
  /** Upsert convenience for controllers. */
  apply(obj: KubeObject): KubeObject;
  /**
   * Runs `write` under a request's `fieldValidation` (field-validation.ts): with `Strict` a write
   * whose body has fields the schema prunes throws 400 and stores nothing; otherwise the pruned
   * fields are returned (for Warn's headers).
   */
  withFieldValidation<T>(mode: 'Strict' | 'Warn' | 'Ignore', write: () => T): { result: T; unknown: string[] };

  /**
   * Streams changes from `resourceVersion` (exclusive; throws StoreError 410 when too old) or from
   * now. Returns an unsubscribe function.
   */
  watch(apiVersion: string, kind: string, opts: ListOptions & { resourceVersion?: string }, onEvent: (e: WatchEvent) => void): () => void;
  /** The latest resourceVersion issued. */
  currentResourceVersion(): string;
}

/** A CRD's structural schema: what the API server refuses (422 causes) and prunes (unknown fields). */
export interface KindSchema {
  validate(obj: KubeObject): Array<{ field: string; message: string }>;
  prune(obj: KubeObject): KubeObject;
  /** A validating admission webhook on CREATE and UPDATE (not /status): a denial, or undefined. */
  admit?(obj: KubeObject, old?: KubeObject): { webhook: string; message: string } | undefined;
}
