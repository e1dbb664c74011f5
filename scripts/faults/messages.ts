/**
 * Reads a run's Cucumber message stream (`--format message:<file>`, NDJSON) into what the fault
 * matrix and the soak report need: each scenario's status and, for a failed one, the first step
 * (or hook) that failed, the first line of its message and when it failed.
 */

export interface Timestamp { seconds: number; nanos: number }

export interface StepFailure {
  /** `Given the ... ` for a step; `Before hook (hooks.ts:44)` / `After hook (...)` for a hook. */
  step: string;
  status: string;
  /** First non-empty line of the failure message ('' when Cucumber gave none). */
  firstLine: string;
  /** From the run's start (testRunStarted) to the end of the failed step. */
  sinceRunStartMs: number;
  /** From the scenario's start to the end of the failed step. */
  sinceScenarioStartMs: number;
  /** How long the failed step itself ran. */
  stepMs: number;
}

export interface ScenarioOutcome {
  name: string;
  /** Feature file (as Cucumber names it) and the line of the scenario / examples row. */
  uri: string;
  line: number;
  tags: string[];
  /** PASSED, FAILED, SKIPPED, ... (the worst step status). */
  status: string;
  startedAtMs: number;
  durationMs: number;
  failure?: StepFailure;
}

export interface RunHookFailure { hook: string; status: string; firstLine: string; sinceRunStartMs: number }

export interface RunOutcome {
  /** testRunStarted as epoch ms (undefined when the stream has none: Cucumber never started). */
  startedAtMs?: number;
  finishedAtMs?: number;
  success?: boolean;
  scenarios: ScenarioOutcome[];
  /** BeforeAll/AfterAll failures. */
  runHookFailures: RunHookFailure[];
  /** testRunFinished's exception, if any. */
  runError?: string;
}

// Worst first: a scenario's status is the worst of its steps'.
const SEVERITY = ['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING', 'UNKNOWN', 'SKIPPED', 'PASSED'];
const worse = (a: string, b: string) => (SEVERITY.indexOf(a) <= SEVERITY.indexOf(b) ? a : b);
const BAD = new Set(['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING']);

export const toMs = (t: Timestamp): number => t.seconds * 1000 + Math.round(t.nanos / 1e6);

/** First non-empty line, trimmed. */
export function firstLine(text: string | undefined): string {
  return (text ?? '').split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0) ?? '';
}

/* eslint-disable @typescript-eslint/no-explicit-any -- message envelopes are plain JSON */
/** Parses NDJSON text; a torn last line (a run killed mid-write) is ignored, other bad lines throw. */
export function parseEnvelopes(ndjson: string): any[] {
  const lines = ndjson.split('\n').filter((l) => l.trim() !== '');
  const out: any[] = [];
  lines.forEach((l, i) => {
    try { out.push(JSON.parse(l)); } catch (err) {
      if (i === lines.length - 1) return;
      throw new Error(`cucumber messages: line ${i + 1} is not JSON (${(err as Error).message})`);
    }
  });
  return out;
}

const basename = (uri: string) => uri.split('/').at(-1) ?? uri;

