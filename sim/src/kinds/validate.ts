/**
 * A minimal structural validator, enough to play the OpenAPI schemas of the Lattice CRDs: the API
 * server rejects a malformed spec with 422 and one cause per offending field, as Kubernetes does.
 */
export interface Cause { field: string; message: string }

type Check = (value: unknown, path: string, causes: Cause[]) => void;

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const shown = (v: unknown) => JSON.stringify(v) ?? String(v);

export const str = (opts: { enum?: string[] } = {}): Check => (v, path, causes) => {
  if (typeof v !== 'string') { causes.push({ field: path, message: `Invalid value: "${describe(v)}": ${path} in body must be of type string: "${describe(v)}"` }); return; }
  if (opts.enum && !opts.enum.includes(v)) {
    causes.push({ field: path, message: `Unsupported value: ${shown(v)}: supported values: ${opts.enum.map((e) => `"${e}"`).join(', ')}` });
  }
};

export const int = (opts: { min?: number } = {}): Check => (v, path, causes) => {
  if (typeof v !== 'number' || !Number.isInteger(v)) { causes.push({ field: path, message: `Invalid value: "${describe(v)}": ${path} in body must be of type integer: "${describe(v)}"` }); return; }
  if (opts.min !== undefined && v < opts.min) causes.push({ field: path, message: `Invalid value: ${v}: ${path} in body should be greater than or equal to ${opts.min}` });
};

export const bool = (): Check => (v, path, causes) => {
  if (typeof v !== 'boolean') causes.push({ field: path, message: `Invalid value: "${describe(v)}": ${path} in body must be of type boolean: "${describe(v)}"` });
};

export const arr = (item: Check): Check => (v, path, causes) => {
  if (!Array.isArray(v)) { causes.push({ field: path, message: `Invalid value: "${describe(v)}": ${path} in body must be of type array: "${describe(v)}"` }); return; }
  v.forEach((x, i) => item(x, `${path}[${i}]`, causes));
};

/** An object with known properties; unknown ones are tolerated (the real schemas prune them). */
export const obj = (props: Record<string, Check>, required: string[] = [], opts: { minProperties?: number } = {}): Check => (v, path, causes) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) { causes.push({ field: path, message: `Invalid value: "${describe(v)}": ${path} in body must be of type object: "${describe(v)}"` }); return; }
  const o = v as Record<string, unknown>;
  for (const r of required) if (o[r] === undefined || o[r] === null) causes.push({ field: `${path}.${r}`, message: 'Required value' });
  if (opts.minProperties !== undefined && Object.keys(o).length < opts.minProperties) {
    causes.push({ field: path, message: `Invalid value: ${Object.keys(o).length}: ${path} in body should have at least ${opts.minProperties} properties` });
  }
  for (const [k, check] of Object.entries(props)) if (o[k] !== undefined && o[k] !== null) check(o[k], `${path}.${k}`, causes);
};

/** A map from free keys to values of one shape. */
export const map = (value: Check, opts: { minProperties?: number } = {}): Check => (v, path, causes) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) { causes.push({ field: path, message: `Invalid value: "${describe(v)}": ${path} in body must be of type object: "${describe(v)}"` }); return; }
  const o = v as Record<string, unknown>;
  if (opts.minProperties !== undefined && Object.keys(o).length < opts.minProperties) {
    causes.push({ field: path, message: `Invalid value: ${Object.keys(o).length}: ${path} in body should have at least ${opts.minProperties} properties` });
  }
  for (const [k, x] of Object.entries(o)) value(x, `${path}.${k}`, causes);
};

export const any = (): Check => () => undefined;

export function runCheck(check: Check, value: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  if (value === undefined || value === null) return [{ field: path, message: 'Required value' }];
  check(value, path, causes);
  return causes;
}
