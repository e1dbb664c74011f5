/**
 * PATCH bodies other than merge patch: RFC 6902 JSON patch and a strategic merge patch close
 * enough for the kinds kubectl patches (lists of named objects merge by key; `$patch`,
 * `$setElementOrder`, `$retainKeys` directives are honoured or dropped).
 */
import { StoreError } from './types.js';

const clone = <T>(o: T): T => structuredClone(o);

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new StoreError(422, 'Invalid', `invalid JSON pointer: ${path}`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, segs: string[], path: string): { parent: Record<string, unknown> | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const s of segs.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[s];
    else cur = undefined;
    if (cur === undefined) throw new StoreError(422, 'Invalid', `the server rejected our request due to an error in our request: doc is missing path: "${path}"`);
  }
  if (!cur || typeof cur !== 'object') throw new StoreError(422, 'Invalid', `doc is missing path: "${path}"`);
  return { parent: cur as Record<string, unknown> | unknown[], key: segs[segs.length - 1] };
}

function getAt(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const s of pointer(path)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[s];
    else return undefined;
  }
  return cur;
}

function removeAt(doc: unknown, path: string): unknown {
  const { parent, key } = parentOf(doc, pointer(path), path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!(i >= 0 && i < parent.length)) throw new StoreError(422, 'Invalid', `doc is missing path: "${path}"`);
    return parent.splice(i, 1)[0];
  }
  if (!(key in parent)) throw new StoreError(422, 'Invalid', `doc is missing path: "${path}": missing value`);
  const v = parent[key];
  delete parent[key];
  return v;
}

function addAt(doc: unknown, path: string, value: unknown, replace: boolean): unknown {
  const segs = pointer(path);
  if (segs.length === 0) return clone(value);
  const { parent, key } = parentOf(doc, segs, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!(i >= 0 && i <= parent.length)) throw new StoreError(422, 'Invalid', `index out of range in ${path}`);
    if (replace) parent[i] = clone(value); else parent.splice(i, 0, clone(value));
  } else {
    if (replace && !(key in parent)) throw new StoreError(422, 'Invalid', `doc is missing key: ${path}: missing value`);
    Object.defineProperty(parent, key, { value: clone(value), enumerable: true, writable: true, configurable: true });
  }
  return doc;
}

export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new StoreError(400, 'BadRequest', 'a JSON patch must be an array of operations');
  let d = clone(doc);
  for (const raw of ops) {
    const op = raw as { op?: string; path?: string; from?: string; value?: unknown };
    if (typeof op.path !== 'string') throw new StoreError(400, 'BadRequest', 'JSON patch operation without a path');
    switch (op.op) {
      case 'add': d = addAt(d, op.path, op.value, false); break;
      case 'replace': d = addAt(d, op.path, op.value, true); break;
      case 'remove': removeAt(d, op.path); break;
      case 'move': { const v = removeAt(d, op.from ?? ''); d = addAt(d, op.path, v, false); break; }
      case 'copy': d = addAt(d, op.path, getAt(d, op.from ?? ''), false); break;
      case 'test':
        if (JSON.stringify(getAt(d, op.path)) !== JSON.stringify(op.value)) {
          throw new StoreError(422, 'Invalid', `testing value ${op.path} failed`);
        }
        break;
      default: throw new StoreError(400, 'BadRequest', `unknown JSON patch operation "${op.op}"`);
    }
  }
  return d;
}

/** Merge keys of the lists strategic merge patches merge instead of replacing. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name', initContainers: 'name', ephemeralContainers: 'name', volumes: 'name', volumeMounts: 'mountPath',
  env: 'name', imagePullSecrets: 'name', conditions: 'type', tolerations: 'key', ports: 'port', hostAliases: 'ip',
  ownerReferences: 'uid',
};

function mergeList(cur: unknown[], patch: unknown[], key: string | undefined): unknown[] {
  const keyed = key && patch.every((p) => p && typeof p === 'object' && key in (p as object)) && cur.every((c) => c && typeof c === 'object' && key in (c as object));
  if (!keyed) return patch.filter((p) => !(p && typeof p === 'object' && (p as Record<string, unknown>).$patch)).map(clone);
  const out = cur.map(clone) as Array<Record<string, unknown>>;
  for (const p of patch as Array<Record<string, unknown>>) {
    const i = out.findIndex((c) => c[key!] === p[key!]);
    if (p.$patch === 'delete') { if (i >= 0) out.splice(i, 1); continue; }
    if (i >= 0) out[i] = applyStrategicMergePatch(out[i], p) as Record<string, unknown>;
    else out.push(applyStrategicMergePatch({}, p) as Record<string, unknown>);
  }
  return out;
}

export function applyStrategicMergePatch(target: unknown, patch: unknown, field?: string): unknown {
  if (Array.isArray(patch)) return mergeList(Array.isArray(target) ? target : [], patch, field && MERGE_KEYS[field]);
  if (patch === null || typeof patch !== 'object') return clone(patch);
  const p = patch as Record<string, unknown>;
  if (p.$patch === 'replace') { const { $patch: _x, ...rest } = p; return clone(rest); }
  if (p.$patch === 'delete') return undefined;
  const base: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  const retain = Array.isArray(p.$retainKeys) ? (p.$retainKeys as string[]) : undefined;
  for (const [k, v] of Object.entries(p)) {
    if (k.startsWith('$')) continue;
    if (k.startsWith('$setElementOrder/') || k.startsWith('$deleteFromPrimitiveList/')) continue;
    if (v === null) { delete base[k]; continue; }
    const merged = applyStrategicMergePatch(base[k], v, k);
    if (merged === undefined) delete base[k];
    else Object.defineProperty(base, k, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  for (const [k, v] of Object.entries(p)) {
    if (!k.startsWith('$deleteFromPrimitiveList/') || !Array.isArray(v)) continue;
    const f = k.slice('$deleteFromPrimitiveList/'.length);
    if (Array.isArray(base[f])) base[f] = (base[f] as unknown[]).filter((x) => !v.includes(x));
  }
  if (retain) for (const k of Object.keys(base)) if (!retain.includes(k)) delete base[k];
  return base;
}
