/**
 * Label and field selectors as the Kubernetes API parses them: equality (`a=b`, `a==b`, `a!=b`),
 * set-based (`a in (x,y)`, `a notin (x)`), existence (`a`, `!a`) and numeric `a>1`/`a<1`.
 */
import { StoreError, type KubeObject } from './types.js';

export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' }
  | { key: string; op: 'gt' | 'lt'; value: number };

export type LabelSelector = LabelRequirement[];

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;
const VALUE = /^([a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?)?$/;

function bad(sel: string, why: string): StoreError {
  return new StoreError(400, 'BadRequest', `unable to parse requirement: found '${sel}', ${why}`);
}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p.length > 0);
}

function checkKey(key: string, part: string): string {
  if (!KEY.test(key)) throw bad(part, `invalid label key "${key}"`);
  return key;
}
function checkValue(v: string, part: string): string {
  if (!VALUE.test(v) || v.length > 63) throw bad(part, `invalid label value "${v}"`);
  return v;
}

export function parseLabelSelector(selector: string | undefined): LabelSelector {
  if (!selector || !selector.trim()) return [];
  const reqs: LabelSelector = [];
  for (const part of splitTopLevel(selector)) {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^!\s*([^\s=!<>(),]+)$/))) {
      reqs.push({ key: checkKey(m[1], part), op: '!exists' });
    } else if ((m = part.match(/^([^\s=!<>(),]+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const values = m[3].split(',').map((v) => v.trim());
      values.forEach((v) => checkValue(v, part));
      reqs.push({ key: checkKey(m[1], part), op: m[2] as 'in' | 'notin', values });
    } else if ((m = part.match(/^([^\s=!<>(),]+)\s*(==|=|!=)\s*([^\s=!<>(),]*)$/))) {
      const key = checkKey(m[1], part);
      const value = checkValue(m[3], part);
      reqs.push({ key, op: m[2] === '!=' ? 'notin' : 'in', values: [value] });
    } else if ((m = part.match(/^([^\s=!<>(),]+)\s*(>|<)\s*(-?\d+)$/))) {
      reqs.push({ key: checkKey(m[1], part), op: m[2] === '>' ? 'gt' : 'lt', value: Number(m[3]) });
    } else if ((m = part.match(/^([^\s=!<>(),]+)$/))) {
      reqs.push({ key: checkKey(m[1], part), op: 'exists' });
    } else {
      throw bad(part, 'expected one of: =, ==, !=, in, notin, !key, key');
    }
  }
  return reqs;
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists': return has;
      case '!exists': return !has;
      case 'in': return has && r.values.includes(l[r.key]);
      case 'notin': return !has || !r.values.includes(l[r.key]);
      case 'gt': return has && /^-?\d+$/.test(l[r.key]) && Number(l[r.key]) > r.value;
      case 'lt': return has && /^-?\d+$/.test(l[r.key]) && Number(l[r.key]) < r.value;
    }
  });
}

export interface FieldRequirement { field: string; op: '=' | '!='; value: string }

/** Fields every kind supports; kinds add theirs through `ResourceType.fieldSelectors`. */
export const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];

export function parseFieldSelector(selector: string | undefined, allowed: string[]): FieldRequirement[] {
  if (!selector || !selector.trim()) return [];
  const out: FieldRequirement[] = [];
  for (const part of selector.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = part.match(/^([A-Za-z0-9_.\-/]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw new StoreError(400, 'BadRequest', `invalid field selector: '${part}'`);
    if (!allowed.includes(m[1])) {
      throw new StoreError(400, 'BadRequest', `field label not supported: ${m[1]}`);
    }
    out.push({ field: m[1], op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() });
  }
  return out;
}

export function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[seg];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

export function matchesFields(reqs: FieldRequirement[], obj: KubeObject): boolean {
  return reqs.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === '='));
}
