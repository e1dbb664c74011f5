/**
 * A minimal structural schema, enough to play the OpenAPI schemas of the Lattice CRDs as a real API
 * server does with them: unknown fields are pruned (no Lattice CRD sets
 * x-kubernetes-preserve-unknown-fields), then a malformed object is rejected with 422 and one cause
 * per offending field. The schemas are data, so both come from the same declaration.
 */
export interface Cause { field: string; message: string }

export type Schema =
  | { type: 'string'; enum?: string[] }
  | { type: 'integer'; minimum?: number }
  | { type: 'boolean' }
  | { type: 'array'; items: Schema }
  /** Known properties; every other key is pruned. */
  | { type: 'object'; properties: Record<string, Schema>; required: string[]; minProperties?: number }
  /** Free keys, values of one shape (additionalProperties). */
  | { type: 'map'; values: Schema; minProperties?: number }
  /** Any value, kept as it is (a serde_json::Value upstream). */
  | { type: 'any' };

export const str = (opts: { enum?: string[] } = {}): Schema => ({ type: 'string', ...opts });
export const int = (opts: { min?: number } = {}): Schema => ({ type: 'integer', minimum: opts.min });
export const bool = (): Schema => ({ type: 'boolean' });
export const arr = (items: Schema): Schema => ({ type: 'array', items });
export const obj = (properties: Record<string, Schema>, required: string[] = [], opts: { minProperties?: number } = {}): Schema =>
  ({ type: 'object', properties, required, ...opts });
export const map = (values: Schema, opts: { minProperties?: number } = {}): Schema => ({ type: 'map', values, ...opts });
export const any = (): Schema => ({ type: 'any' });

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A copy of `value` without the fields `schema` does not define, at any depth. */
export function prune(schema: Schema, value: unknown): unknown {
  switch (schema.type) {
    case 'object': {
      if (!isObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (k in schema.properties) out[k] = prune(schema.properties[k], v);
      return out;
    }
    case 'map':
      return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, prune(schema.values, v)])) : value;
    case 'array':
      return Array.isArray(value) ? value.map((v) => prune(schema.items, v)) : value;
    default:
      return value;
  }
}

// The API server names JSON types: a whole number is "integer" (`Invalid value: "integer": ...`).
const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
const shown = (v: unknown) => JSON.stringify(v) ?? String(v);
const wrongType = (path: string, v: unknown, type: string): Cause =>
  ({ field: path, message: `Invalid value: "${describe(v)}": ${path} in body must be of type ${type}: "${describe(v)}"` });
const tooFew = (path: string, n: number, min: number): Cause =>
  ({ field: path, message: `Invalid value: ${n}: ${path} in body should have at least ${min} properties` });

function check(schema: Schema, v: unknown, path: string, causes: Cause[]): void {
  switch (schema.type) {
    case 'string':
      if (typeof v !== 'string') { causes.push(wrongType(path, v, 'string')); return; }
      if (schema.enum && !schema.enum.includes(v)) {
        causes.push({ field: path, message: `Unsupported value: ${shown(v)}: supported values: ${schema.enum.map((e) => `"${e}"`).join(', ')}` });
      }
      return;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) { causes.push(wrongType(path, v, 'integer')); return; }
      if (schema.minimum !== undefined && v < schema.minimum) causes.push({ field: path, message: `Invalid value: ${v}: ${path} in body should be greater than or equal to ${schema.minimum}` });
      return;
    case 'boolean':
      if (typeof v !== 'boolean') causes.push(wrongType(path, v, 'boolean'));
      return;
    case 'array':
      if (!Array.isArray(v)) { causes.push(wrongType(path, v, 'array')); return; }
      v.forEach((x, i) => check(schema.items, x, `${path}[${i}]`, causes));
      return;
    case 'object': {
      if (!isObject(v)) { causes.push(wrongType(path, v, 'object')); return; }
      for (const r of schema.required) if (v[r] === undefined || v[r] === null) causes.push({ field: `${path}.${r}`, message: 'Required value' });
      if (schema.minProperties !== undefined && Object.keys(v).length < schema.minProperties) causes.push(tooFew(path, Object.keys(v).length, schema.minProperties));
      for (const [k, s] of Object.entries(schema.properties)) if (v[k] !== undefined && v[k] !== null) check(s, v[k], `${path}.${k}`, causes);
      return;
    }
    case 'map': {
      if (!isObject(v)) { causes.push(wrongType(path, v, 'object')); return; }
      if (schema.minProperties !== undefined && Object.keys(v).length < schema.minProperties) causes.push(tooFew(path, Object.keys(v).length, schema.minProperties));
      for (const [k, x] of Object.entries(v)) check(schema.values, x, `${path}.${k}`, causes);
      return;
    }
    default:
  }
}

/**
 * What a CRD's structural schema does to a stored object: apiVersion, kind and metadata kept as
 * they are, spec and status without the fields their schemas do not define.
 */
export function pruneObject<T extends { apiVersion: string; kind: string; metadata: unknown; spec?: unknown; status?: unknown }>(spec: Schema, status: Schema, o: T): T {
  const out = { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata } as T;
  if (o.spec !== undefined) out.spec = prune(spec, o.spec);
  if (o.status !== undefined) out.status = prune(status, o.status);
  return out;
}

/** Causes for `value` at `path`; a missing value is one `Required value`. */
export function validate(schema: Schema, value: unknown, path: string): Cause[] {
  if (value === undefined || value === null) return [{ field: path, message: 'Required value' }];
  const causes: Cause[] = [];
  check(schema, value, path, causes);
  return causes;
}
