/**
 * `?fieldValidation=` of create, update and patch requests, as a real API server does it for a
 * structural schema (metav1.FieldValidation*): `Strict` refuses a body with fields the schema does
 * not define (400, `strict decoding error: unknown field "spec.x"`); `Warn`, also the server's default
 * when the parameter is absent, prunes them and says so in a `Warning` header per field; `Ignore`
 * prunes silently. kubectl ≥1.27 sends `Strict` for apply/create/replace (its `--validate=strict`).
 */
import { StoreError } from './types.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

const DIRECTIVES: FieldValidation[] = ['Ignore', 'Warn', 'Strict'];

/** The request's directive; absent or empty is Warn. */
export function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation') ?? '';
  if (v === '') return 'Warn';
  if ((DIRECTIVES as string[]).includes(v)) return v as FieldValidation;
  throw new StoreError(400, 'BadRequest', `fieldValidation parameter must be one of: ${DIRECTIVES.join(', ')}, got "${v}"`);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Paths (`spec.a.b`, `spec.list[0].c`) present in `before` that pruning removed from `after`, sorted. */
export function droppedFields(before: unknown, after: unknown, path = ''): string[] {
  const out: string[] = [];
  const at = (k: string) => (path ? `${path}.${k}` : k);
  if (isObject(before)) {
    const kept = isObject(after) ? after : {};
    for (const [k, v] of Object.entries(before)) {
      if (!(k in kept)) out.push(at(k));
      else out.push(...droppedFields(v, kept[k], at(k)));
    }
  } else if (Array.isArray(before) && Array.isArray(after)) {
    before.forEach((v, i) => out.push(...droppedFields(v, after[i], `${path}[${i}]`)));
  }
  return out.sort();
}

/** What a Strict request gets when the body has unknown fields. */
export function strictDecodingError(kind: string, version: string, unknown: string[]): StoreError {
  return new StoreError(400, 'BadRequest',
    `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
}

/** The `Warning` header values of a Warn request (RFC 7234 code 299, as the API server writes them). */
export function unknownFieldWarnings(unknown: string[]): string[] {
  return unknown.map((f) => `299 - ${JSON.stringify(`unknown field ${JSON.stringify(f)}`)}`);
}
