/** Kubernetes `Status` bodies for errors, as clients (kubectl, client-node) parse them. */
import { StoreError, type ResourceType } from './types.js';

export interface StatusBody {
  kind: 'Status'; apiVersion: 'v1'; metadata: Record<string, never>;
  status: 'Failure' | 'Success'; message: string; reason: string; code: number;
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ reason?: string; message: string; field?: string }> };
}

export class HttpError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: StatusBody['details']) { super(message); }
}

export function statusBody(code: number, reason: string, message: string, details?: StatusBody['details']): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(details ? { details } : {}) };
}

/** Maps anything thrown while serving a request to the Status the API server would answer. */
export function toStatus(e: unknown, t?: ResourceType, name?: string): StatusBody {
  if (e instanceof HttpError) return statusBody(e.code, e.reason, e.message, e.details);
  if (e instanceof StoreError) {
    const details: StatusBody['details'] = {};
    if (name) details.name = name;
    if (t) {
      details.group = t.group;
      details.kind = e.code === 422 ? t.kind : t.plural;
    }
    if (e.causes.length) details.causes = e.causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field }));
    const reason = e.code === 410 ? 'Expired' : e.reason;
    return statusBody(e.code, reason, e.message, Object.keys(details).length ? details : undefined);
  }
  const message = e instanceof Error ? e.message : String(e);
  return statusBody(500, 'InternalError', `Internal error occurred: ${message}`);
}

export const HTTP_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 409: 'Conflict', 410: 'Gone', 415: 'Unsupported Media Type',
  422: 'Unprocessable Entity', 500: 'Internal Server Error', 503: 'Service Unavailable',
};
