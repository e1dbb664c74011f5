/**
 * Waits on API state by watching it: one list for the starting state and its resourceVersion,
 * then a watch from there. A dropped watch resumes from the last resourceVersion seen, a 410 Gone
 * re-reads, and a server that refuses watches (or keeps failing them) is polled every `intervalMs`.
 * Every exit path stops the watch and its socket.
 */
import { WaitAbortedError, WaitTimeoutError } from '../errors.js';
import type { ClusterClient } from './clients.js';
import { getJson } from './raw-request.js';
import { backoffDelay, describeApiError, isTransientApiError, statusCodeOf, toKubeApiError } from './retry.js';
import { startWatch, type WatchEvent } from './watch-stream.js';
import { recordDetection } from './detections.js';

/** The fields the waits read from any Kubernetes object. */
export interface KubeObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
}

interface WaitCommon {
  client: ClusterClient;
  /** Collection path, e.g. `/apis/lattice.dev/v1alpha1/latticeclusters` or `/api/v1/namespaces/x/secrets`. */
  path: string;
  /** For messages, e.g. `LatticeCluster e2e-workload on e2e-mgmt`. */
  resource: string;
  /** For messages, e.g. `phase Ready`. */
  conditionText: string;
  timeoutMs: number;
  /** Polling period when watching is impossible; also caps reconnect backoff. */
  intervalMs: number;
  signal?: AbortSignal;
  /**
   * Called once, when the starting state has been read: from then on the wait misses nothing (its
   * watch starts from that read's resourceVersion), so an action whose effects are brief may go out.
   */
  onFirstRead?: () => void;
}

/** Wait on one named object; it may not exist yet. */
export interface WaitForObjectInput<T extends KubeObject> extends WaitCommon {
  name: string;
  condition: (obj: T) => boolean;
  /** A reason to give up at once (WaitAbortedError), e.g. phase Failed. */
  failIf?: (obj: T) => string | undefined;
  /** The last state as one line; `undefined` = the object does not exist. */
  describe: (obj: T | undefined) => string;
  /** Called once per new version of the object seen. */
  onChange?: (obj: T) => void;
}

/** Wait on the objects of a collection matching the selectors. */
export interface WaitForListInput<T extends KubeObject> extends WaitCommon {
  name?: undefined;
  labelSelector?: string;
  fieldSelector?: string;
  condition: (items: T[]) => boolean;
  failIf?: (obj: T) => string | undefined;
  describe: (items: T[] | undefined) => string;
  onChange?: (items: T[]) => void;
}

/** Wait until a named object is gone: a 404 or a DELETED event counts, any other error does not. */
export interface WaitForAbsentInput<T extends KubeObject> extends Omit<WaitCommon, 'conditionText'> {
  name: string;
  conditionText?: string;
  describe?: (obj: T | undefined) => string;
}

interface KubeList<T> {
  metadata?: { resourceVersion?: string };
  items?: T[];
}

type Outcome<R> = { done: R } | { fail: string };

interface Mode<T extends KubeObject, R> {
  name?: string;
  labelSelector?: string;
  fieldSelector?: string;
  evaluate(view: Map<string, T>): Outcome<R> | undefined;
  describe(view: Map<string, T> | undefined): string;
  onChange?(view: Map<string, T>): void;
}

const keyOf = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const rvOf = (o: unknown): string | undefined => (o as KubeObject | undefined)?.metadata?.resourceVersion;

/** Consecutive watch failures (no event received) after which the wait polls instead. */
const WATCH_FAILURES_BEFORE_POLLING = 3;
/** The server is asked to end each watch after this long; a fresh one starts from the last resourceVersion. */
const WATCH_ROTATE_SECONDS = 300;
/** With no event (bookmarks included) for this long, the connection is presumed dead (e.g. a proxy dropped it silently). */
const WATCH_IDLE_MS = (WATCH_ROTATE_SECONDS + 30) * 1000;
/** A watch that ends cleanly sooner than this without any event counts as a failure. */
const WATCH_MIN_HEALTHY_MS = 1000;

type WatchEnd =
  | { kind: 'outcome' | 'stopped' }
  | { kind: 'expired' }
  | { kind: 'unsupported'; error: string }
  | { kind: 'dropped'; error?: string; healthy: boolean };

