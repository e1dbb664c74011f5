/**
 * The auth proxy's error answers, as lattice-api/src/error.rs:37-82 writes them: a JSON `Status`
 * with a fixed message per kind (the detail goes to the log only) and `retryAfterSeconds: 1`.
 */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export type ProxyErrorKind = 'Unauthorized' | 'Forbidden' | 'ClusterNotFound' | 'Proxy' | 'Internal';

const ANSWERS: Record<ProxyErrorKind, [number, string, string]> = {
  Unauthorized: [401, 'authentication failed', 'Unauthorized'],
  Forbidden: [403, 'authorization failed', 'Forbidden'],
  ClusterNotFound: [503, 'cluster not available', 'ServiceUnavailable'],
  Proxy: [503, 'proxy error', 'ServiceUnavailable'],
  Internal: [500, 'internal error', 'InternalError'],
};

export class ProxyError extends Error {
  constructor(readonly kind: ProxyErrorKind, detail: string) { super(detail); }
  get code(): number { return ANSWERS[this.kind][0]; }
  body(): Record<string, unknown> {
    const [code, message, reason] = ANSWERS[this.kind];
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details: { retryAfterSeconds: 1 }, code };
  }
}

export const toProxyError = (e: unknown): ProxyError => (e instanceof ProxyError ? e : new ProxyError('Internal', (e as Error)?.message ?? String(e)));

const TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 405: 'Method Not Allowed', 500: 'Internal Server Error', 503: 'Service Unavailable' };

export function sendProxyError(res: ServerResponse, e: ProxyError): void {
  if (res.headersSent) { res.destroy(); return; }
  const text = JSON.stringify(e.body());
  res.writeHead(e.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The same answer on the raw socket of a refused upgrade (exec). */
export function refuseUpgrade(socket: Duplex, e: ProxyError): void {
  answerOnSocket(socket, e.code, 'application/json', JSON.stringify(e.body()));
}

/** Any answer on the raw socket of a refused upgrade (axum's plain-text rejections, the API server's Status). */
export function answerOnSocket(socket: Duplex, code: number, contentType: string, text: string): void {
  socket.end(`HTTP/1.1 ${code} ${TEXT[code] ?? 'Error'}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}
