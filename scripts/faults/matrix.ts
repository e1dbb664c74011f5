/**
 * Verdicts of the fault and clean runs and the matrix printed by `npm run faults`.
 * Pure: takes what a run produced, returns rows and text.
 */
import { failedScenarios, firstDetection, type RunOutcome } from './messages.js';

/** What classification needs of a finished Cucumber run. */
export interface RunFacts {
  exitCode: number | null;
  timedOut: boolean;
  wallMs: number;
  outcome?: RunOutcome;
  stderrTail: string;
}

export type FaultVerdict = 'caught' | 'missed' | 'error';

export interface FaultRow {
  fault: string;
  /** The Lattice API version the fault ran at (its sim/FAULTS.md section's). */
  version?: string;
  tags: string;
  verdict: FaultVerdict;
  scenariosRun: number;
  scenario?: string;
  /** Short place of the scenario: `<feature file>:<line>`. */
  where?: string;
  step?: string;
  firstLine?: string;
  /** From the run's start to the end of the failing step. */
  detectedAfterMs?: number;
  /** How long the failing step ran. */
  stepMs?: number;
  /** Whether the failing step is the one FAULTS.md points to (undefined unless caught in a scenario). */
  expectedStep?: boolean;
  wallMs: number;
  /** Why an error is an error. */
  note?: string;
}

function runError(r: RunFacts): string | undefined {
  if (r.timedOut) return 'the run hit the harness time limit and was killed';
  if (!r.outcome || r.outcome.startedAtMs === undefined) return `Cucumber never started a run (exit ${r.exitCode}): ${r.stderrTail.split('\n').at(-1) ?? ''}`.trim();
  if (r.outcome.scenarios.length === 0) return 'no scenario matched the tags';
  return undefined;
}

/** `independence:20` for `../../features/independence.feature` line 20. */
export function scenarioPlace(uri: string, line: number): string {
  return `${(uri.split('/').at(-1) ?? uri).replace(/\.feature$/, '')}:${line}`;
}

export function classifyFaultRun(fault: string, tags: string, expectStep: string, r: RunFacts): FaultRow {
  const base = { fault, tags, wallMs: r.wallMs, scenariosRun: r.outcome?.scenarios.length ?? 0 };
  const d = r.outcome ? firstDetection(r.outcome) : undefined;
  if (d) {
    return {
      ...base, verdict: 'caught', step: d.step, firstLine: d.firstLine, detectedAfterMs: d.sinceRunStartMs,
      ...(d.scenario ? { scenario: d.scenario.name, where: scenarioPlace(d.scenario.uri, d.scenario.line), expectedStep: new RegExp(expectStep, 'i').test(d.step) } : {}),
      ...(d.stepMs !== undefined ? { stepMs: d.stepMs } : {}),
    };
  }
  const err = runError(r) ?? (r.exitCode !== 0 ? `Cucumber exited ${r.exitCode} but no step or hook failed: ${r.stderrTail.split('\n').at(-1) ?? ''}` : undefined);
  if (err) return { ...base, verdict: 'error', note: err };
  return { ...base, verdict: 'missed' };
}

export type CleanVerdict = 'clean' | 'false alarm' | 'error';

export interface CleanRow {
  label: string;
  seed?: number;
  verdict: CleanVerdict;
  scenariosRun: number;
  passed: number;
  failures: Array<{ scenario: string; step: string; firstLine: string; atMs: number }>;
  wallMs: number;
  note?: string;
}

