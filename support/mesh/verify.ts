/**
 * Compares what the probes saw with what the agreements predict. Every mismatch is classified:
 * a security violation (expected blocked, seen allowed), an availability failure (expected allowed,
 * seen blocked) or missing (no result in the source's latest complete cycle). Linear in checks and
 * results.
 */
import { SuiteError } from '../errors.js';
import { edgeKey, type MeshCheck, type Verdict } from './checks.js';
import type { ProbeLogReading, ProbeResult } from './probe-log.js';

export type MismatchKind = 'security-violation' | 'availability-failure' | 'missing';
export type RowStatus = 'ok' | MismatchKind;

export interface TruthRow {
  check: MeshCheck;
  status: RowStatus;
  /** Verdict seen, absent when missing. */
  actual?: Verdict;
  /** HTTP code seen, absent when missing. */
  code?: string;
  cycle?: number;
}

export interface Mismatch {
  kind: MismatchKind;
  source: string;
  target: string;
  expected: Verdict;
  actual?: Verdict;
  code?: string;
  cycle?: number;
  reason: string;
}

export interface TrafficVerification {
  passed: boolean;
  rows: TruthRow[];
  mismatches: Mismatch[];
  counts: { checks: number; ok: number; securityViolations: number; availabilityFailures: number; missing: number };
  /** Results seen for pairs nobody expected (not failing: the plan decides what is judged). */
  unplannedResults: number;
}

export function verifyTraffic(checks: readonly MeshCheck[], seen: ProbeLogReading | Map<string, ProbeResult>): TrafficVerification {
  // From a reading, look results up per source then target: no key strings built per check.
  const lookup = seen instanceof Map
    ? (c: MeshCheck) => seen.get(edgeKey(c.source, c.target))
    : (c: MeshCheck) => seen.latest.get(c.source)?.results.get(c.target);
  const rows: TruthRow[] = [];
  const mismatches: Mismatch[] = [];
  const counts = { checks: checks.length, ok: 0, securityViolations: 0, availabilityFailures: 0, missing: 0 };
  const matched = new Set<ProbeResult>();
  for (const check of checks) {
    const r = lookup(check);
    if (r) matched.add(r);
    let status: RowStatus;
    if (!r) { status = 'missing'; counts.missing++; }
    else if (r.verdict === check.expected) { status = 'ok'; counts.ok++; }
    else if (r.verdict === 'ALLOWED') { status = 'security-violation'; counts.securityViolations++; }
    else { status = 'availability-failure'; counts.availabilityFailures++; }
    rows.push(r ? { check, status, actual: r.verdict, code: r.code, cycle: r.cycle } : { check, status });
    if (status !== 'ok') {
      mismatches.push(r
        ? { kind: status, source: check.source, target: check.target, expected: check.expected, actual: r.verdict, code: r.code, cycle: r.cycle, reason: check.reason }
        : { kind: status, source: check.source, target: check.target, expected: check.expected, reason: check.reason });
    }
  }
  let total = 0;
  if (seen instanceof Map) total = seen.size;
  else for (const c of seen.latest.values()) total += c.results.size;
  const unplannedResults = total - matched.size;
  // No checks means nothing was proven: never a pass.
  return { passed: checks.length > 0 && mismatches.length === 0, rows, mismatches, counts, unplannedResults };
}

/** One line per mismatch, for error messages. */
export function describeMismatch(m: Mismatch): string {
  const seen = m.actual ? `seen ${m.actual} (HTTP ${m.code}, cycle ${m.cycle})` : 'no result in the latest complete cycle';
  return `${m.kind}: ${m.source} -> ${m.target} expected ${m.expected} (${m.reason}), ${seen}`;
}

export function summarizeVerification(v: TrafficVerification): string {
  const c = v.counts;
  return `${v.passed ? 'PASS' : 'FAIL'}: ${c.ok}/${c.checks} as expected; ${c.securityViolations} security violation(s), ${c.availabilityFailures} availability failure(s), ${c.missing} missing`;
}

/** How many mismatches an error line lists before "and N more". */
const SHOWN_MISMATCHES = 5;

/** Throws one SuiteError line (security violations first) unless every check was seen as expected. */
export function assertTrafficAsExpected(v: TrafficVerification, what = 'traffic'): void {
  if (v.passed) return;
  const order: Record<MismatchKind, number> = { 'security-violation': 0, 'availability-failure': 1, missing: 2 };
  const sorted = [...v.mismatches].sort((a, b) => order[a.kind] - order[b.kind]);
  const shown = sorted.slice(0, SHOWN_MISMATCHES).map(describeMismatch).join('; ');
  const more = sorted.length > SHOWN_MISMATCHES ? ` (and ${sorted.length - SHOWN_MISMATCHES} more)` : '';
  throw new SuiteError(`${what}: ${summarizeVerification(v)}${v.counts.checks === 0 ? ' (no checks planned)' : ''}${shown ? ` — ${shown}${more}` : ''}`);
}
