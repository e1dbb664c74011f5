/**
 * Waiting until a cluster has no containers left. Follows the engine's `destroy` events and
 * re-lists on each; a slow poll covers a dropped event stream.
 */
import type Docker from 'dockerode';
import { WaitTimeoutError } from '../../errors.js';
import type { ClusterContainer } from './cluster-containers.js';

export interface WaitForContainersGoneInput {
  /** Names the thing waited on in errors, e.g. `containers of cluster e2e-workload`. */
  resource: string;
  list: () => Promise<ClusterContainer[]>;
  timeoutMs: number;
  intervalMs: number;
}

export async function waitForContainersGone(docker: Docker, input: WaitForContainersGoneInput): Promise<void> {
  const abort = new AbortController();
  let lastSeen = 'not listed yet';
  let events: NodeJS.ReadableStream | undefined;
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let checking = false; let again = false;
      const check = async (): Promise<void> => {
        if (checking) { again = true; return; }
        checking = true;
        try {
          do {
            again = false;
            const left = await input.list();
            lastSeen = left.length === 0 ? 'none' : left.map((c) => `${c.name} (${c.state})`).join(', ');
            if (left.length === 0) { resolve(); return; }
          } while (again);
        } catch (err) {
          lastSeen = `listing failed: ${(err as Error).message.split('\n')[0]}`;
        } finally {
          checking = false;
        }
      };
      timer = setTimeout(() => reject(new WaitTimeoutError(input.resource, 'gone', lastSeen, input.timeoutMs)), input.timeoutMs);
      poll = setInterval(() => void check(), input.intervalMs);
      docker.getEvents({ filters: { type: ['container'], event: ['destroy'] }, abortSignal: abort.signal })
        .then((stream) => {
          events = stream;
          stream.on('data', () => void check());
          stream.on('error', () => { /* the poll carries on */ });
          void check();
        })
        .catch(() => void check());
      void check();
    });
  } finally {
    clearTimeout(timer); clearInterval(poll);
    abort.abort();
    (events as unknown as { destroy?: () => void } | undefined)?.destroy?.();
  }
}
