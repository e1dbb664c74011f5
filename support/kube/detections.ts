/**
 * When each wait noticed the state it waited for, with the resourceVersion it saw: joined with the
 * target's own write times, this gives the suite's detection latency (npm run bench:e2e). Recording
 * is off unless LATTICE_E2E_DETECTIONS_FILE names a file (one JSON line per detection).
 */
import { appendFileSync } from 'node:fs';

export interface Detection {
  /** Cluster whose API was watched (its name as the run knows it). */
  cluster: string;
  resource: string;
  condition: string;
  /** resourceVersion of the change that satisfied the wait. */
  resourceVersion?: string;
  /** Epoch milliseconds the wait noticed it. */
  noticedAt: number;
  /** True when the condition already held at the first read (nothing to detect: not a latency). */
  initial: boolean;
}

export function recordDetection(d: Detection, file = process.env.LATTICE_E2E_DETECTIONS_FILE): void {
  if (!file) return;
  try { appendFileSync(file, `${JSON.stringify(d)}\n`); } catch { /* measuring must never fail a run */ }
}
