/**
 * Watches probe output while nodes roll (upgrade scenario, lattice-facts §8): every connection seen
 * ALLOWED that the agreements say must be BLOCKED is a violation, recorded the moment it is read
 * (from any well-formed result line, even of a cycle still in progress); dropped traffic (expected
 * allowed, seen blocked) is tolerated and only counted.
 */
import { SuiteError } from '../errors.js';
import { edgeKey, type MeshCheck } from './checks.js';
import { readProbeLogs, type ProbeLogReading } from './probe-log.js';

export interface FailClosedViolation {
  source: string;
  target: string;
  url: string;
  code: string;
  cycle: number;
  /** When the probe ran the cycle (its clock, epoch seconds). */
  cycleAt: number;
  /** When the monitor read it. */
  observedAt: Date;
  reason: string;
}

export interface FailClosedSummary {
  samples: number;
  /** Distinct probe cycles read (complete or in progress). */
  cycles: number;
  /** Distinct result lines judged. */
  results: number;
  violations: FailClosedViolation[];
  /** Distinct connections that were ever wrongly allowed. */
  violatedConnections: string[];
  /** Results of expected-allowed connections seen blocked (tolerated). */
  drops: number;
  droppedConnections: string[];
  firstSampleAt?: Date;
  lastSampleAt?: Date;
  text: string;
}

export class FailClosedMonitor {
  private readonly expected: Map<string, MeshCheck>;
  private readonly judged = new Set<string>();
  private readonly cyclesSeen = new Set<string>();
  private readonly found: FailClosedViolation[] = [];
  private readonly dropped = new Map<string, number>();
  private samples = 0;
  private first?: Date;
  private last?: Date;

  constructor(checks: readonly MeshCheck[], private readonly onViolation?: (v: FailClosedViolation) => void) {
    this.expected = new Map(checks.map((c) => [edgeKey(c.source, c.target), c]));
  }

  /** Reads one sample (pod log texts, or a reading of all cycles); returns the violations new in it. */
  observe(sample: string | string[] | ProbeLogReading, observedAt: Date = new Date()): FailClosedViolation[] {
    const reading = typeof sample === 'string' || Array.isArray(sample) ? readProbeLogs(sample) : sample;
    // A latest-only reading would hide leaks in partial and older cycles: refuse it rather than pass.
    if (!reading.allCycles) throw new SuiteError('the fail-closed monitor needs every cycle of a sample', 'read the logs without latestOnly');
    this.samples++;
    this.first ??= observedAt;
    this.last = observedAt;
    const fresh: FailClosedViolation[] = [];
    for (const cycle of reading.cycles) {
      const cycleId = `${cycle.source}|${cycle.at}|${cycle.cycle}`;
      this.cyclesSeen.add(cycleId);
      for (const r of cycle.results.values()) {
        const id = `${cycleId}|${r.target}`;
        if (this.judged.has(id)) continue;
        const check = this.expected.get(edgeKey(r.source, r.target));
        if (!check) continue;
        this.judged.add(id);
        if (check.expected === 'BLOCKED' && r.verdict === 'ALLOWED') {
          const v: FailClosedViolation = { source: r.source, target: r.target, url: check.url, code: r.code, cycle: r.cycle, cycleAt: r.at, observedAt, reason: check.reason };
          this.found.push(v);
          fresh.push(v);
          this.onViolation?.(v);
        } else if (check.expected === 'ALLOWED' && r.verdict === 'BLOCKED') {
          const k = edgeKey(r.source, r.target);
          this.dropped.set(k, (this.dropped.get(k) ?? 0) + 1);
        }
      }
    }
    return fresh;
  }

  get violations(): readonly FailClosedViolation[] {
    return this.found;
  }

  /** Throws the first violation's evidence (one line, with the count) if there was any. */
  assertNoViolation(): void {
    const first = this.found[0];
    if (first) throw new SuiteError(`policy failed open: ${describeViolation(first)}${this.found.length > 1 ? ` (and ${this.found.length - 1} more)` : ''}`);
  }

  summary(): FailClosedSummary {
    const violated = [...new Set(this.found.map((v) => edgeKey(v.source, v.target)))];
    const drops = [...this.dropped.values()].reduce((a, b) => a + b, 0);
    const lines = [
      `${this.found.length === 0 ? 'fail-closed held' : 'FAIL-OPEN'}: ${this.samples} sample(s), ${this.cyclesSeen.size} cycle(s), ${this.judged.size} result(s) judged; ${this.found.length} violation(s) on ${violated.length} connection(s); ${drops} drop(s) tolerated on ${this.dropped.size} connection(s)`,
      ...this.found.map(describeViolation),
    ];
    const s: FailClosedSummary = {
      samples: this.samples, cycles: this.cyclesSeen.size, results: this.judged.size,
      violations: [...this.found], violatedConnections: violated, drops, droppedConnections: [...this.dropped.keys()],
      text: lines.join('\n'),
    };
    if (this.first) s.firstSampleAt = this.first;
    if (this.last) s.lastSampleAt = this.last;
    return s;
  }
}

export function describeViolation(v: FailClosedViolation): string {
  return `security violation at ${v.observedAt.toISOString()}: ${v.source} -> ${v.target} (${v.url}) answered HTTP ${v.code} in cycle ${v.cycle} (probe clock ${v.cycleAt}); expected BLOCKED: ${v.reason}`;
}
