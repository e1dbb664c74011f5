/**
 * Reads probe output (pod logs) into cycles. A cycle counts only when its start marker, exactly the
 * announced number of distinct, self-consistent result lines and its end marker are all present;
 * anything else (noise, cut lines, restarts, a cut tail) is skipped, so nothing is ever invented.
 * The latest complete cycle per source wins; the position in the log decides, not the cycle number,
 * because a restarted probe counts from 1 again.
 */
import { edgeKey, verdictForHttpCode, type Verdict } from './checks.js';
import { PROBE_PREFIX } from './probe-script.js';

export interface ProbeResult {
  source: string;
  target: string;
  /** Three digits; `000` = no answer. */
  code: string;
  verdict: Verdict;
  cycle: number;
  /** Epoch seconds the cycle started (probe's clock; 0 if it had none). */
  at: number;
}

export interface ProbeCycle {
  source: string;
  cycle: number;
  at: number;
  /** The count the start marker announced. */
  targets: number;
  results: Map<string, ProbeResult>;
  /** Start, all results and end seen, nothing inconsistent. */
  complete: boolean;
  /** Order of the start marker across everything read (later = newer). */
  seq: number;
}

export interface ProbeLogReading {
  /** Every cycle whose start marker was seen, complete or not, in reading order. */
  cycles: ProbeCycle[];
  /** The latest complete cycle per source. */
  latest: Map<string, ProbeCycle>;
  /** Lines that were neither probe lines nor well-formed (noise, cut lines). */
  ignoredLines: number;
  /** Well-formed result lines outside any started cycle (e.g. a tail cut into a cycle). */
  orphanResults: number;
}

const START = /^cycle=(\d{1,9}) start src=(\S+) targets=(\d{1,9}) at=(\d{1,12})$/;
const END = /^cycle=(\d{1,9}) end src=(\S+) targets=(\d{1,9})$/;
const RESULT = /^cycle=(\d{1,9}) src=(\S+) tgt=(\S+) code=(\d{3}) verdict=(ALLOWED|BLOCKED) :: (\S+): (ALLOWED|BLOCKED) \((.*)\) :: (\S+)->(\S+):(ALLOWED|BLOCKED)( \(UNEXPECTED\))?$/;

/** Incremental reader: feed texts in order (one per pod log, or successive chunks of whole lines). */
export class ProbeLogReader {
  private readonly cycles: ProbeCycle[] = [];
  private readonly latest = new Map<string, ProbeCycle>();
  private ignored = 0;
  private orphans = 0;
  private seq = 0;
  private texts = 0;
  private readonly latestText = new Map<string, number>();

  /** Reads one log text; its own open cycles are closed at its end (a text is one pod's stream). */
  read(text: string): this {
    const open = new Map<string, ProbeCycle>();
    this.texts++;
    const lines = text.split('\n');
    // A last line without its newline may be cut anywhere: never trust it.
    if (lines.length > 0 && !text.endsWith('\n')) { if ((lines.pop() ?? '') !== '') this.ignored++; } else lines.pop();
    for (const raw of lines) this.readLine(raw, open);
    return this;
  }

  private readLine(raw: string, open: Map<string, ProbeCycle>): void {
    // Text before the last prefix is another writer's partial line glued on; the rest is whole.
    const at = raw.lastIndexOf(PROBE_PREFIX);
    if (at < 0) { if (raw.trim() !== '') this.ignored++; return; }
    const line = raw.slice(at + PROBE_PREFIX.length).replace(/\r$/, '');
    let m: RegExpExecArray | null;
    if ((m = RESULT.exec(line))) {
      const [, cyc, src, tgt, code, v1, tgt2, v2, note, src3, tgt3, v3, unexpected] = m as unknown as string[];
      const c = open.get(src!);
      const consistent = tgt === tgt2 && tgt === tgt3 && src === src3 && v1 === v2 && v1 === v3 && verdictForHttpCode(code!) === v1
        && (unexpected !== undefined) === note!.startsWith('UNEXPECTED - ');
      if (!consistent) { this.ignored++; if (c) open.delete(src!); return; }
      if (!c) { this.orphans++; return; }
      if (c.cycle !== Number(cyc) || c.results.has(tgt!) || c.results.size >= c.targets) { open.delete(src!); return; }
      c.results.set(tgt!, { source: src!, target: tgt!, code: code!, verdict: v1 as Verdict, cycle: c.cycle, at: c.at });
      return;
    }
    if ((m = START.exec(line))) {
      const [, cyc, src, targets, ts] = m as unknown as string[];
      // A start while another cycle of the source is open: the probe restarted; the old one stays partial.
      const c: ProbeCycle = { source: src!, cycle: Number(cyc), at: Number(ts), targets: Number(targets), results: new Map(), complete: false, seq: this.seq++ };
      open.set(src!, c);
      this.cycles.push(c);
      return;
    }
    if ((m = END.exec(line))) {
      const [, cyc, src, targets] = m as unknown as string[];
      const c = open.get(src!);
      if (!c) return;
      open.delete(src!);
      if (c.cycle === Number(cyc) && c.targets === Number(targets) && c.results.size === c.targets) {
        c.complete = true;
        const prev = this.latest.get(c.source);
        // Within one stream position orders cycles; across streams (pods) the probe clock does.
        if (!prev || this.latestText.get(c.source) === this.texts || c.at >= prev.at) {
          this.latest.set(c.source, c);
          this.latestText.set(c.source, this.texts);
        }
      }
      return;
    }
    this.ignored++;
  }

  reading(): ProbeLogReading {
    return { cycles: this.cycles, latest: new Map(this.latest), ignoredLines: this.ignored, orphanResults: this.orphans };
  }
}

/** Reads one or more log texts (one per pod) in order. */
export function readProbeLogs(texts: string | Iterable<string>): ProbeLogReading {
  const reader = new ProbeLogReader();
  for (const t of typeof texts === 'string' ? [texts] : texts) reader.read(t);
  return reader.reading();
}

/** source->target → the result of its source's latest complete cycle. */
export function latestVerdicts(reading: ProbeLogReading): Map<string, ProbeResult> {
  const out = new Map<string, ProbeResult>();
  for (const c of reading.latest.values()) for (const r of c.results.values()) out.set(edgeKey(r.source, r.target), r);
  return out;
}

/** Whether every source has a complete cycle started at or after `sinceEpochSeconds`. */
export function hasCompleteCycleSince(reading: ProbeLogReading, sources: Iterable<string>, sinceEpochSeconds: number): boolean {
  for (const s of sources) {
    const c = reading.latest.get(s);
    if (!c || c.at < sinceEpochSeconds) return false;
  }
  return true;
}
