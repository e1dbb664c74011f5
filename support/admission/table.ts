/** The admission table: `| spec | Lattice says |`, both columns required, nothing else. */
import { SuiteError } from '../errors.js';

export interface AdmissionRow { spec: string; says: string }

export function parseAdmissionTable(raw: string[][]): AdmissionRow[] {
  const [header, ...rows] = raw;
  const want = ['spec', 'Lattice says'];
  if (!header || header.length !== 2 || header[0].trim() !== want[0] || header[1].trim() !== want[1]) {
    throw new SuiteError(`the admission table's header is | ${(header ?? []).join(' | ')} |`, `write | ${want.join(' | ')} |`);
  }
  if (!rows.length) throw new SuiteError('the admission table has no rows', 'add one row per bad spec');
  return rows.map((r, i) => {
    if (!r[0]?.trim() || !r[1]?.trim()) throw new SuiteError(`row ${i + 1} of the admission table has an empty cell`, 'fill both columns');
    return { spec: r[0].trim(), says: r[1].trim() };
  });
}
