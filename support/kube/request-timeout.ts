/**
 * Every API request ends: an API server that accepts the connection and never answers (a hung
 * apiserver, a half-open load balancer) would otherwise hold the socket, and with it the whole
 * run, forever (client-node 1.4.0 sets no timeout).
 */
import {
  IsomorphicFetchHttpLibrary, Observable, type HttpLibrary, type RequestContext, type ResponseContext,
} from '@kubernetes/client-node';

/** How long one API request may wait for an answer (and its body) before it fails. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** A request that got no answer in time; `ETIMEDOUT` makes retry treat it as transient. */
export class RequestTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(url: string, timeoutMs: number) {
    let where = url;
    try { where = new URL(url).host; } catch { /* keep the text */ }
    super(`no answer from ${where} within ${timeoutMs / 1000}s (the connection was accepted, no reply came)`);
    this.name = 'RequestTimeoutError';
  }
}

/** client-node's fetch with a deadline on each request; the caller's own signal still applies. */
export class BoundedHttpLibrary implements HttpLibrary {
  private readonly inner = new IsomorphicFetchHttpLibrary();

  constructor(private readonly timeoutMs: number) {}

  send(request: RequestContext): Observable<ResponseContext> {
    // An unref'd timer: it never keeps the process alive by itself.
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const given = request.getSignal() as AbortSignal | undefined;
    request.setSignal((given ? AbortSignal.any([given, deadline]) : deadline) as Parameters<RequestContext['setSignal']>[0]);
    return new Observable(this.inner.send(request).toPromise().catch((err: unknown) => {
      if (deadline.aborted && !given?.aborted) throw new RequestTimeoutError(request.getUrl(), this.timeoutMs);
      throw err;
    }));
  }
}
