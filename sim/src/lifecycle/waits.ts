/** Waiting on a store's state through its watch, with a timeout naming what was awaited. */
import type { KubeObject, ObjectStore } from '../apiserver/types.js';

export class LifecycleTimeoutError extends Error {}

export interface WaitInput {
  store: ObjectStore;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** Passes with the object (undefined when absent). */
  until: (o: KubeObject | undefined) => boolean;
  /** Stops early with this error message when it returns one. */
  failIf?: (o: KubeObject | undefined) => string | undefined;
  what: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

const describe = (o: KubeObject | undefined) =>
  o ? `phase ${o.status?.phase ?? '(none)'}${o.metadata.deletionTimestamp ? ', deleting' : ''}` : 'absent';

export function waitForObject(w: WaitInput): Promise<KubeObject | undefined> {
  return new Promise((resolve, reject) => {
    let last: KubeObject | undefined;
    let done = false;
    const finish = (err?: Error, o?: KubeObject) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unwatch();
      w.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err); else resolve(o);
    };
    const check = () => {
      last = w.store.get(w.apiVersion, w.kind, w.name, w.namespace);
      const failure = w.failIf?.(last);
      if (failure) finish(new Error(failure));
      else if (w.until(last)) finish(undefined, last);
    };
    const onAbort = () => finish(new Error(`aborted while waiting for ${w.kind} ${w.name} to ${w.what}`));
    const timer = setTimeout(() => finish(new LifecycleTimeoutError(
      `timed out after ${Math.round(w.timeoutMs / 1000)}s waiting for ${w.kind} ${w.namespace ? w.namespace + '/' : ''}${w.name} to ${w.what}; last seen: ${describe(last)}`)), w.timeoutMs);
    w.signal?.addEventListener('abort', onAbort, { once: true });
    const unwatch = w.store.watch(w.apiVersion, w.kind, { namespace: w.namespace, fieldSelector: `metadata.name=${w.name}` }, () => check());
    check();
  });
}
