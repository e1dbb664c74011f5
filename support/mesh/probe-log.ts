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
  /**
   * Every cycle whose start marker was seen, complete or not, in reading order; read with
   * `latestOnly`, just the latest complete ones (memory proportional to the plan, not the log).
   */
  cycles: ProbeCycle[];
  /** False when read with `latestOnly`: `cycles` then lacks partial and older cycles. */
  allCycles: boolean;
  /** The latest complete cycle per source. */
  latest: Map<string, ProbeCycle>;
  /** Lines that were neither probe lines nor well-formed (noise, cut lines). */
  ignoredLines: number;
  /** Well-formed result lines outside any started cycle (e.g. a tail cut into a cycle). */
  orphanResults: number;
}

const START = /^cycle=(\d{1,9}) start src=(\S+) targets=(\d{1,9}) at=(\d{1,12})$/;
const END = /^cycle=(\d{1,9}) end src=(\S+) targets=(\d{1,9})$/;

type ParsedResult =
  | { kind: 'result'; cycle: number; source: string; target: string; code: string; verdict: Verdict }
  | { kind: 'broken'; source?: string };

const isDigit = (ch: number): boolean => ch >= 48 && ch <= 57;

/** A name field: non-empty, no whitespace, ends where `delim` starts. */
function field(t: string, p: number, e: number, delim: string): number {
  // Scan only within the line: a search running on into later lines would make bad logs quadratic.
  let end = p;
  while (end < e && t.charCodeAt(end) > 32) end++;
  return end > p && end + delim.length <= e && t.startsWith(delim, end) ? end : -1;
}

/**
 * Parses t[c, e) as `cycle=N src=S tgt=T code=CCC verdict=V :: T: V (NOTE) :: S->T:V[ (UNEXPECTED)]`
 * by hand (a regex with a dozen groups allocates too much on big logs). Undefined = not a result
 * line at all; `broken` = a result line whose parts disagree or are cut.
 */
function parseResultLine(t: string, c: number, e: number): ParsedResult | undefined {
  if (!t.startsWith('cycle=', c)) return undefined;
  let p = c + 6;
  let cycle = 0;
  const d0 = p;
  while (p < e && isDigit(t.charCodeAt(p))) cycle = cycle * 10 + t.charCodeAt(p++) - 48;
  if (p === d0 || p - d0 > 9 || !t.startsWith(' src=', p)) return undefined;
  p += 5;
  const srcEnd = field(t, p, e, ' tgt=');
  if (srcEnd < 0) return { kind: 'broken' };
  const source = t.slice(p, srcEnd);
  p = srcEnd + 5;
  const tgtEnd = field(t, p, e, ' code=');
  if (tgtEnd < 0) return { kind: 'broken', source };
  const target = t.slice(p, tgtEnd);
  p = tgtEnd + 6;
  if (p + 3 > e || !isDigit(t.charCodeAt(p)) || !isDigit(t.charCodeAt(p + 1)) || !isDigit(t.charCodeAt(p + 2))) return { kind: 'broken', source };
  const code = t.slice(p, p + 3);
  p += 3;
  if (!t.startsWith(' verdict=', p)) return { kind: 'broken', source };
  p += 9;
  const verdict: Verdict | undefined = t.startsWith('ALLOWED', p) ? 'ALLOWED' : t.startsWith('BLOCKED', p) ? 'BLOCKED' : undefined;
  if (!verdict || verdictForHttpCode(code) !== verdict) return { kind: 'broken', source };
  p += 7;
  // The two readable forms must repeat exactly the same target, source and verdict (compared in
  // place: building the expected strings per line would double the garbage on big logs).
  if (!(t.startsWith(' :: ', p) && t.startsWith(target, p + 4) && t.startsWith(': ', p + 4 + target.length)
    && t.startsWith(verdict, p + 6 + target.length) && t.startsWith(' (', p + 13 + target.length))) return { kind: 'broken', source };
  p += 15 + target.length;
  // Tail: `) :: <src>-><tgt>:<verdict>` optionally followed by ` (UNEXPECTED)`.
  const unexpected = e - p >= 13 && t.startsWith(' (UNEXPECTED)', e - 13);
  const tailEnd = unexpected ? e - 13 : e;
  const tailStart = tailEnd - (5 + source.length + 2 + target.length + 1 + 7);
  if (tailStart < p || !(t.startsWith(') :: ', tailStart) && t.startsWith(source, tailStart + 5) && t.startsWith('->', tailStart + 5 + source.length)
    && t.startsWith(target, tailStart + 7 + source.length) && t.charCodeAt(tailStart + 7 + source.length + target.length) === 58 /* : */
    && t.startsWith(verdict, tailEnd - 7))) return { kind: 'broken', source };
  // The note says "UNEXPECTED - " exactly when the tail says "(UNEXPECTED)".
  if ((tailStart - p >= 13 && t.startsWith('UNEXPECTED - ', p)) !== unexpected) return { kind: 'broken', source };
  return { kind: 'result', cycle, source, target, code, verdict };
}

