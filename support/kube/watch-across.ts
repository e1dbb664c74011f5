/**
 * Watches one object across an action that may make its API go away: the watch is open (the server
 * answered it) before the action runs, and the verdict comes from the versions the watch delivered.
 * Once the condition was seen the API may go; if it goes first, the wait fails naming that.
 */
import { WaitAbortedError, WaitTimeoutError } from '../errors.js';
import type { ClusterClient } from './clients.js';
import { getJson } from './raw-request.js';
import { describeApiError, toKubeApiError } from './retry.js';
import { startWatch, type WatchHandle } from './watch-stream.js';
import type { KubeObject } from './wait-for.js';

export interface WatchAcrossInput<T extends KubeObject> {
  client: ClusterClient;
  /** Collection path, e.g. `/apis/lattice.dev/v1alpha1/latticeclusters`. */
  path: string;
  name: string;
  /** For messages, e.g. `LatticeCluster e2e-workload on its own API`. */
  resource: string;
  /** For messages, e.g. `saying its deletion is blocked`. */
  conditionText: string;
  timeoutMs: number;
  signal?: AbortSignal;
  condition: (obj: T) => boolean;
  /** A reason to give up at once. */
  failIf?: (obj: T) => string | undefined;
  describe: (obj: T | undefined) => string;
  onChange?: (obj: T) => void;
}

interface KubeList<T> { metadata?: { resourceVersion?: string }; items?: T[] }

/** How often a watch that ended is reopened before the API counts as gone (a clean server-side close is routine). */
const REOPENS_BEFORE_GONE = 2;

/** Runs `action` once a watch on the object is open; resolves with the first version meeting the condition. */
export async function watchAcross<T extends KubeObject>(input: WatchAcrossInput<T>, action: () => Promise<void>): Promise<T> {
  const { client, path, name, resource, conditionText } = input;
  const stop = new AbortController();
  const cancel = () => stop.abort();
  input.signal?.addEventListener('abort', cancel, { once: true });
  const fieldSelector = `metadata.name=${name}`;
  let last: T | undefined;
  let rv: string | undefined;
  let watch: WatchHandle | undefined;
  let settled = false;
  let watchError: string | undefined;
  let acting: Promise<void> | undefined;
  let resolveOutcome: (v: T) => void = () => {};
  let rejectOutcome: (e: Error) => void = () => {};
  const outcome = new Promise<T>((res, rej) => { resolveOutcome = res; rejectOutcome = rej; });
  const lastSeen = () => input.describe(last);
  const finish = (result: { obj: T } | { err: Error }) => {
    if (settled) return;
    settled = true;
    if ('obj' in result) resolveOutcome(result.obj); else rejectOutcome(result.err);
  };
  const see = (obj: T) => {
    last = obj;
    if (obj.metadata?.resourceVersion) rv = obj.metadata.resourceVersion;
    input.onChange?.(obj);
    const reason = input.failIf?.(obj);
    if (reason) return finish({ err: new WaitAbortedError(`${resource} can no longer become ${conditionText}: ${reason}`) });
    if (input.condition(obj)) finish({ obj });
  };
  const timer = setTimeout(() => finish({ err: new WaitTimeoutError(resource, conditionText, lastSeen(), input.timeoutMs) }), input.timeoutMs);
  stop.signal.addEventListener('abort', () => finish({ err: new WaitAbortedError(`wait for ${resource} to be ${conditionText} was cancelled; last seen: ${lastSeen()}`) }), { once: true });

  /** Opens a watch from `rv`; resolves with whether the server answered it, else the error. */
  const open = async (): Promise<{ ended: Promise<unknown> } | { error: unknown }> => {
    const handleRef: { stop(): void } = { stop: () => {} };
    const handle = startWatch(client, path, { resourceVersion: rv, fieldSelector, allowWatchBookmarks: 'true' }, ({ type, object }) => {
      if (settled) return;
      const o = object as T & { code?: number };
      const newRv = o?.metadata?.resourceVersion;
      if (type === 'ERROR') { watchError = o?.code === 410 ? 'expired' : `ERROR event ${o?.code ?? ''}`.trim(); return handleRef.stop(); }
      if (newRv) rv = newRv;
      if (type === 'BOOKMARK' || o?.metadata?.name !== name) return;
      if (type === 'DELETED') {
        last = undefined;
        return finish({ err: new WaitAbortedError(`${resource} was deleted before it was ${conditionText}`) });
      }
      see(o);
    });
    watch = handle;
    handleRef.stop = () => handle.stop();
    const first = await Promise.race([handle.opened.then(() => 'opened' as const), handle.ended.then((e) => ({ e }))]);
    if (first === 'opened') return { ended: handle.ended };
    handle.stop();
    return { error: first.e ?? new Error('the watch closed before the server answered it') };
  };

  /** Reads the object afresh (start, or a watch whose version expired); the watch continues from the list's version. */
  const read = async (): Promise<void> => {
    const list = await getJson<KubeList<T>>(client, { path, signal: stop.signal, query: { fieldSelector } })
      .catch((err: unknown) => { throw toKubeApiError(`GET ${path}?fieldSelector=${fieldSelector}`, err); });
    rv = list.metadata?.resourceVersion;
    const current = (list.items ?? []).find((o) => o.metadata?.name === name);
    if (!current) throw new WaitAbortedError(`${resource} does not exist, so it cannot become ${conditionText}`);
    const listRv = rv;
    see(current);
    rv = listRv; // watch from the list's version: the object's own may predate it
  };

  const follow = async (): Promise<void> => {
    await read();
    const first = await open();
    if ('error' in first) throw new WaitAbortedError(`could not open a watch on ${resource} before acting: ${describeApiError('watch', first.error)}`);
    if (settled) return;
    acting = action();
    await acting;
    let ended: Promise<unknown> = first.ended;
    let reopens = 0;
    while (!settled) {
      const err = await Promise.race([ended, outcome.then(() => undefined, () => undefined)]);
      if (settled) return;
      const failure = err ?? watchError;
      if (watchError === 'expired') await read().catch(() => undefined);
      watchError = undefined;
      if (settled) return;
      const again = await open();
      if ('ended' in again) { ended = again.ended; if (failure !== undefined) reopens++; else reopens = 0; }
      if ('error' in again || reopens > REOPENS_BEFORE_GONE) {
        const why = 'error' in again ? again.error : failure;
        return finish({ err: new WaitAbortedError(`${resource}'s API went away before it was ${conditionText} (${describeApiError('watch', why)}); last seen: ${lastSeen()}`) });
      }
    }
  };

  try {
    await Promise.race([follow().catch((err: Error) => finish({ err })), outcome.catch(() => undefined)]);
    if (acting) await acting; // the action's own failure comes first
    return await outcome;
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', cancel);
    if (!settled) finish({ err: new Error('internal: watchAcross ended without a verdict') });
    watch?.stop();
    stop.abort();
  }
}