export function classifyCleanRun(label: string, seed: number | undefined, r: RunFacts): CleanRow {
  const scenarios = r.outcome?.scenarios ?? [];
  const base = { label, ...(seed !== undefined ? { seed } : {}), wallMs: r.wallMs, scenariosRun: scenarios.length, passed: scenarios.filter((s) => s.status === 'PASSED').length };
  const failures = [
    ...failedScenarios(r.outcome ?? { scenarios: [], runHookFailures: [] }).map((s) => ({
      scenario: s.name, step: s.failure?.step ?? '?', firstLine: s.failure?.firstLine ?? '', atMs: s.failure?.sinceRunStartMs ?? 0,
    })),
    ...(r.outcome?.runHookFailures ?? []).map((h) => ({ scenario: '(run)', step: h.hook, firstLine: h.firstLine, atMs: h.sinceRunStartMs })),
  ];
  if (failures.length) return { ...base, verdict: 'false alarm', failures };
  const err = runError(r) ?? (r.exitCode !== 0 ? `Cucumber exited ${r.exitCode} with every scenario passed: ${r.stderrTail.split('\n').at(-1) ?? ''}` : undefined);
  if (err) return { ...base, verdict: 'error', failures, note: err };
  return { ...base, verdict: 'clean', failures };
}

export const seconds = (ms: number | undefined): string => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`);

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A plain-text table: columns padded to their widest cell (cells already truncated by the caller). */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function renderFaultMatrix(rows: readonly FaultRow[], opts: { messageWidth?: number } = {}): string {
  const mw = opts.messageWidth ?? 240;
  const table = renderTable(
    ['FAULT', 'RESULT', 'DETECTED', 'STEP TOOK', 'SCENARIO', 'STEP'],
    rows.map((r) => [
      r.fault,
      r.verdict === 'caught' ? (r.expectedStep === false ? 'caught*' : 'caught') : r.verdict.toUpperCase(),
      r.verdict === 'caught' ? seconds(r.detectedAfterMs) : '-',
      r.verdict === 'caught' ? seconds(r.stepMs) : '-',
      r.verdict === 'caught' ? (r.where ?? '(run)') : r.verdict === 'missed' ? `${r.scenariosRun} passed` : '-',
      r.verdict === 'caught' ? truncate(r.step ?? '', 110)
        : r.verdict === 'missed' ? `[${r.tags}]` : truncate(r.note ?? '', 110),
    ]),
  );
  const messages = rows.filter((r) => r.verdict === 'caught').map((r) => `  ${r.fault}: ${truncate(r.firstLine || '(no message)', mw)}`);
  const out = [table];
  if (messages.length) out.push('', 'First line of each failure:', ...messages);
  if (rows.some((r) => r.expectedStep === false)) out.push('', '* caught, but not by the step sim/FAULTS.md points to: check it is the fault and not an unrelated failure');
  return out.join('\n');
}

export function renderCleanRuns(rows: readonly CleanRow[]): string {
  const lines = [renderTable(
    ['CLEAN RUN', 'RESULT', 'PASSED', 'SEED', 'WALL'],
    rows.map((r) => [r.label, r.verdict === 'clean' ? 'clean' : r.verdict.toUpperCase(), `${r.passed}/${r.scenariosRun}`, r.seed === undefined ? '-' : String(r.seed), seconds(r.wallMs)]),
  )];
  for (const r of rows) {
    for (const f of r.failures) lines.push(`  ${r.label}: ${truncate(`${f.scenario} › ${f.step}: ${f.firstLine}`, 200)}`);
    if (r.note) lines.push(`  ${r.label}: ${r.note}`);
  }
  return lines.join('\n');
}

export interface Tally { caught: number; missed: string[]; errors: string[]; falseAlarms: string[]; cleanErrors: string[] }

export function tally(faults: readonly FaultRow[], clean: readonly CleanRow[]): Tally {
  return {
    caught: faults.filter((r) => r.verdict === 'caught').length,
    missed: faults.filter((r) => r.verdict === 'missed').map((r) => r.fault),
    errors: faults.filter((r) => r.verdict === 'error').map((r) => r.fault),
    falseAlarms: clean.filter((r) => r.verdict === 'false alarm').map((r) => r.label),
    cleanErrors: clean.filter((r) => r.verdict === 'error').map((r) => r.label),
  };
}

/** The run succeeds only when every fault is caught and every clean run passes. */
export function exitCodeOf(t: Tally): number {
  return t.missed.length || t.errors.length || t.falseAlarms.length || t.cleanErrors.length ? 1 : 0;
}
