/**
 * The per-run records run-scenarios.ts appends to runs.ndjson (one per Cucumber run: Stryker's
 * clean dry run has no mutant) and the time per mutant they give.
 */

export interface RunRecord {
  area: string;
  mutant: string | null;
  passed: boolean;
  wallMs: number;
  scenario?: string;
  step?: string;
  firstLine?: string;
  stderrTail?: string;
  stopProblem?: string;
}

export function parseRunRecords(ndjson: string): RunRecord[] {
  return ndjson.split('\n').filter((l) => l.trim()).flatMap((l) => {
    try {
      const r = JSON.parse(l) as RunRecord;
      return typeof r.wallMs === 'number' && typeof r.passed === 'boolean' ? [r] : [];
    } catch { return []; }
  });
}

export interface Timing {
  mutantRuns: number;
  meanMutantSeconds?: number;
  meanKilledSeconds?: number;
  meanSurvivedSeconds?: number;
  cleanRunSeconds?: number;
  /** Mutant runs that failed without a failing scenario: the harness, not the mutant, may have failed. */
  unexplainedFailures: RunRecord[];
  stopProblems: string[];
}

const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) / 100) / 10 : undefined);

export function timing(records: readonly RunRecord[]): Timing {
  const mutants = records.filter((r) => r.mutant !== null);
  const clean = records.filter((r) => r.mutant === null);
  return {
    mutantRuns: mutants.length,
    meanMutantSeconds: mean(mutants.map((r) => r.wallMs)),
    meanKilledSeconds: mean(mutants.filter((r) => !r.passed).map((r) => r.wallMs)),
    meanSurvivedSeconds: mean(mutants.filter((r) => r.passed).map((r) => r.wallMs)),
    cleanRunSeconds: mean(clean.map((r) => r.wallMs)),
    unexplainedFailures: mutants.filter((r) => !r.passed && !r.scenario),
    stopProblems: records.flatMap((r) => (r.stopProblem ? [r.stopProblem] : [])),
  };
}

/** Estimated wall time of testing `mutants` mutants (seconds), `concurrency` at a time. */
export function estimateSeconds(mutants: number, meanSeconds: number, concurrency: number): number {
  return Math.round((mutants * meanSeconds) / Math.max(1, concurrency));
}

export function renderTiming(t: Timing): string {
  if (!t.mutantRuns) return 'no mutant was run (all results came from the incremental file)';
  const s = (v?: number) => (v === undefined ? 'n/a' : `${v} s`);
  const lines = [`${t.mutantRuns} mutants run: mean ${s(t.meanMutantSeconds)} per mutant (killed ${s(t.meanKilledSeconds)}, survived ${s(t.meanSurvivedSeconds)}); clean run ${s(t.cleanRunSeconds)}`];
  for (const r of t.unexplainedFailures) lines.push(`warning: mutant ${r.mutant} counted as killed but no scenario failed (${r.stderrTail ?? 'no output'}): check the harness`);
  for (const p of t.stopProblems) lines.push(`warning: ${p}`);
  return lines.join('\n');
}
