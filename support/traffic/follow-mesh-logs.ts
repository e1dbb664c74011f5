/**
 * Follows every probe's log of a mesh from before a disruptive change (a node roll evicts pods and
 * their logs with them), and says how the following went for the report.
 */
import type { ClusterClient } from '../kube/index.js';
import { followServiceLogs, type FollowerStats, type ServiceLogFollower } from '../workloads/log-follower.js';
import type { MeshUnderTest } from './mesh-under-test.js';

export interface FollowMeshLogsInput {
  client: ClusterClient;
  mesh: MeshUnderTest;
  /** The wait the change is observed under: the streams must be open within its timeout. */
  wait: { timeoutMs: number; intervalMs: number };
  signal?: AbortSignal;
}

/** Resolves once every running probe's log is open; the caller stops the follower. */
export async function followMeshLogs(input: FollowMeshLogsInput): Promise<ServiceLogFollower> {
  const followed = followServiceLogs(input.client, {
    namespace: input.mesh.declarations.namespace, services: input.mesh.sources, intervalMs: input.wait.intervalMs,
    // Outlives the roll (the nodes' wait, then the wait for fresh cycles); stop() ends it sooner.
    lifetimeMs: 2 * input.wait.timeoutMs + 60_000,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  try {
    await followed.ready(input.wait.timeoutMs);
  } catch (err) {
    followed.stop();
    throw err;
  }
  return followed;
}

export function describeFollowerStats(s: FollowerStats): string {
  const problems = s.problems.length ? `; problems: ${s.problems.slice(0, 3).join('; ')}${s.problems.length > 3 ? ` (+${s.problems.length - 3} more)` : ''}` : '';
  return `logs followed of ${s.pods} pod(s) in ${s.streams} stream(s)${s.watchFailed ? ', pod watch FAILED' : ''}${problems}`;
}
