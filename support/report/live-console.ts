/**
 * The console of a run, built from Cucumber's messages as they arrive: each scenario, each step
 * when it starts and when it ends (with its duration), the scenario's notes in between (cluster
 * phases, waits), and at the end the failures with their errors and Cucumber's totals lines
 * ("N scenarios (...)", read by scripts/test.mjs). Empty log attachments are not shown.
 */
import type { Envelope, GherkinDocument, Pickle, TestCase, TestStepResult } from '@cucumber/messages';

export interface ConsoleStyle { colour: boolean; tty: boolean }

const STATUS_ORDER = ['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING', 'SKIPPED', 'PASSED', 'UNKNOWN'] as const;
const MARK: Record<string, string> = { PASSED: '✔', FAILED: '✖', SKIPPED: '-', PENDING: '?', UNDEFINED: '?', AMBIGUOUS: '✖', UNKNOWN: '?' };
const COLOUR: Record<string, string> = { PASSED: '32', FAILED: '31', SKIPPED: '36', PENDING: '33', UNDEFINED: '33', AMBIGUOUS: '31', UNKNOWN: '33' };
/** A note longer than this is cut on the console; the report and run.log keep it whole. */
const NOTE_WIDTH = 200;

export function formatSeconds(d: { seconds: number; nanos: number }): string {
  const s = d.seconds + d.nanos / 1e9;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Math.round(s - m * 60).toString().padStart(2, '0')}s`;
}

interface StepInfo { text: string; keyword: string; hook: boolean }
interface CaseState { pickle: Pickle; failures: string[]; worst: string; since: number }

/** Feeds envelopes, returns the text to print for each (possibly empty). */
export class LiveConsole {
  private readonly keywords = new Map<string, string>();
  private readonly features = new Map<string, string>();
  private readonly pickles = new Map<string, Pickle>();
  private readonly testCases = new Map<string, TestCase>();
  private readonly started = new Map<string, CaseState>();
  private readonly steps = new Map<string, StepInfo>();
  private readonly scenarioTotals = new Map<string, number>();
  private readonly stepTotals = new Map<string, number>();
  private readonly failed: Array<{ title: string; lines: string[] }> = [];
  private lastFeature = '';
  /** Whether the line printed last is the start line of a running step (a TTY rewrites it). */
  private openStepLine = false;
  /** Off a terminal, a step's start line waits for its first note: a step without notes is one line. */
  private pendingStart = '';
  private runStartedAt = 0;

  constructor(private readonly style: ConsoleStyle) {}

  private paint(code: string, s: string): string { return this.style.colour ? `\u001b[${code}m${s}\u001b[0m` : s; }

  update(e: Envelope): string {
    if (e.gherkinDocument) { this.learnKeywords(e.gherkinDocument); return ''; }
    if (e.pickle) { this.pickles.set(e.pickle.id, e.pickle); return ''; }
    if (e.testRunStarted) { this.runStartedAt = e.testRunStarted.timestamp.seconds * 1000 + e.testRunStarted.timestamp.nanos / 1e6; return ''; }
    if (e.testCase) { this.testCases.set(e.testCase.id, e.testCase); this.learnSteps(e.testCase); return ''; }
    if (e.testCaseStarted) return this.caseStarted(e.testCaseStarted.id, e.testCaseStarted.testCaseId, e.testCaseStarted.attempt);
    if (e.testStepStarted) return this.stepStarted(e.testStepStarted.testStepId);
    if (e.attachment) return this.attachment(e.attachment.mediaType, e.attachment.body, e.attachment.contentEncoding);
    if (e.testStepFinished) return this.stepFinished(e.testStepFinished.testCaseStartedId, e.testStepFinished.testStepId, e.testStepFinished.testStepResult);
    if (e.testCaseFinished) return this.caseFinished(e.testCaseFinished.testCaseStartedId, e.testCaseFinished.willBeRetried);
    if (e.testRunFinished) {
      const t = e.testRunFinished.timestamp;
      return this.summary(t.seconds * 1000 + t.nanos / 1e6 - this.runStartedAt);
    }
    return '';
  }

  private learnKeywords(doc: GherkinDocument): void {
    const uri = doc.uri ?? '';
    if (doc.feature) this.features.set(uri, `${doc.feature.keyword}: ${doc.feature.name}`);
    const visit = (children: NonNullable<GherkinDocument['feature']>['children']): void => {
      for (const c of children) {
        for (const s of c.background?.steps ?? []) this.keywords.set(s.id, s.keyword.trim());
        for (const s of c.scenario?.steps ?? []) this.keywords.set(s.id, s.keyword.trim());
        if (c.rule) visit(c.rule.children);
      }
    };
    if (doc.feature) visit(doc.feature.children);
  }

  private learnSteps(tc: TestCase): void {
    const pickle = this.pickles.get(tc.pickleId);
    for (const ts of tc.testSteps) {
      if (ts.pickleStepId) {
        const ps = pickle?.steps.find((s) => s.id === ts.pickleStepId);
        this.steps.set(ts.id, { text: ps?.text ?? '?', keyword: this.keywords.get(ps?.astNodeIds[0] ?? '') ?? '*', hook: false });
      } else {
        this.steps.set(ts.id, { text: 'hook', keyword: '', hook: true });
      }
    }
  }

  private line(s: string): string {
    // A step's start line stays on a terminal until something else is printed under it.
    this.openStepLine = false;
    return `${s}\n`;
  }

  private caseStarted(id: string, testCaseId: string, attempt: number): string {
    const tc = this.testCases.get(testCaseId);
    const pickle = tc && this.pickles.get(tc.pickleId);
    if (!pickle) return '';
    this.started.set(id, { pickle, failures: [], worst: 'PASSED', since: Date.now() });
    let out = '';
    const feature = this.features.get(pickle.uri) ?? pickle.uri;
    if (feature !== this.lastFeature) { this.lastFeature = feature; out += this.line(`\n${this.paint('1', feature)}  ${this.paint('90', pickle.uri)}`); }
    out += this.line(`  Scenario: ${pickle.name}${attempt > 0 ? this.paint('33', ` (attempt ${attempt + 1})`) : ''}`);
    return out;
  }

  private stepStarted(stepId: string): string {
    const s = this.steps.get(stepId);
    if (!s || s.hook) return '';
    const start = `    ${this.paint('90', '▶')} ${this.paint('1', s.keyword)} ${s.text}`;
    if (!this.style.tty) { this.pendingStart = start; return ''; }
    const out = this.line(start);
    this.openStepLine = true;
    return out;
  }

  private attachment(mediaType: string, body: string, encoding: string): string {
    if (mediaType !== 'text/x.cucumber.log+plain') return '';
    const text = encoding === 'BASE64' ? Buffer.from(body, 'base64').toString('utf8') : body;
    let out = '';
    for (const raw of text.split('\n')) {
      const l = raw.trimEnd();
      if (!l.trim()) continue;
      if (this.pendingStart) { out += this.line(this.pendingStart); this.pendingStart = ''; }
      out += this.line(`      ${this.paint('90', '│')} ${l.length > NOTE_WIDTH ? `${l.slice(0, NOTE_WIDTH)}…` : l}`);
    }
    return out;
  }

  private stepFinished(caseId: string, stepId: string, r: TestStepResult): string {
    const s = this.steps.get(stepId);
    const c = this.started.get(caseId);
    if (!s || !c) return '';
    if (STATUS_ORDER.indexOf(r.status as typeof STATUS_ORDER[number]) < STATUS_ORDER.indexOf(c.worst as typeof STATUS_ORDER[number])) c.worst = r.status;
    if (!s.hook) this.stepTotals.set(r.status, (this.stepTotals.get(r.status) ?? 0) + 1);
    const error = r.exception?.message ?? r.message;
    if (r.status === 'FAILED' || r.status === 'AMBIGUOUS' || r.status === 'UNDEFINED' || r.status === 'PENDING') {
      c.failures.push(`${s.hook ? 'a hook' : `${s.keyword} ${s.text}`}: ${r.status.toLowerCase()}${error ? `\n${error}` : ''}`);
    }
    if (s.hook && r.status !== 'FAILED') return '';
    this.pendingStart = '';
    const label = s.hook ? 'hook' : `${this.paint('1', s.keyword)} ${s.text}`;
    const result = `    ${this.paint(COLOUR[r.status] ?? '0', MARK[r.status] ?? '?')} ${label} ${this.paint('90', `(${formatSeconds(r.duration)})`)}`;
    // On a terminal the start line of a step with no notes is replaced by its result line.
    const rewrite = this.style.tty && this.openStepLine && !s.hook ? '\u001b[1A\u001b[2K' : '';
    let out = rewrite + this.line(result);
    if (error && r.status !== 'PASSED') out += this.line(indent(error.split('\n').slice(0, 40).join('\n'), 6));
    return out;
  }

  private caseFinished(caseId: string, willBeRetried: boolean): string {
    const c = this.started.get(caseId);
    if (!c) return '';
    this.started.delete(caseId);
    if (willBeRetried) return this.line(this.paint('33', `    ↻ retrying: ${c.pickle.name}`));
    this.scenarioTotals.set(c.worst, (this.scenarioTotals.get(c.worst) ?? 0) + 1);
    if (c.failures.length) this.failed.push({ title: `${c.pickle.name} (${c.pickle.uri})`, lines: c.failures });
    return '';
  }

  private summary(ms: number): string {
    let out = '';
    if (this.failed.length) {
      out += this.line(`\n${this.paint('31', 'Failures:')}`);
      this.failed.forEach((f, i) => {
        out += this.line(`\n${i + 1}) ${f.title}`);
        for (const l of f.lines) out += this.line(indent(l, 3));
      });
    }
    const totals = (m: Map<string, number>, what: string) => {
      const n = [...m.values()].reduce((a, b) => a + b, 0);
      const parts = STATUS_ORDER.filter((s) => m.get(s)).map((s) => this.paint(COLOUR[s]!, `${m.get(s)} ${s.toLowerCase()}`));
      return `${n} ${what}${n === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
    };
    out += this.line(`\n${totals(this.scenarioTotals, 'scenario')}`);
    out += this.line(totals(this.stepTotals, 'step'));
    out += this.line(formatSeconds({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 }));
    return out;
  }
}

function indent(s: string, n: number): string {
  const pad = ' '.repeat(n);
  return s.split('\n').map((l) => pad + l).join('\n');
}