export interface ProbeLogReadOptions {
  /** Keep only the latest complete cycle per source (enough for verification, not for the monitor). */
  latestOnly?: boolean;
}

/** Incremental reader: feed texts in order (one per pod log, or successive chunks of whole lines). */
export class ProbeLogReader {
  private readonly latestOnly: boolean;

  constructor(options: ProbeLogReadOptions = {}) {
    this.latestOnly = options.latestOnly ?? false;
  }

  private readonly cycles: ProbeCycle[] = [];
  private readonly latest = new Map<string, ProbeCycle>();
  private ignored = 0;
  private orphans = 0;
  private seq = 0;
  private texts = 0;
  private readonly latestText = new Map<string, number>();
  private readonly names = new Map<string, string>();

  private intern(s: string): string {
    const known = this.names.get(s);
    if (known !== undefined) return known;
    // Flatten to a string of its own, not a view into the whole log text.
    const own = (' ' + s).slice(1);
    this.names.set(own, own);
    return own;
  }

  /** Reads one log text; its own open cycles are closed at its end (a text is one pod's stream). */
  read(text: string): this {
    const open = new Map<string, ProbeCycle>();
    this.texts++;
    let ls = 0;
    // Next prefix at or after ls; every search starts where the last one ended, so the whole
    // text is scanned once however much noise it holds.
    let next = text.indexOf(PROBE_PREFIX);
    // Walks lines by index (no split): logs of big meshes run to hundreds of thousands of lines.
    for (;;) {
      const nl = text.indexOf('\n', ls);
      // A last line without its newline may be cut anywhere: never trust it.
      if (nl < 0) { if (ls < text.length) this.ignored++; break; }
      const le = text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (next < 0 || next + PROBE_PREFIX.length > le) {
        if (text.slice(ls, le).trim() !== '') this.ignored++;
      } else {
        // Text before the last prefix is another writer's partial line glued on; the rest is whole.
        let at = next;
        for (;;) {
          next = text.indexOf(PROBE_PREFIX, at + 1);
          if (next < 0 || next + PROBE_PREFIX.length > le) break;
          at = next;
        }
        this.readLine(text, at + PROBE_PREFIX.length, le, open);
      }
      ls = nl + 1;
      if (next >= 0 && next < ls) next = text.indexOf(PROBE_PREFIX, ls);
    }
    return this;
  }

  /** Reads text[c, le), the part of a line after its last prefix. */
  private readLine(t: string, c: number, le: number, open: Map<string, ProbeCycle>): void {
    const r = parseResultLine(t, c, le);
    if (r !== undefined) {
      if (r.kind === 'broken') {
        this.ignored++;
        // A mangled line of a running cycle means that cycle cannot be trusted whole.
        if (r.source !== undefined) open.delete(r.source);
        return;
      }
      const cyc = open.get(r.source);
      if (!cyc) { this.orphans++; return; }
      if (cyc.cycle !== r.cycle || cyc.results.has(r.target) || cyc.results.size >= cyc.targets) { open.delete(r.source); return; }
      // Kept results share one string per name and code: slices of the log would each be retained.
      const target = this.intern(r.target);
      cyc.results.set(target, { source: cyc.source, target, code: this.intern(r.code), verdict: r.verdict, cycle: cyc.cycle, at: cyc.at });
      return;
    }
    const line = t.slice(c, le);
    let m: RegExpExecArray | null;
    if ((m = START.exec(line))) {
      const [, cyc, src, targets, ts] = m as unknown as string[];
      // A start while another cycle of the source is open: the probe restarted; the old one stays partial.
      const cy: ProbeCycle = { source: this.intern(src!), cycle: Number(cyc), at: Number(ts), targets: Number(targets), results: new Map(), complete: false, seq: this.seq++ };
      open.set(src!, cy);
      if (!this.latestOnly) this.cycles.push(cy);
      return;
    }
    if ((m = END.exec(line))) {
      const [, cyc, src, targets] = m as unknown as string[];
      const cy = open.get(src!);
      if (!cy) return;
      open.delete(src!);
      if (cy.cycle === Number(cyc) && cy.targets === Number(targets) && cy.results.size === cy.targets) {
        cy.complete = true;
        const prev = this.latest.get(cy.source);
        // Within one stream position orders cycles; across streams (pods) the probe clock does.
        if (!prev || this.latestText.get(cy.source) === this.texts || cy.at >= prev.at) {
          this.latest.set(cy.source, cy);
          this.latestText.set(cy.source, this.texts);
        }
      }
      return;
    }
    this.ignored++;
  }

  reading(): ProbeLogReading {
    const all = !this.latestOnly;
    const cycles = all ? [...this.cycles] : [...this.latest.values()].sort((a, b) => a.seq - b.seq);
    return { cycles, allCycles: all, latest: new Map(this.latest), ignoredLines: this.ignored, orphanResults: this.orphans };
  }
}

/** Reads one or more log texts (one per pod) in order. */
export function readProbeLogs(texts: string | Iterable<string>, options: ProbeLogReadOptions = {}): ProbeLogReading {
  const reader = new ProbeLogReader(options);
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
