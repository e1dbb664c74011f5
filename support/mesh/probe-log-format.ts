/**
 * The probe script's output lines, produced in TypeScript: for synthetic logs (tests, benchmark)
 * and for reports. A unit test runs the real script under dash/busybox and checks that both agree
 * byte for byte.
 */
import { verdictForHttpCode, type Verdict } from './checks.js';
import { PROBE_PREFIX } from './probe-script.js';

export interface ProbeLineTarget { target: string; expected: Verdict; reason: string }

export function formatCycleStart(source: string, cycle: number, targets: number, at: number): string {
  return `${PROBE_PREFIX}cycle=${cycle} start src=${source} targets=${targets} at=${at}`;
}

export function formatCycleEnd(source: string, cycle: number, targets: number): string {
  return `${PROBE_PREFIX}cycle=${cycle} end src=${source} targets=${targets}`;
}

export function formatResultLine(source: string, cycle: number, t: ProbeLineTarget, code: string): string {
  const v = verdictForHttpCode(code);
  const unexpected = v !== t.expected;
  const note = unexpected ? `UNEXPECTED - ${t.reason}` : t.reason;
  return `${PROBE_PREFIX}cycle=${cycle} src=${source} tgt=${t.target} code=${code} verdict=${v} :: ${t.target}: ${v} (${note}) :: ${source}->${t.target}:${v}${unexpected ? ' (UNEXPECTED)' : ''}`;
}

/** One whole cycle (start, results, end), each line ending in a newline. */
export function formatCycle<T extends ProbeLineTarget>(source: string, cycle: number, at: number, targets: readonly T[], codeOf: (t: T) => string): string {
  const lines = [formatCycleStart(source, cycle, targets.length, at)];
  for (const t of targets) lines.push(formatResultLine(source, cycle, t, codeOf(t)));
  lines.push(formatCycleEnd(source, cycle, targets.length));
  return lines.join('\n') + '\n';
}