export function summarizeMessages(envelopes: readonly any[]): RunOutcome {
  const pickles = new Map<string, any>();
  const testCases = new Map<string, any>();
  const hooks = new Map<string, any>();
  const keywords = new Map<string, string>(); // gherkin step id → keyword
  const cases = new Map<string, { testCase: any; startedAtMs: number; status: string; failure?: StepFailure; finishedAtMs?: number }>();
  const stepStarts = new Map<string, number>(); // `${caseStartedId}/${stepId}` → ms
  const runHooks = new Map<string, { hookId: string; startedAtMs: number }>();
  const out: RunOutcome = { scenarios: [], runHookFailures: [] };
  const order: string[] = [];

  const collectKeywords = (node: any): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(collectKeywords); return; }
    if (typeof node.id === 'string' && typeof node.keyword === 'string' && typeof node.text === 'string') keywords.set(node.id, node.keyword.trim());
    for (const v of Object.values(node)) if (v && typeof v === 'object') collectKeywords(v);
  };
  const sinceStart = (ms: number) => (out.startedAtMs === undefined ? ms : ms - out.startedAtMs);
  const hookName = (hook: any): string => {
    const kind = String(hook?.type ?? '').toUpperCase();
    const label = kind.startsWith('BEFORE_TEST_RUN') ? 'BeforeAll' : kind.startsWith('AFTER_TEST_RUN') ? 'AfterAll'
      : kind.startsWith('BEFORE') ? 'Before' : kind.startsWith('AFTER') ? 'After' : 'hook';
    const ref = hook?.sourceReference;
    const where = ref?.uri ? ` (${basename(ref.uri)}${ref.location?.line ? `:${ref.location.line}` : ''})` : '';
    return `${label} hook${hook?.name ? ` "${hook.name}"` : ''}${where}`;
  };

  for (const e of envelopes) {
    if (e.gherkinDocument) collectKeywords(e.gherkinDocument.feature);
    else if (e.pickle) pickles.set(e.pickle.id, e.pickle);
    else if (e.hook) hooks.set(e.hook.id, e.hook);
    else if (e.testCase) testCases.set(e.testCase.id, e.testCase);
    else if (e.testRunStarted) out.startedAtMs = toMs(e.testRunStarted.timestamp);
    else if (e.testCaseStarted) {
      const tc = testCases.get(e.testCaseStarted.testCaseId);
      if (!tc) continue;
      // A retried attempt replaces the earlier one (the suite forbids retries, but be exact).
      if (!cases.has(e.testCaseStarted.id)) order.push(e.testCaseStarted.id);
      cases.set(e.testCaseStarted.id, { testCase: tc, startedAtMs: toMs(e.testCaseStarted.timestamp), status: 'PASSED' });
    } else if (e.testStepStarted) {
      stepStarts.set(`${e.testStepStarted.testCaseStartedId}/${e.testStepStarted.testStepId}`, toMs(e.testStepStarted.timestamp));
    } else if (e.testStepFinished) {
      const f = e.testStepFinished;
      const c = cases.get(f.testCaseStartedId);
      if (!c) continue;
      const status = String(f.testStepResult?.status ?? 'UNKNOWN');
      c.status = worse(status, c.status);
      if (BAD.has(status) && !c.failure) {
        const step = (c.testCase.testSteps as any[]).find((s) => s.id === f.testStepId);
        const pickle = pickles.get(c.testCase.pickleId);
        let label = 'unknown step';
        if (step?.pickleStepId) {
          const ps = (pickle?.steps as any[] | undefined)?.find((s) => s.id === step.pickleStepId);
          const kw = ps?.astNodeIds?.map((id: string) => keywords.get(id)).find(Boolean) ?? '';
          label = `${kw ? `${kw} ` : ''}${ps?.text ?? '?'}`;
        } else if (step?.hookId) {
          label = hookName(hooks.get(step.hookId));
        }
        const endMs = toMs(f.timestamp);
        const startMs = stepStarts.get(`${f.testCaseStartedId}/${f.testStepId}`) ?? endMs;
        const message = f.testStepResult?.message ?? f.testStepResult?.exception?.message
          ?? (status === 'UNDEFINED' ? 'undefined step' : status === 'PENDING' ? 'pending step' : status === 'AMBIGUOUS' ? 'ambiguous step' : '');
        c.failure = {
          step: label, status, firstLine: firstLine(message),
          sinceRunStartMs: sinceStart(endMs), sinceScenarioStartMs: endMs - c.startedAtMs, stepMs: endMs - startMs,
        };
      }
    } else if (e.testCaseFinished) {
      const c = cases.get(e.testCaseFinished.testCaseStartedId);
      if (c) c.finishedAtMs = toMs(e.testCaseFinished.timestamp);
    } else if (e.testRunHookStarted) {
      runHooks.set(e.testRunHookStarted.id, { hookId: e.testRunHookStarted.hookId, startedAtMs: toMs(e.testRunHookStarted.timestamp) });
    } else if (e.testRunHookFinished) {
      const status = String(e.testRunHookFinished.result?.status ?? 'UNKNOWN');
      if (BAD.has(status)) {
        const h = runHooks.get(e.testRunHookFinished.testRunHookStartedId);
        const r = e.testRunHookFinished.result;
        out.runHookFailures.push({
          hook: hookName(h && hooks.get(h.hookId)), status,
          firstLine: firstLine(r?.message ?? r?.exception?.message), sinceRunStartMs: sinceStart(toMs(e.testRunHookFinished.timestamp)),
        });
      }
    } else if (e.testRunFinished) {
      out.finishedAtMs = toMs(e.testRunFinished.timestamp);
      out.success = e.testRunFinished.success;
      const ex = e.testRunFinished.exception;
      if (ex) out.runError = firstLine(ex.message ?? ex.type);
    }
  }

  for (const id of order) {
    const c = cases.get(id)!;
    const pickle = pickles.get(c.testCase.pickleId);
    out.scenarios.push({
      name: pickle?.name ?? '?', uri: pickle?.uri ?? '?', line: pickle?.location?.line ?? 0,
      tags: (pickle?.tags ?? []).map((t: any) => t.name),
      status: c.status, startedAtMs: c.startedAtMs,
      durationMs: (c.finishedAtMs ?? c.startedAtMs) - c.startedAtMs,
      ...(c.failure ? { failure: c.failure } : {}),
    });
  }
  return out;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Scenarios that did not pass, in run order. */
export function failedScenarios(run: RunOutcome): ScenarioOutcome[] {
  return run.scenarios.filter((s) => BAD.has(s.status));
}

/** The first failure of a run by time: a scenario's failed step, else a run hook's failure. */
export function firstDetection(run: RunOutcome): { scenario?: ScenarioOutcome; step: string; firstLine: string; sinceRunStartMs: number; stepMs?: number } | undefined {
  const failed = failedScenarios(run).filter((s) => s.failure).sort((a, b) => a.failure!.sinceRunStartMs - b.failure!.sinceRunStartMs);
  const s = failed[0];
  if (s) return { scenario: s, step: s.failure!.step, firstLine: s.failure!.firstLine, sinceRunStartMs: s.failure!.sinceRunStartMs, stepMs: s.failure!.stepMs };
  const h = run.runHookFailures[0];
  if (h) return { step: h.hook, firstLine: h.firstLine, sinceRunStartMs: h.sinceRunStartMs };
  return undefined;
}
