/**
 * Which requests upstream's proxy treats as exec/attach/portforward (lattice-api/src/server.rs:112-124):
 * only the single-hop routes `/clusters/{c}/api/v1/namespaces/{ns}/pods/{pod}/(exec|attach|portforward)`.
 * exec and attach go through axum's WebSocketUpgrade extractor (proxy.rs:137-145), which refuses
 * anything but a websocket upgrade with axum 0.8's rejection texts (SPDY, kubectl's fallback, included);
 * portforward is piped as a transparent upgrade (portforward.rs:41-70). A nested
 * `/clusters/a/clusters/b/.../exec` websocket reaches the catch-all handler, which answers 500
 * (proxy.rs:106-111, lattice-proto is_exec_path).
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface ExecRoute { cluster: string; namespace: string; pod: string; subresource: 'exec' | 'attach' | 'portforward' }

const ROUTE = /^\/clusters\/([^/]+)\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/;

export function execRoute(path: string): ExecRoute | undefined {
  const m = ROUTE.exec(path);
  return m ? { cluster: m[1]!, namespace: m[2]!, pod: m[3]!, subresource: m[4] as ExecRoute['subresource'] } : undefined;
}

/** lattice-proto/src/lib.rs:189-191 */
export const isExecPath = (path: string): boolean => /\/(exec|attach|portforward)$/.test(path);

const header = (h: IncomingHttpHeaders, name: string): string => String(h[name] ?? '');

/** exec_proxy/handlers.rs:40-54 */
export function hasWebsocketUpgradeHeaders(h: IncomingHttpHeaders): boolean {
  return header(h, 'upgrade').toLowerCase() === 'websocket' && header(h, 'connection').toLowerCase().includes('upgrade');
}

/** axum 0.8 WebSocketUpgrade::from_request_parts over HTTP/1.1: status and plain-text body, or undefined. */
export function websocketRejection(method: string, h: IncomingHttpHeaders): [number, string] | undefined {
  if (method !== 'GET') return [405, 'Request method must be `GET`'];
  const connection = header(h, 'connection').toLowerCase().split(',').map((s) => s.trim());
  if (!connection.includes('upgrade')) return [400, "Connection header did not include 'upgrade'"];
  if (header(h, 'upgrade').toLowerCase() !== 'websocket') return [400, "`Upgrade` header did not include 'websocket'"];
  if (!h['sec-websocket-key']) return [400, '`Sec-WebSocket-Key` header missing'];
  if (header(h, 'sec-websocket-version') !== '13') return [400, "`Sec-WebSocket-Version` header did not include '13'"];
  return undefined;
}
