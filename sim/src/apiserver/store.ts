/**
 * The in-memory object store behind one simulated cluster's API. It keeps the Kubernetes object
 * semantics the suite observes: resourceVersion, uid, generation, finalizers, namespace deletion,
 * validation (422), conflicts (409) and a bounded watch history (410 when a watcher falls behind).
 */
import { droppedFields, strictDecodingError } from './field-validation.js';
import { randomUUID } from 'node:crypto';
import {
  StoreError,
  type DeleteOptions, type KindSchema, type KubeObject, type ListOptions, type ObjectStore, type ResourceType, type WatchEvent,
} from './types.js';
import {
  COMMON_FIELDS, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector,
  type FieldRequirement, type LabelSelector,
} from './selectors.js';
import { CORE_KINDS } from '../kinds/core.js';


interface HistoryEntry { rv: number; typeKey: string; type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject; prev?: KubeObject }

interface Watcher {
  typeKey: string;
  apiVersion: string;
  namespace?: string;
  labels: LabelSelector;
  fields: FieldRequirement[];
  onEvent: (e: WatchEvent) => void;
  active: boolean;
}

export interface StoreOptions {
  /** How many change events are kept for watches that resume from a resourceVersion (default 5000). */
  historyLimit?: number;
  /** Create default, kube-system, kube-public and kube-node-lease as a real cluster has them (default true). */
  defaultNamespaces?: boolean;
  /** Told every resourceVersion the store issues, when it issues it (the target's own record of its writes). */
  onWrite?: (resourceVersion: string) => void;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** `pods`, `latticeclusters.lattice.dev`: how Kubernetes names a resource in messages. */
export function qualifiedResource(t: ResourceType): string {
  return t.group ? `${t.plural}.${t.group}` : t.plural;
}

/** Storage is per group and resource: every served version reads and writes the same objects. */
const typeKeyOf = (t: ResourceType) => `${t.group}/${t.plural}`;
const versionKeyOf = (t: ResourceType) => `${t.group}/${t.version}/${t.plural}`;
const objKey = (name: string, namespace?: string) => `${namespace ?? ''}/${name}`;
const clone = <T>(o: T): T => structuredClone(o);
/** A copy as read through `t`'s version. */
const out = (t: ResourceType, o: KubeObject): KubeObject => ({ ...structuredClone(o), apiVersion: t.group ? `${t.group}/${t.version}` : t.version });

const NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** Everything that is neither metadata nor status: a change here bumps `metadata.generation`. */
function specPart(o: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

/** RFC 7386 JSON merge patch. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const base: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete base[k];
    // defineProperty: a "__proto__" key from JSON is data, never the prototype.
    else Object.defineProperty(base, k, { value: applyMergePatch(base[k], v), enumerable: true, writable: true, configurable: true });
  }
  return base;
}

/** As the API server does: `stringData` is folded into base64 `data` and never stored; type defaults to Opaque. */
function defaultSecret(o: KubeObject): void {
  const sd = o.stringData as Record<string, unknown> | undefined;
  if (sd && typeof sd === 'object') {
    const data = { ...((o.data as Record<string, string> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(sd)) data[k] = Buffer.from(String(v)).toString('base64');
    o.data = data;
  }
  delete o.stringData;
  if (!o.type) o.type = 'Opaque';
}

export function createStore(opts: StoreOptions = {}): ObjectStore {
  const historyLimit = opts.historyLimit ?? 5000;
  const types = new Map<string, ResourceType>(); // versionKey → type
  const byKind = new Map<string, string>(); // `${apiVersion}|${kind}` → versionKey
  const storageTypes = new Map<string, ResourceType>(); // typeKey → first registered type
  const schemas = new Map<string, KindSchema>();
  const data = new Map<string, Map<string, KubeObject>>();
  const history: HistoryEntry[] = [];
  /** Highest resourceVersion whose event has been dropped from the history. */
  let compactedRv = 0;
  let rv = 0;
  const watchers = new Set<Watcher>();

  function typeFor(apiVersion: string, kind: string): ResourceType {
    const key = byKind.get(`${apiVersion}|${kind}`);
    if (!key) {
      throw new StoreError(404, 'NotFound', `the server could not find the requested resource (no kind "${kind}" is registered for version "${apiVersion}")`);
    }
    return types.get(key)!;
  }

  function bucket(t: ResourceType): Map<string, KubeObject> {
    const key = typeKeyOf(t);
    let b = data.get(key);
    if (!b) { b = new Map(); data.set(key, b); }
    return b;
  }

  function notFound(t: ResourceType, name: string): StoreError {
    return new StoreError(404, 'NotFound', `${qualifiedResource(t)} "${name}" not found`);
  }

  function record(t: ResourceType, type: HistoryEntry['type'], object: KubeObject, prev?: KubeObject): void {
    const entry: HistoryEntry = { rv: Number(object.metadata.resourceVersion), typeKey: typeKeyOf(t), type, object: clone(object), prev: prev && clone(prev) };
    history.push(entry);
    while (history.length > historyLimit) compactedRv = history.shift()!.rv;
    for (const w of watchers) deliver(w, entry);
  }

  /** Translates a change into what a filtered watcher sees (objects entering/leaving a selector). */
  function deliver(w: Watcher, e: HistoryEntry): void {
    if (w.typeKey !== e.typeKey) return;
    if (w.namespace && e.object.metadata.namespace !== w.namespace) return;
    const matches = (o: KubeObject | undefined) => !!o && matchesLabels(w.labels, o.metadata.labels) && matchesFields(w.fields, o);
    let type: WatchEvent['type'] | undefined;
    if (e.type === 'MODIFIED') {
      const now = matches(e.object);
      const before = matches(e.prev);
      type = now && before ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
    } else if (matches(e.object)) {
      type = e.type;
    }
    if (!type) return;
    const event: WatchEvent = { type, object: { ...clone(e.object), apiVersion: w.apiVersion } };
    // Delivered asynchronously, in order, like a real watch: a controller reacting to an event may
    // write to the store without re-entering other watchers mid-delivery.
    queueMicrotask(() => { if (w.active) w.onEvent(event); });
  }

  function nextRv(): string { rv += 1; const v = String(rv); opts.onWrite?.(v); return v; }

  function checkNamespace(t: ResourceType, obj: KubeObject, creating: boolean): void {
    if (!t.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (!obj.metadata.namespace) obj.metadata.namespace = 'default';
    if (!creating) return;
    const ns = bucket(typeFor('v1', 'Namespace')).get(objKey(obj.metadata.namespace));
    if (!ns) throw new StoreError(404, 'NotFound', `namespaces "${obj.metadata.namespace}" not found`);
    if (ns.metadata.deletionTimestamp) {
      throw new StoreError(403, 'Forbidden', `${qualifiedResource(t)} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${obj.metadata.namespace} because it is being terminated`);
    }
  }

  function validate(t: ResourceType, obj: KubeObject, old?: KubeObject): void {
    const causes: Array<{ field: string; message: string; reason?: string }> = [];
    const name = obj.metadata.name;
    if (!name) causes.push({ field: 'metadata.name', message: 'Required value: name or generateName is required', reason: 'FieldValueRequired' });
    else if (name.length > 253 || !NAME_RE.test(name)) {
      causes.push({ field: 'metadata.name', message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`, reason: 'FieldValueInvalid' });
    }
    const v = schemas.get(typeKeyOf(t));
    if (v) for (const c of v.validate(obj)) causes.push({ ...c, reason: c.message.startsWith('Required value') ? 'FieldValueRequired' : 'FieldValueInvalid' });
    if (causes.length) {
      const summary = causes.map((c) => `${c.field}: ${c.message}`);
      throw new StoreError(422, 'Invalid',
        `${t.kind}${t.group ? '.' + t.group : ''} "${name ?? ''}" is invalid: ${summary.length === 1 ? summary[0] : '[' + summary.join(', ') + ']'}`,
        causes);
    }
    // A validating webhook sees only objects the schema accepted; a denial is a 400 without reason.
    const denied = v?.admit?.(obj, old);
    if (denied) throw new StoreError(400, '', `admission webhook "${denied.webhook}" denied the request: ${denied.message}`);
  }

  function normalize(t: ResourceType, obj: KubeObject): KubeObject {
    if (!obj || typeof obj !== 'object' || !obj.metadata || typeof obj.metadata !== 'object') {
      throw new StoreError(400, 'BadRequest', 'the object has no metadata');
    }
    const o = clone(obj);
    o.apiVersion = apiVersionOf(t);
    o.kind = t.kind;
    for (const k of ['labels', 'annotations'] as const) {
      const m = o.metadata[k];
      if (m !== undefined && (m === null || typeof m !== 'object')) {
        throw new StoreError(422, 'Invalid', `${t.kind} "${o.metadata.name}" is invalid: metadata.${k}: must be a map`, [{ field: `metadata.${k}`, message: 'must be a map' }]);
      }
      if (m) for (const [lk, lv] of Object.entries(m)) if (typeof lv !== 'string') (m as Record<string, string>)[lk] = String(lv);
      if (m && Object.keys(m).length === 0) delete o.metadata[k];
    }
    if (o.metadata.finalizers && o.metadata.finalizers.length === 0) delete o.metadata.finalizers;
    if (t.group === '' && t.kind === 'Secret') defaultSecret(o);
    // A structural schema prunes unknown fields on every write (create, update, patch, status).
    const schema = schemas.get(typeKeyOf(t));
    if (!schema) return o;
    const pruned = schema.prune(o);
    if (validating) {
      const unknown = droppedFields(o, pruned);
      if (unknown.length && validating.mode === 'Strict') throw strictDecodingError(t.kind, t.version, unknown);
      validating.unknown.push(...unknown);
    }
    return pruned;
  }

  /** The fieldValidation of the request being served; writes are synchronous, so one at a time. */
  let validating: { mode: 'Strict' | 'Warn' | 'Ignore'; unknown: string[] } | undefined;

  function insert(t: ResourceType, input: KubeObject): KubeObject {
    const o = normalize(t, input);
    if (!o.metadata.name && typeof o.metadata.generateName === 'string') {
      o.metadata.name = o.metadata.generateName + Math.random().toString(36).slice(2, 7);
    }
    checkNamespace(t, o, true);
    validate(t, o);
    const b = bucket(t);
    const key = objKey(o.metadata.name, o.metadata.namespace);
    if (b.has(key)) throw new StoreError(409, 'AlreadyExists', `${qualifiedResource(t)} "${o.metadata.name}" already exists`);
    o.metadata.uid = randomUUID();
    o.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    o.metadata.generation = 1;
    delete o.metadata.deletionTimestamp;
    if (t.kind === 'Namespace' && t.group === '') {
      o.spec = { finalizers: ['kubernetes'], ...(o.spec ?? {}) };
      o.status = { phase: 'Active', ...(o.status ?? {}) };
    }
    o.metadata.resourceVersion = nextRv();
    b.set(key, o);
    record(t, 'ADDED', o);
    return out(t, o);
  }

  /**
   * Replaces the stored object. `part` decides what the write may change: 'main' keeps the stored
   * status when the type has a status subresource; 'status' changes only status; 'all' both.
   */
  function replace(t: ResourceType, input: KubeObject, part: 'main' | 'status' | 'all', checkRv: boolean): KubeObject {
    const o = normalize(t, input);
    checkNamespace(t, o, false);
    const b = bucket(t);
    const key = objKey(o.metadata.name, o.metadata.namespace);
    const cur = b.get(key);
    if (!cur) throw notFound(t, o.metadata.name);
    if (checkRv && o.metadata.resourceVersion && o.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw new StoreError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(t)} "${o.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    let next: KubeObject;
    if (part === 'status') {
      next = { ...clone(cur), status: o.status };
      if (o.status === undefined) delete next.status;
    } else {
      next = o;
      if (part === 'main' && t.statusSubresource) {
        if (cur.status === undefined) delete next.status;
        else next.status = clone(cur.status);
      }
      // Fields the server owns.
      next.metadata.uid = cur.metadata.uid;
      next.metadata.creationTimestamp = cur.metadata.creationTimestamp;
      next.metadata.generation = cur.metadata.generation;
      if (cur.metadata.deletionTimestamp) next.metadata.deletionTimestamp = cur.metadata.deletionTimestamp;
      else delete next.metadata.deletionTimestamp;
      if (cur.metadata.deletionTimestamp) {
        const added = (next.metadata.finalizers ?? []).filter((f) => !(cur.metadata.finalizers ?? []).includes(f));
        if (added.length) {
          throw new StoreError(422, 'Invalid', `${t.kind} "${cur.metadata.name}" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
            [{ field: 'metadata.finalizers', message: 'Forbidden: no new finalizers can be added if the object is being deleted' }]);
        }
      }
      validate(t, next, cur);
      if (!sameJson(specPart(next), specPart(cur))) next.metadata.generation = (cur.metadata.generation ?? 1) + 1;
    }
    if (sameJson({ ...next, metadata: { ...next.metadata, resourceVersion: cur.metadata.resourceVersion } }, cur)) {
      return out(t, cur); // no-op writes do not bump the resourceVersion, as in Kubernetes
    }
    next.metadata.resourceVersion = nextRv();
    if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) {
      b.delete(key);
      record(t, 'DELETED', next);
      afterRemoval(next);
      return out(t, next);
    }
    b.set(key, next);
    record(t, 'MODIFIED', next, cur);
    return out(t, next);
  }

  /** When the last object of a terminating namespace goes, the namespace goes too. */
  function afterRemoval(removed: KubeObject, cascade = true): void {
    if (cascade && removed.metadata.uid) collectDependents(removed.metadata.uid);
    const ns = removed.metadata.namespace;
    if (!ns) return;
    const nsType = typeFor('v1', 'Namespace');
    const nsObj = bucket(nsType).get(objKey(ns));
    if (nsObj?.metadata.deletionTimestamp) finishNamespace(nsType, nsObj);
  }

  /** The garbage collector's part: objects owned by a removed object go with it. */
  function collectDependents(uid: string): void {
    for (const [tk, ob] of data) {
      const ot = storageTypes.get(tk);
      if (!ot) continue;
      for (const o of [...ob.values()]) {
        if (o.metadata.ownerReferences?.some((r) => r.uid === uid)) remove(ot, o.metadata.name, o.metadata.namespace);
      }
    }
  }

  function namespaceEmpty(ns: string): boolean {
    for (const [key, b] of data) {
      const t = storageTypes.get(key);
      if (!t?.namespaced) continue;
      for (const o of b.values()) if (o.metadata.namespace === ns) return false;
    }
    return true;
  }

  function finishNamespace(nsType: ResourceType, nsObj: KubeObject): void {
    if (!namespaceEmpty(nsObj.metadata.name) || nsObj.metadata.finalizers?.length) return;
    const b = bucket(nsType);
    if (!b.has(objKey(nsObj.metadata.name))) return;
    b.delete(objKey(nsObj.metadata.name));
    const gone = clone(nsObj);
    gone.metadata.resourceVersion = nextRv();
    record(nsType, 'DELETED', gone);
  }

  function remove(t: ResourceType, name: string, namespace?: string, opts: DeleteOptions = {}): KubeObject | undefined {
    const ns = t.namespaced ? (namespace ?? 'default') : undefined;
    const b = bucket(t);
    const key = objKey(name, ns);
    const cur = b.get(key);
    if (!cur) return undefined;
    const pre = opts.preconditions;
    if ((pre?.uid && pre.uid !== cur.metadata.uid) || (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion)) {
      throw new StoreError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(t)} "${name}": the precondition for deletion does not match the current object`);
    }
    const isNamespace = t.kind === 'Namespace' && t.group === '';
    if (cur.metadata.finalizers?.length || isNamespace) {
      if (!cur.metadata.deletionTimestamp) {
        const next = clone(cur);
        next.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        if (isNamespace) next.status = { ...(next.status ?? {}), phase: 'Terminating' };
        next.metadata.resourceVersion = nextRv();
        b.set(key, next);
        record(t, 'MODIFIED', next, cur);
      }
      if (isNamespace) {
        for (const [tk, ob] of data) {
          const ot = storageTypes.get(tk);
          if (!ot?.namespaced) continue;
          for (const o of [...ob.values()]) if (o.metadata.namespace === name) remove(ot, o.metadata.name, name);
        }
        const still = b.get(key);
        if (still) finishNamespace(t, still);
        return out(t, b.get(key) ?? still ?? cur);
      }
      return out(t, b.get(key)!);
    }
    b.delete(key);
    const gone = clone(cur);
    gone.metadata.resourceVersion = nextRv();
    record(t, 'DELETED', gone);
    afterRemoval(gone, opts.propagationPolicy !== 'Orphan');
    return out(t, gone);
  }

  function selectorsFor(t: ResourceType, o: ListOptions): { labels: LabelSelector; fields: FieldRequirement[] } {
    return {
      labels: parseLabelSelector(o.labelSelector),
      fields: parseFieldSelector(o.fieldSelector, [...COMMON_FIELDS, ...(t.fieldSelectors ?? [])]),
    };
  }

  const store: ObjectStore = {
    withFieldValidation(mode, write) {
      const outer = validating;
      validating = { mode, unknown: [] };
      try {
        const result = write();
        return { result, unknown: [...new Set(validating.unknown)].sort() };
      } finally {
        validating = outer;
      }
    },
    register(type, schema) {
      const key = versionKeyOf(type);
      types.set(key, { ...type });
      byKind.set(`${apiVersionOf(type)}|${type.kind}`, key);
      if (!storageTypes.has(typeKeyOf(type))) storageTypes.set(typeKeyOf(type), { ...type });
      if (schema) schemas.set(typeKeyOf(type), schema);
    },
    types() { return [...types.values()].map((t) => ({ ...t })); },
    typeOf(apiVersion, kind) {
      const key = byKind.get(`${apiVersion}|${kind}`);
      return key ? { ...types.get(key)! } : undefined;
    },

    create(obj) {
      return insert(typeFor(obj.apiVersion, obj.kind), obj);
    },
    get(apiVersion, kind, name, namespace) {
      const t = typeFor(apiVersion, kind);
      const o = bucket(t).get(objKey(name, t.namespaced ? (namespace ?? 'default') : undefined));
      return o && { ...clone(o), apiVersion };
    },
    list(apiVersion, kind, o = {}) {
      const t = typeFor(apiVersion, kind);
      const { labels, fields } = selectorsFor(t, o);
      const items = [...bucket(t).values()]
        .filter((x) => !o.namespace || !t.namespaced || x.metadata.namespace === o.namespace)
        .filter((x) => matchesLabels(labels, x.metadata.labels) && matchesFields(fields, x))
        .sort((a, b) => objKey(a.metadata.name, a.metadata.namespace).localeCompare(objKey(b.metadata.name, b.metadata.namespace)))
        .map((x) => ({ ...clone(x), apiVersion }));
      return { items, resourceVersion: String(rv) };
    },
    update(obj) {
      return replace(typeFor(obj.apiVersion, obj.kind), obj, 'main', true);
    },
    updateStatus(obj) {
      return replace(typeFor(obj.apiVersion, obj.kind), obj, 'status', true);
    },
    mergePatch(apiVersion, kind, name, namespace, patch, subresource) {
      const t = typeFor(apiVersion, kind);
      const cur = bucket(t).get(objKey(name, t.namespaced ? (namespace ?? 'default') : undefined));
      if (!cur) throw notFound(t, name);
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
        throw new StoreError(400, 'BadRequest', 'a merge patch must be a JSON object');
      }
      const next = applyMergePatch(cur, patch) as KubeObject;
      if (!next.metadata || typeof next.metadata !== 'object') throw new StoreError(400, 'BadRequest', 'the patch removes metadata');
      next.metadata.name = cur.metadata.name;
      if (t.namespaced) next.metadata.namespace = cur.metadata.namespace;
      return replace(t, next, subresource === 'status' ? 'status' : 'main', true);
    },
    delete(apiVersion, kind, name, namespace, opts) {
      return remove(typeFor(apiVersion, kind), name, namespace, opts);
    },
    apply(obj) {
      const t = typeFor(obj.apiVersion, obj.kind);
      const ns = t.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined;
      const cur = obj.metadata?.name ? bucket(t).get(objKey(obj.metadata.name, ns)) : undefined;
      if (!cur) return insert(t, obj);
      const next = clone(obj);
      delete next.metadata.resourceVersion;
      // A controller's upsert carries the status it means; without one, the current status stays.
      if (next.status === undefined && cur.status !== undefined) next.status = clone(cur.status);
      return replace(t, next, 'all', false);
    },

    watch(apiVersion, kind, o, onEvent) {
      const t = typeFor(apiVersion, kind);
      const { labels, fields } = selectorsFor(t, o);
      const w: Watcher = { typeKey: typeKeyOf(t), apiVersion, namespace: t.namespaced ? o.namespace : undefined, labels, fields, onEvent, active: true };
      if (o.resourceVersion !== undefined && o.resourceVersion !== '' && o.resourceVersion !== '0') {
        const from = Number(o.resourceVersion);
        if (!Number.isInteger(from) || from < 0) {
          throw new StoreError(400, 'BadRequest', `invalid resource version: ${o.resourceVersion}`);
        }
        if (from < compactedRv) {
          throw new StoreError(410, 'Gone', `too old resource version: ${from} (${compactedRv + 1})`);
        }
        for (const e of history) if (e.rv > from) deliver(w, e);
      }
      watchers.add(w);
      return () => { w.active = false; watchers.delete(w); };
    },
    currentResourceVersion() { return String(rv); },
  };

  for (const k of CORE_KINDS) store.register(k);
  if (opts.defaultNamespaces !== false) {
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  }
  return store;
}
