/**
 * Transient API failures (network errors, 429, 5xx) are retried with capped exponential backoff;
 * everything else fails at once. Every failure becomes a KubeApiError whose message is one short
 * line (`GET latticeclusters/e2e-workload: 404 NotFound: ...`) without headers or tokens.
 */
import { ApiException } from '@kubernetes/client-node';
import { SuiteError, WaitAbortedError } from '../errors.js';

/** A Kubernetes API call that failed; `code` is the HTTP status when there was one. */
export class KubeApiError extends SuiteError {
  constructor(message: string, readonly code?: number, readonly reason?: string) {
    super(message);
  }
}

export interface RetryOptions {
  /** Total tries including the first (default 5). */
  attempts?: number;
  /** First pause (default 250 ms); doubles per retry up to `maxDelayMs` (default 4000 ms). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** Told about each retry, e.g. to log it. */
  onRetry?: (message: string, attempt: number, delayMs: number) => void;
}

// Socket-level failures worth another try; ENOTFOUND is left out: a wrong host name stays wrong.
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE',
]);

/** The HTTP status carried by an error from client-node (ApiException, Watch) or from this layer. */
export function statusCodeOf(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  if (err instanceof KubeApiError) return err.code;
  if (err && typeof err === 'object') {
    const e = err as { statusCode?: unknown; code?: unknown };
    if (typeof e.statusCode === 'number') return e.statusCode;
    if (typeof e.code === 'number') return e.code;
  }
  return undefined;
}

export function isNotFound(err: unknown): boolean {
  return statusCodeOf(err) === 404;
}

/** Network errors, 429 and 5xx; never other 4xx. */
export function isTransientApiError(err: unknown): boolean {
  const status = statusCodeOf(err);
  if (status !== undefined) return status === 429 || status >= 500;
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; errno?: unknown; type?: unknown; name?: unknown };
    if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
    if (typeof e.errno === 'string' && TRANSIENT_CODES.has(e.errno)) return true;
    // node-fetch wraps socket errors as FetchError type 'system'
    if (e.name === 'FetchError' && e.type === 'system') return true;
  }
  return false;
}

interface StatusBody { reason?: string; message?: string }

function parseStatusBody(body: unknown): StatusBody | string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'object') return body as StatusBody;
  const text = String(body);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return parsed as StatusBody;
  } catch {
    // not JSON: a proxy's HTML page or plain text
  }
  return text;
}

function squeeze(text: string, max = 240): string {
  const one = text.replace(/\s+/g, ' ').trim().replace(/Bearer\s+\S+/gi, 'Bearer «redacted»');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** One line for a failed call, e.g. `GET latticeclusters/x: 404 NotFound: latticeclusters "x" not found`. */
export function describeApiError(what: string, err: unknown): string {
  const status = statusCodeOf(err);
  if (err instanceof KubeApiError) return err.message;
  if (status !== undefined) {
    const parsed = parseStatusBody(err instanceof ApiException ? err.body : undefined);
    if (parsed && typeof parsed === 'object') {
      const reason = parsed.reason ?? 'Error';
      return `${what}: ${status} ${reason}${parsed.message ? `: ${squeeze(parsed.message)}` : ''}`;
    }
    if (typeof parsed === 'string') return `${what}: ${status}: ${squeeze(parsed, 120)}`;
    // Watch errors carry the status text as message; ApiException's message holds headers, skip it
    const text = err instanceof ApiException ? '' : err instanceof Error ? err.message : '';
    return `${what}: ${status}${text ? ` ${squeeze(text, 120)}` : ''}`;
  }
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; name?: unknown; message?: unknown };
    if (e.name === 'AbortError') return `${what}: aborted`;
    const message = typeof e.message === 'string' ? e.message.replace(/^request to \S+ failed, reason: /, '') : '';
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code) return `${what}: network error ${code}${message && message !== code ? `: ${squeeze(message, 160)}` : ''}`;
    if (message) return `${what}: ${squeeze(message, 200)}`;
  }
  return `${what}: ${squeeze(String(err), 200)}`;
}

/** What to do about a refusal the suite cannot retry away (appended to the final message). */
function refusalHint(status: number | undefined): string {
  if (status === 401) return '; the API refused the kubeconfig\'s credentials: regenerate the kubeconfig (its token or client certificate is wrong or expired)';
  if (status === 403) return '; the kubeconfig\'s user may not do this: use the cluster\'s admin kubeconfig';
  return '';
}

/** What to do when retries ran out (appended after the attempt count). */
function exhaustedHint(status: number | undefined): string {
  if (status !== undefined) return '; the cluster\'s API server keeps failing: check its health (a failed scenario\'s diagnostics hold its state)';
  return '; the cluster\'s API does not answer: check that the cluster is up and the kubeconfig\'s server address';
}

/** Wraps any failure as a KubeApiError with the concise message (kept as is if already one). */
export function toKubeApiError(what: string, err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const parsed = err instanceof ApiException ? parseStatusBody(err.body) : undefined;
  const reason = parsed && typeof parsed === 'object' ? parsed.reason : undefined;
  return new KubeApiError(describeApiError(what, err) + refusalHint(statusCodeOf(err)), statusCodeOf(err), reason);
}

/** Backoff before retry number `attempt` (1-based): base·2^(attempt-1), capped, with ±20 % jitter. */
export function backoffDelay(attempt: number, baseDelayMs = 250, maxDelayMs = 4000): number {
  const raw = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

/** Resolves after `ms`, or at once (rejecting) if `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new WaitAbortedError('cancelled'));
    const onAbort = () => { clearTimeout(t); reject(new WaitAbortedError('cancelled')); };
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `call`, retrying transient failures; `what` names the call in messages (`GET latticeclusters/x`). */
export async function withRetry<T>(what: string, call: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 5);
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= attempts || !isTransientApiError(err) || opts.signal?.aborted) {
        const failure = toKubeApiError(what, err);
        if (attempt > 1 && isTransientApiError(err)) {
          throw new KubeApiError(`${failure.message} (after ${attempt} attempts)${exhaustedHint(failure.code)}`, failure.code, failure.reason);
        }
        throw failure;
      }
      const delay = backoffDelay(attempt, opts.baseDelayMs, opts.maxDelayMs);
      opts.onRetry?.(describeApiError(what, err), attempt, delay);
      await pause(delay, opts.signal);
    }
  }
}
