/**
 * Masks secrets in an error before Cucumber renders it into the console and every report: its
 * message and stack, an assertion's actual/expected (which Cucumber diffs), and its causes.
 */
import { redact } from './redact.js';

const MAX_DEPTH = 4;

function maskValue(v: unknown, secrets: string[] | undefined): unknown {
  if (typeof v === 'string') return redact(v, secrets);
  if (v === null || typeof v !== 'object' || v instanceof Error) return v;
  try {
    const text = JSON.stringify(v);
    const masked = redact(text, secrets);
    return masked === text ? v : JSON.parse(masked);
  } catch {
    return v; // not JSON (cycles, BigInt): Cucumber prints it via inspect, which the message covers
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
  if ('actual' in e) set('actual', maskValue(e.actual, secrets));
  if ('expected' in e) set('expected', maskValue(e.expected, secrets));
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
