/**
 * Cucumber message streams (ndjson) as the source every report can be rebuilt from: a killed run's
 * stream lacks its ending (and maybe half a line), and CI shards' streams are several runs. Both
 * become one complete stream here, which the html and JUnit formatters then render.
 */
import type { Envelope, Timestamp } from '@cucumber/messages';

export interface ParsedStream { envelopes: Envelope[]; /** Lines that were not JSON (a line cut by a kill). */ badLines: number }

export function parseNdjson(text: string): ParsedStream {
  const envelopes: Envelope[] = [];
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try { envelopes.push(JSON.parse(line) as Envelope); } catch { badLines++; }
  }
  return { envelopes, badLines };
}

const ms = (t: Timestamp | undefined): number => (t ? t.seconds * 1000 + t.nanos / 1e6 : 0);
const stamp = (n: number): Timestamp => ({ seconds: Math.floor(n / 1000), nanos: Math.round((n % 1000) * 1e6) });

function lastTimestamp(envs: Envelope[]): number {
  let last = 0;
  for (const e of envs) {
    const body = Object.values(e)[0] as { timestamp?: Timestamp } | undefined;
    if (body?.timestamp) last = Math.max(last, ms(body.timestamp));
  }
  return last;
}

/**
 * Ends a stream Cucumber did not finish (the run was killed): every started scenario gets its end
 * and the run its end, marked unsuccessful. A finished stream is returned as it is.
 */
export function completeStream(envs: Envelope[]): { envelopes: Envelope[]; completed: boolean } {
  if (envs.some((e) => e.testRunFinished)) return { envelopes: envs, completed: false };
  const at = stamp(lastTimestamp(envs));
  const open = new Set<string>();
  for (const e of envs) {
    if (e.testCaseStarted) open.add(e.testCaseStarted.id);
    if (e.testCaseFinished) open.delete(e.testCaseFinished.testCaseStartedId);
  }
  const runStarted = envs.find((e) => e.testRunStarted)?.testRunStarted;
  const tail: Envelope[] = [...open].map((id) => ({ testCaseFinished: { testCaseStartedId: id, timestamp: at, willBeRetried: false } }) as Envelope);
  tail.push({ testRunFinished: { success: false, timestamp: at, message: 'the run was killed before it ended; rebuilt from its messages', ...(runStarted?.id ? { testRunStartedId: runStarted.id } : {}) } } as Envelope);
  return { envelopes: [...envs, ...tail], completed: true };
}

/**
 * Several runs' streams as one run: the first run's meta and start, every run's documents,
 * definitions and results (ids are unique per run), one end that succeeds only if every run did.
 */
export function mergeStreams(streams: Envelope[][]): Envelope[] {
  const complete = streams.map((s) => completeStream(s).envelopes);
  const out: Envelope[] = [];
  let meta = false;
  let started: Envelope['testRunStarted'];
  let success = true;
  let end = 0;
  for (const s of complete) {
    for (const e of s) {
      if (e.meta) { if (!meta) { out.push(e); meta = true; } continue; }
      if (e.testRunStarted) {
        if (!started || ms(e.testRunStarted.timestamp) < ms(started.timestamp)) started = e.testRunStarted;
        continue;
      }
      if (e.testRunFinished) { success &&= e.testRunFinished.success; end = Math.max(end, ms(e.testRunFinished.timestamp)); continue; }
      out.push(e);
    }
  }
  if (!started) return out;
  // Everything that named its own run's start now names the one start.
  for (const e of out) {
    if (e.testCase && 'testRunStartedId' in e.testCase) (e.testCase as { testRunStartedId?: string }).testRunStartedId = started.id;
    if (e.testRunHookStarted) e.testRunHookStarted.testRunStartedId = started.id!;
  }
  const metaAt = out.findIndex((e) => e.meta) + 1;
  out.splice(metaAt, 0, { testRunStarted: started } as Envelope);
  out.push({ testRunFinished: { success, timestamp: stamp(end), ...(started.id ? { testRunStartedId: started.id } : {}) } } as Envelope);
  return out;
}
