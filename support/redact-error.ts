/**
 * Masks secrets in an error before Cucumber renders it into the console and every report: its
 * message and stack, an assertion's actual/expected (which Cucumber diffs), and its causes.
 */
import { inspect } from 'node:util';
import { redact } from './redact.js';

const MAX_DEPTH = 4;

/**
 * A value Cucumber diffs: kept when it holds no secret, else masked through its JSON text so key
 * context (`token: …`) counts. When that cannot round-trip (cycles, BigInt, a masked PEM block's
 * newlines inside a JSON string), the value becomes its masked inspected text.
 */
function maskValue(v: unknown, secrets: string[] | undefined): { value: unknown; changed: boolean } {
  if (typeof v === 'string') { const m = redact(v, secrets); return { value: m, changed: m !== v }; }
  if (v === null || typeof v !== 'object' || v instanceof Error) return { value: v, changed: false };
  try {
    const text = JSON.stringify(v);
    const masked = redact(text, secrets);
    return masked === text ? { value: v, changed: false } : { value: JSON.parse(masked), changed: true };
  } catch {
    const text = inspect(v, { depth: null, breakLength: 100 });
    const masked = redact(text, secrets);
    return masked === text ? { value: v, changed: false } : { value: masked, changed: true };
  }
}

/** Masks the error in place (keeping its class, so chai's diffs still work) and returns it. */
export function maskError<E>(err: E, secrets?: string[], depth = 0): E {
  if (!(err instanceof Error) || depth > MAX_DEPTH) {
    return (typeof err === 'string' ? redact(err, secrets) : err) as E;
  }
  const e = err as Error & { actual?: unknown; expected?: unknown; cause?: unknown; errors?: unknown[] };
  const set = (key: string, value: unknown) => {
    const enumerable = Object.getOwnPropertyDescriptor(e, key)?.enumerable ?? false;
    try { Object.defineProperty(e, key, { value, writable: true, configurable: true, enumerable }); } catch { /* frozen: leave it */ }
  };
  set('message', redact(e.message, secrets));
  if (typeof e.stack === 'string') set('stack', redact(e.stack, secrets));
  for (const key of ['actual', 'expected'] as const) {
    if (!(key in e)) continue;
    const { value, changed } = maskValue(e[key], secrets);
    if (changed) set(key, value);
  }
  if (e.cause !== undefined) set('cause', maskError(e.cause, secrets, depth + 1));
  if (Array.isArray(e.errors)) set('errors', e.errors.map((x) => maskError(x, secrets, depth + 1)));
  return err;
}

/** Wraps a function so whatever it throws or rejects with is masked first. Keeps `this`. */
export function maskingErrors<F extends (...args: never[]) => unknown>(fn: F): F {
  return function (this: unknown, ...args: Parameters<F>) {
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (err) {
      throw maskError(err);
    }
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      return (result as Promise<unknown>).then(undefined, (err: unknown) => { throw maskError(err); });
    }
    return result;
  } as F;
}
