/**
 * Whether the Docker tests can run here. Locally a missing engine skips them with the reason;
 * under CI=true it is a failure, never a skip (the CI run must prove the provider on a real engine).
 */
import type Docker from 'dockerode';
import { assertEngineReachable, connectDocker, resolveDockerHost } from '../../support/providers/docker/engine.js';

export type EngineGate = { run: true; docker: Docker; host: string } | { run: false; skip: string } | { run: 'fail'; reason: string };

/** Pure decision, unit-tested: engine reachable ⇒ run; else skip locally, fail in CI. */
export function decideEngineGate(reachable: boolean, env: NodeJS.ProcessEnv): 'run' | 'skip' | 'fail' {
  if (reachable) return 'run';
  return env.CI === 'true' ? 'fail' : 'skip';
}

export async function probeDockerEngine(env: NodeJS.ProcessEnv = process.env): Promise<EngineGate> {
  const host = resolveDockerHost(undefined, env);
  try {
    const docker = connectDocker(host);
    await assertEngineReachable(docker, host, 5_000);
    return { run: true, docker, host };
  } catch (err) {
    const reason = `no Docker engine: ${(err as Error).message}`;
    return decideEngineGate(false, env) === 'fail' ? { run: 'fail', reason } : { run: false, skip: reason };
  }
}

/** The `skip` option for describe/test: a reason string locally, false when the tests must run (or fail). */
export function skipUnlessEngine(gate: EngineGate): string | false {
  return gate.run === false ? gate.skip : false;
}

/** For `before`: the engine, or a failure naming why CI=true could not reach one. */
export function requireEngine(gate: EngineGate): Docker {
  if (gate.run === true) return gate.docker;
  throw new Error(gate.run === 'fail' ? `CI=true requires a Docker engine for these tests; ${gate.reason}` : gate.skip);
}
