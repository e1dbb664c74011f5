import { SuiteError } from '../errors.js';

/** A data table as Cucumber gives it (`table.raw()`): the first row holds the headers. */
export type RawTable = string[][];

/** Reads rows by header name, rejecting missing and unknown columns: one parser per table shape. */
export function readRows<K extends string>(raw: RawTable, columns: readonly K[], what: string): Array<Record<K, string>> {
  const [headers, ...rows] = raw;
  if (!headers) throw new SuiteError(`the ${what} table is empty`);
  const norm = headers.map((h) => h.trim());
  const unknown = norm.filter((h) => !(columns as readonly string[]).includes(h));
  const missing = columns.filter((c) => !norm.includes(c));
  if (unknown.length || missing.length) {
    throw new SuiteError(`the ${what} table has ${unknown.length ? `unknown column(s) ${unknown.join(', ')}` : ''}${unknown.length && missing.length ? ' and ' : ''}${missing.length ? `missing column(s) ${missing.join(', ')}` : ''}`, `its columns are: ${columns.join(' | ')}`);
  }
  return rows.map((r) => Object.fromEntries(columns.map((c) => [c, (r[norm.indexOf(c)] ?? '').trim()])) as Record<K, string>);
}

/** "a, b, c" → ['a','b','c']; blank → []. */
export const listCell = (cell: string): string[] => cell.split(',').map((s) => s.trim()).filter(Boolean);
