import {
  FailClosedMonitor, describeViolation, hasCompleteCycleSince, readProbeLogs, verifyTraffic,
  type FailClosedViolation, type ProbeLogReading, type TrafficVerification,
} from '../mesh/index.js';
import type { ClusterClient } from '../kube/index.js';
import { SuiteError, WaitAbortedError, WaitTimeoutError } from '../errors.js';
import { readServiceLogs } from '../workloads/pod-logs.js';
import type { MeshUnderTest } from './mesh-under-test.js';
import { pauseUnlessAborted } from '../timers.js';

/**
 * A connection the agreements forbid was seen allowed: a security failure, reported at once, naming
 * every forbidden connection seen. `verification` is the truth table as read at that moment.
 */
export class SecurityViolationError extends SuiteError {
  constructor(readonly violations: FailClosedViolation[], readonly verification?: TrafficVerification) {
    super(`${violations.length} forbidden connection(s) got through:\n${violations.map((v) => `  - ${describeViolation(v)}`).join('\n')}`);
  }
}

/** Only the cycles that started at or after `since` (epoch seconds): earlier ones predate readiness. */
export function cyclesSince(reading: ProbeLogReading, since: number): ProbeLogReading {
  const cycles = reading.cycles.filter((c) => c.at >= since);
  const latest = new Map([...reading.latest].filter(([, c]) => c.at >= since));
  return { ...reading, cycles, latest };
}

export interface ObserveTrafficInput {
  client: ClusterClient;
  mesh: MeshUnderTest;
  /** Results of cycles started before this moment do not count. */
  since: Date;
  tailLines: number;
  wait: { timeoutMs: number; intervalMs: number };
  log: (line: string) => void;
  /** Ends the wait early (the run was interrupted). */
  signal?: AbortSignal;
}

/**
 * Reads the probes' logs until every source has logged a complete cycle that started after
 * `since`, then verifies the latest cycles against the expectations. A forbidden connection seen
 * allowed on the way fails the wait with a SecurityViolationError as soon as every source has
 * completed a cycle (at most one probe cycle later, or at the deadline), so the error and its
 * truth table name every forbidden connection, not only those of the first reading.
 */
export async function observeTrafficUntilComplete(input: ObserveTrafficInput): Promise<TrafficVerification> {
  const { client, mesh } = input;
  const ns = mesh.declarations.namespace;
  // Probes stamp cycles in whole seconds: only a cycle that started in a later second is surely
  // after `since` (one from the same second may predate the change being waited for).
  const since = Math.floor(input.since.getTime() / 1000) + 1;
  const monitor = new FailClosedMonitor(mesh.checks);
  const deadline = Date.now() + input.wait.timeoutMs;
  let last = 'no log read yet';
  const violations: FailClosedViolation[] = [];
  let lastReading: ProbeLogReading | undefined;
  const violated = () => new SecurityViolationError(violations, lastReading && verifyTraffic(mesh.checks, lastReading));
  for (;;) {
    if (input.signal?.aborted) {
      if (violations.length) throw violated();
      throw new WaitAbortedError(`wait for probe logs in ${ns} on ${client.name} was cancelled; last seen: ${last}`);
    }
    const reading = cyclesSince(readProbeLogs(await readServiceLogs(client, ns, mesh.sources, input.tailLines)), since);
    lastReading = reading;
    violations.push(...monitor.observe(reading));
    const done = hasCompleteCycleSince(reading, mesh.sources, since);
    if (violations.length && (done || Date.now() >= deadline)) throw violated();
    const withCycle = mesh.sources.filter((s) => reading.latest.has(s));
    last = `${withCycle.length}/${mesh.sources.length} sources with a complete cycle since readiness${withCycle.length < mesh.sources.length ? `; waiting for ${mesh.sources.filter((s) => !reading.latest.has(s)).slice(0, 5).join(', ')}` : ''}`;
    if (done) {
      input.log(`every source logged a complete cycle after readiness (${reading.cycles.length} cycles read)`);
      return verifyTraffic(mesh.checks, reading);
    }
    if (Date.now() >= deadline) throw new WaitTimeoutError(`probe logs in ${ns} on ${client.name}`, 'a complete cycle after readiness from every source', last, input.wait.timeoutMs);
    // Pod logs cannot be watched through the API without following each stream; poll them.
    await pauseUnlessAborted(input.wait.intervalMs, input.signal);
  }
}
