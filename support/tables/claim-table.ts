import { SuiteError } from '../errors.js';
import { readRows, type RawTable } from './table.js';

export interface ExpectedClaimRow { claim: string; size: string; shared: boolean }

/** `| claim | size | shared |` → expected claims. */
export function parseClaimTable(raw: RawTable): ExpectedClaimRow[] {
  return readRows(raw, ['claim', 'size', 'shared'] as const, 'volume claims').map((r) => {
    if (r.shared !== 'yes' && r.shared !== 'no') throw new SuiteError(`shared must be yes or no for claim ${r.claim}, got "${r.shared}"`);
    return { claim: r.claim, size: r.size, shared: r.shared === 'yes' };
  });
}
