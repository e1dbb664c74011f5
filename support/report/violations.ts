/**
 * Failures that name every violation: a list assertion (chai's deep equal) shows only the first
 * few items of a long list, so a mesh with 11 forbidden connections read as one. These list each
 * item on its own line, security violations first.
 */
import { SuiteError } from '../errors.js';
import { SecurityViolationError } from '../traffic/observe-traffic.js';
import { describeMismatch, summarizeVerification, type MismatchKind, type TrafficVerification } from '../mesh/index.js';

const ORDER: Record<MismatchKind, number> = { 'security-violation': 0, 'availability-failure': 1, missing: 2 };

/** Throws unless `problems` is empty; the message lists all of them. */
export function assertNoProblems(problems: readonly string[], what: string): void {
  if (problems.length === 0) return;
  // An item of several lines (a check's own listing) keeps its lines under its dash.
  throw new SuiteError(`${what}: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p.split('\n').join('\n    ')}`).join('\n')}`);
}

/** Throws unless the verification passed; the message lists every mismatch (the truth table is attached by the caller). */
export function assertEveryConnectionAsAgreed(v: TrafficVerification, title: string): void {
  if (v.passed) return;
  const sorted = [...v.mismatches].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  const why = v.counts.checks === 0 ? ' (no checks planned: nothing was proven)' : '';
  throw new SuiteError(`${title}: ${summarizeVerification(v)}${why}${sorted.length ? `\n${sorted.map((m) => `  - ${describeMismatch(m)}`).join('\n')}` : ''}`);
}

/**
 * Passes a traffic wait's result through; when it ends on a security violation, first hands the
 * truth table as read at that moment to `attach`, so the failure's evidence is in the report.
 */
export async function attachingTruthTableOnViolation<T>(wait: Promise<T>, attach: (v: TrafficVerification) => void): Promise<T> {
  try { return await wait; } catch (err) {
    if (err instanceof SecurityViolationError && err.verification) attach(err.verification);
    throw err;
  }
}