async function runWait<T extends KubeObject, R>(common: WaitCommon, mode: Mode<T, R>): Promise<R> {
  const { client, path, resource, conditionText, timeoutMs, intervalMs } = common;
  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; stop.abort(); }, timeoutMs);
  const onCancel = () => stop.abort();
  common.signal?.addEventListener('abort', onCancel, { once: true });

  const view = new Map<string, T>();
  let known = false; // whether `view` reflects a successful read
  let rv: string | undefined;
  let lastError: string | undefined;
  let lastNotified: string | undefined;
  let outcome: Outcome<R> | undefined;
  const selector = () => (mode.name ? `metadata.name=${mode.name}` : mode.fieldSelector);
  const what = mode.name ? `GET ${lastSegment(path)}/${mode.name}` : `LIST ${lastSegment(path)}`;

  const notify = () => {
    if (!mode.onChange) return;
    const signature = [...view.values()].map((o) => `${keyOf(o)}@${rvOf(o) ?? ''}`).sort().join(',');
    if (signature === lastNotified) return;
    lastNotified = signature;
    mode.onChange(view);
  };
  const evaluate = () => {
    if (!known || outcome) return;
    notify();
    outcome = mode.evaluate(view);
  };
  const lastSeen = () => {
    const state = known ? mode.describe(view) : 'not read yet';
    return lastError ? `${state}; last error: ${lastError}` : state;
  };
  const interrupted = (): Error => timedOut
    ? new WaitTimeoutError(resource, conditionText, lastSeen(), timeoutMs)
    : new WaitAbortedError(`wait for ${resource} to be ${conditionText} was cancelled; last seen: ${lastSeen()}`);
  let reads = 0;
  const settle = (): R => {
    if (!outcome) throw new Error('internal: settle without outcome');
    if ('fail' in outcome) throw new WaitAbortedError(`${resource} can no longer become ${conditionText}: ${outcome.fail}`);
    recordDetection({ cluster: client.name, resource, condition: conditionText, ...(rv ? { resourceVersion: rv } : {}), noticedAt: Date.now(), initial: reads <= 1 && !watchedOnce });
    return outcome.done;
  };
  let watchedOnce = false;
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    if (stop.signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() { clearTimeout(t); stop.signal.removeEventListener('abort', done); resolve(); }
    stop.signal.addEventListener('abort', done, { once: true });
  });

  /** Reads the starting state; false on a transient failure (already recorded). */
  const read = async (): Promise<boolean> => {
    try {
      // A named object is read as a one-item list: the list's resourceVersion is current, an
      // object's own may be long compacted, and a watch from it would only get 410 again.
      const list = await getJson<KubeList<T>>(client, {
        path, signal: stop.signal, query: { labelSelector: mode.labelSelector, fieldSelector: selector() },
      });
      reads++;
      view.clear();
      for (const item of list.items ?? []) if (!mode.name || item.metadata?.name === mode.name) view.set(keyOf(item), item);
      rv = list.metadata?.resourceVersion;
      known = true;
      if (reads === 1) common.onFirstRead?.();
      return true;
    } catch (err) {
      if (stop.signal.aborted) return false;
      if (statusCodeOf(err) === 404) {
        // the resource type itself is unknown (e.g. CRD not installed yet): nothing of it exists
        view.clear();
        rv = undefined;
        known = true;
        reads++;
        if (reads === 1) common.onFirstRead?.();
        return true;
      }
      if (!isTransientApiError(err)) throw toKubeApiError(what, err);
      lastError = describeApiError(what, err);
      return false;
    }
  };

  const watchOnce = (): Promise<WatchEnd> => new Promise((resolve) => {
    watchedOnce = true;
    let sawEvents = false;
    let finished = false;
    const startedAt = Date.now();
    const handle = startWatch(client, path, {
      resourceVersion: rv, labelSelector: mode.labelSelector, fieldSelector: selector(),
      allowWatchBookmarks: 'true', timeoutSeconds: String(WATCH_ROTATE_SECONDS),
    }, (event) => onEvent(event));
    let idle = setTimeout(onIdle, WATCH_IDLE_MS);
    const finish = (end: WatchEnd) => {
      if (finished) return;
      finished = true;
      clearTimeout(idle);
      stop.signal.removeEventListener('abort', onStop);
      handle.stop();
      resolve(end);
    };
    const onStop = () => finish({ kind: 'stopped' });
    stop.signal.addEventListener('abort', onStop, { once: true });
    if (stop.signal.aborted) onStop();
    function onIdle() {
      finish({ kind: 'dropped', healthy: true, error: `watch ${lastSegment(path)}: no event for ${WATCH_IDLE_MS / 1000}s, reconnecting` });
    }
    function onEvent({ type, object }: WatchEvent) {
      if (finished) return;
      clearTimeout(idle);
      idle = setTimeout(onIdle, WATCH_IDLE_MS);
      if (type === 'ERROR') {
        const code = (object as { code?: number } | undefined)?.code;
        if (code === 410) return finish({ kind: 'expired' });
        return finish({ kind: 'dropped', healthy: false, error: `watch ${lastSegment(path)}: ERROR event ${code ?? ''}`.trim() });
      }
      sawEvents = true;
      const newRv = rvOf(object);
      if (newRv) rv = newRv;
      if (type === 'BOOKMARK') return;
      const obj = object as T;
      if (mode.name && obj?.metadata?.name !== mode.name) return; // a server that ignored the field selector
      if (type === 'DELETED') view.delete(keyOf(obj));
      else view.set(keyOf(obj), obj);
      lastError = undefined;
      evaluate();
      if (outcome) finish({ kind: 'outcome' });
    }
    handle.ended.then((err) => {
      if (finished) return;
      const status = statusCodeOf(err);
      if (status === 410) return finish({ kind: 'expired' });
      const error = err === undefined ? undefined : describeApiError(`watch ${lastSegment(path)}`, err);
      if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
        return finish({ kind: 'unsupported', error: error ?? `watch ${lastSegment(path)}: ${status}` });
      }
      // a clean close after a while (server-side timeout) is routine; an error or an instant close is not
      const healthy = err === undefined && (sawEvents || Date.now() - startedAt >= WATCH_MIN_HEALTHY_MS);
      finish({ kind: 'dropped', healthy, error });
    });
  });

  try {
    if (stop.signal.aborted) throw interrupted();
    let polling = false;
    let needRead = true;
    let failures = 0; // consecutive failed watches
    let readFailures = 0;
    for (;;) {
      if (needRead || polling) {
        const ok = await read();
        if (stop.signal.aborted) throw interrupted();
        if (ok) {
          lastError = undefined;
          readFailures = 0;
          evaluate();
          if (outcome) return settle();
          needRead = false;
        }
        if (polling || !ok) {
          await sleep(polling ? intervalMs : Math.min(intervalMs, backoffDelay(++readFailures, 100, intervalMs)));
          if (stop.signal.aborted) throw interrupted();
          continue;
        }
      }
      const end = await watchOnce();
      if (outcome) return settle();
      if (stop.signal.aborted) throw interrupted();
      switch (end.kind) {
        case 'expired':
          needRead = true; // our resourceVersion is too old: start over from a fresh read
          break;
        case 'unsupported':
          lastError = end.error;
          polling = true;
          break;
        case 'dropped':
          if (end.error) lastError = end.error;
          failures = end.healthy ? 0 : failures + 1;
          if (failures >= WATCH_FAILURES_BEFORE_POLLING) { polling = true; break; }
          if (rv === undefined) needRead = true;
          if (failures > 0) await sleep(Math.min(intervalMs, backoffDelay(failures, 100, intervalMs)));
          if (stop.signal.aborted) throw interrupted();
          break;
        default:
          break;
      }
    }
  } finally {
    clearTimeout(timer);
    common.signal?.removeEventListener('abort', onCancel);
    stop.abort(); // ends any request or watch still open
  }
}

