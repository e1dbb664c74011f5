import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { withRetry, type ClusterClient } from '../kube/index.js';
import {
  FailClosedMonitor, describeMismatch, edgeKey, hasCompleteCycleSince, readProbeLogs, summarizeVerification, verifyTraffic,
  type MeshCheck,
} from '../mesh/index.js';
import { SuiteError, WaitAbortedError, WaitTimeoutError } from '../errors.js';
import { readServiceLogs } from '../workloads/pod-logs.js';
import { serviceSpellingOf } from '../workloads/run-services.js';
import type { ResourceEntry } from '../mesh/index.js';
import type { ServiceSpelling } from '../versions/service-spelling.js';
import { pauseUnlessAborted } from '../timers.js';
import { cyclesSince, SecurityViolationError } from './observe-traffic.js';
import type { MeshUnderTest } from './mesh-under-test.js';

interface LatticeServiceObj { metadata: { name: string }; status?: { phase?: string; message?: string } }

export interface WithdrawInput {
  client: ClusterClient;
  /** The mesh as deployed, and as it must behave once the change is compiled. */
  before: MeshUnderTest;
  after: MeshUnderTest;
  service: string;
  resourceKey: string;
  /** The new declaration (the suite's model); null removes it. */
  newEntry: unknown;
  /** How the Lattice version spells the change (where `resources` lives, wildcard keys); the current run's when unset. */
  spelling?: ServiceSpelling;
  tailLines: number;
  wait: { timeoutMs: number; intervalMs: number };
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** Checks whose verdict is the same before and after: these must hold throughout the change. */
function unchangedChecks(before: readonly MeshCheck[], after: readonly MeshCheck[]): MeshCheck[] {
  const old = new Map(before.map((c) => [edgeKey(c.source, c.target), c.expected]));
  return after.filter((c) => old.get(edgeKey(c.source, c.target)) === c.expected);
}

/**
 * Changes one declaration of a LatticeService and waits until its effect shows: every
 * source has logged a complete probe cycle that started after the change, and the latest ones give
 * the new truth table. Lattice 1236706e never writes LatticeService `status.observedGeneration`
 * (lattice-facts §0.1), so the compiled traffic is the only evidence that the change took.
 * While the change propagates, the changed connections may show either verdict; a connection the
 * agreements forbid both before and after, seen allowed, fails at once. Returns when the new truth
 * table was first seen: later cycles must keep showing it.
 */
export async function withdrawAndAwaitNewTraffic(input: WithdrawInput): Promise<Date> {
  const { client, after, service } = input;
  const ns = after.declarations.namespace;
  await withRetry(`PATCH latticeservices/${service}`, () => client.custom.patchNamespacedCustomObject({
    group: 'lattice.dev', version: 'v1alpha1', namespace: ns, plural: 'latticeservices', name: service,
    body: (input.spelling ?? serviceSpellingOf()).resourcePatch(input.resourceKey, input.newEntry as ResourceEntry | null),
  }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)));
  const changedAt = new Date();
  input.log(`${ns}/${service}: resources.${input.resourceKey} ${input.newEntry === null ? 'removed' : `now ${JSON.stringify(input.newEntry)}`} at ${changedAt.toISOString()}`);
  // Probes stamp cycles in whole seconds: only one started in a later second surely follows the change.
  const since = Math.floor(changedAt.getTime() / 1000) + 1;
  const monitor = new FailClosedMonitor(unchangedChecks(input.before.checks, after.checks));
  const resource = `the change to LatticeService ${ns}/${service} on ${client.name}`;
  const condition = 'shown in traffic (complete probe cycles started after it give the new truth table)';
  const deadline = Date.now() + input.wait.timeoutMs;
  let last = 'no log read yet';
  for (;;) {
    if (input.signal?.aborted) throw new WaitAbortedError(`wait for ${resource} was cancelled; last seen: ${last}`);
    await failIfServiceFailed(client, ns, service);
    const reading = cyclesSince(readProbeLogs(await readServiceLogs(client, ns, after.sources, input.tailLines)), since);
    const leaks = monitor.observe(reading);
    if (leaks.length) throw new SecurityViolationError(leaks);
    if (hasCompleteCycleSince(reading, after.sources, since)) {
      const v = verifyTraffic(after.checks, reading);
      if (v.passed) {
        input.log(`the new truth table shows in every source's latest cycle after the change (${reading.cycles.length} cycles read)`);
        return new Date();
      }
      last = `${summarizeVerification(v)}; ${v.mismatches.slice(0, 3).map(describeMismatch).join('; ')}`;
    } else {
      const waiting = after.sources.filter((s) => !reading.latest.has(s));
      last = `${after.sources.length - waiting.length}/${after.sources.length} sources with a complete cycle after the change; waiting for ${waiting.slice(0, 5).join(', ')}`;
    }
    if (Date.now() >= deadline) throw new WaitTimeoutError(resource, condition, last, input.wait.timeoutMs);
    // Pod logs cannot be watched through the API without following each stream; poll them.
    await pauseUnlessAborted(input.wait.intervalMs, input.signal);
  }
}

/** Lattice writes phase Failed (with a message) when it refuses a declaration: no traffic will follow. */
async function failIfServiceFailed(client: ClusterClient, ns: string, service: string): Promise<void> {
  const s = await withRetry(`GET latticeservices/${service}`, () => client.custom.getNamespacedCustomObject({
    group: 'lattice.dev', version: 'v1alpha1', namespace: ns, plural: 'latticeservices', name: service,
  })) as LatticeServiceObj;
  if (s.status?.phase === 'Failed') {
    throw new SuiteError(`LatticeService ${ns}/${service} on ${client.name} is Failed after the change: ${s.status.message ?? 'no message'}`, 'check the changed declaration');
  }
}
