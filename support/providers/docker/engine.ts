/**
 * Reaching the Docker engine: DOCKER_HOST is honoured the way the docker CLI honours it, and an
 * engine that does not answer becomes one clear line instead of a socket stack trace.
 */
import Docker from 'dockerode';
import { PrerequisiteError } from '../../errors.js';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** Where the engine is, as given (`unix:///...` or `tcp://host:port`). */
export function resolveDockerHost(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? (env.DOCKER_HOST || DEFAULT_DOCKER_HOST);
}

/** A dockerode client for `host`; throws a PrerequisiteError for schemes the suite cannot use. */
export function connectDocker(host: string): Docker {
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  if (host.startsWith('/')) return new Docker({ socketPath: host });
  const m = /^(tcp|http|https):\/\/([^:/]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(host);
  if (m) {
    const protocol = m[1] === 'https' ? 'https' : 'http';
    return new Docker({ host: m[2]!.replace(/^\[|\]$/g, ''), port: Number(m[3] ?? (protocol === 'https' ? 2376 : 2375)), protocol });
  }
  throw new PrerequisiteError(`DOCKER_HOST "${host}" is not a unix:// or tcp:// address`, 'set DOCKER_HOST to e.g. unix:///var/run/docker.sock');
}

/** Pings the engine once; resolves with its API version or throws a one-line PrerequisiteError. */
export async function assertEngineReachable(docker: Docker, host: string, timeoutMs = 5_000): Promise<string> {
  try {
    // The typings lack ping's options; dockerode 5 accepts an abortSignal there.
    await (docker.ping as (opts: { abortSignal: AbortSignal }) => Promise<unknown>).call(docker, { abortSignal: AbortSignal.timeout(timeoutMs) });
    const v = await docker.version();
    return v.ApiVersion;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { statusCode?: number };
    const why = e.code ?? (e.name === 'AbortError' || e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e.statusCode ? `HTTP ${e.statusCode}` : (e.message ?? String(err)).split('\n')[0]);
    throw new PrerequisiteError(
      `the Docker engine at ${host} is unreachable (${why})`,
      'start dockerd (as .ci/run does) or point DOCKER_HOST at a running engine',
    );
  }
}