function lastSegment(path: string): string {
  return path.split('/').filter(Boolean).pop() ?? path;
}

/** Waits until `condition` holds for the named object (resolves with it) or for the list (resolves with its items). */
export function waitFor<T extends KubeObject>(input: WaitForObjectInput<T>): Promise<T>;
export function waitFor<T extends KubeObject>(input: WaitForListInput<T>): Promise<T[]>;
export function waitFor<T extends KubeObject>(input: WaitForObjectInput<T> | WaitForListInput<T>): Promise<T | T[]> {
  validate(input);
  if (typeof input.name === 'string') {
    const one = input as WaitForObjectInput<T>;
    const first = (view: Map<string, T>): T | undefined => view.values().next().value;
    return runWait<T, T>(one, {
      name: one.name,
      evaluate(view) {
        const obj = first(view);
        if (!obj) return undefined;
        const reason = one.failIf?.(obj);
        if (reason) return { fail: reason };
        return one.condition(obj) ? { done: obj } : undefined;
      },
      describe: (view) => one.describe(view ? first(view) : undefined),
      onChange: one.onChange ? (view) => { const obj = first(view); if (obj) one.onChange?.(obj); } : undefined,
    });
  }
  const many = input as WaitForListInput<T>;
  return runWait<T, T[]>(many, {
    labelSelector: many.labelSelector,
    fieldSelector: many.fieldSelector,
    evaluate(view) {
      const items = [...view.values()];
      for (const item of items) {
        const reason = many.failIf?.(item);
        if (reason) return { fail: `${item.metadata?.name ?? '?'}: ${reason}` };
      }
      return many.condition(items) ? { done: items } : undefined;
    },
    describe: (view) => many.describe(view ? [...view.values()] : undefined),
    onChange: many.onChange ? (view) => many.onChange?.([...view.values()]) : undefined,
  });
}

/** Waits until the named object no longer exists. */
export function waitForAbsent<T extends KubeObject>(input: WaitForAbsentInput<T>): Promise<void> {
  const conditionText = input.conditionText ?? 'gone';
  validate({ ...input, conditionText });
  const describe = input.describe ?? ((obj: T | undefined) => obj ? `present (resourceVersion ${rvOf(obj) ?? '?'})` : 'gone');
  return runWait<T, void>({ ...input, conditionText }, {
    name: input.name,
    evaluate: (view) => (view.size === 0 ? { done: undefined } : undefined),
    describe: (view) => describe(view ? view.values().next().value : undefined),
  });
}

function validate(input: WaitCommon & { name?: string }): void {
  const fn = 'waitFor';
  if (!input.path?.startsWith('/')) throw new TypeError(`${fn}: path must be an API path starting with "/", got ${JSON.stringify(input.path)}`);
  if (!(input.timeoutMs > 0)) throw new TypeError(`${fn}: timeoutMs must be > 0 for ${input.resource}`);
  if (!(input.intervalMs > 0)) throw new TypeError(`${fn}: intervalMs must be > 0 for ${input.resource}`);
  if (input.name !== undefined && !input.name) throw new TypeError(`${fn}: name must not be empty for ${input.resource}`);
}
