/**
 * What an API server's refusal says. A webhook denial reaches a client as a Status whose message is
 * `admission webhook "<name>" denied the request: <text>` (kubectl prints it after `Error from
 * server:`; upstream checks `denied the request`, integration/webhook.rs:112).
 */
export const LATTICE_WEBHOOK = 'validate.lattice.dev';

export interface Refusal {
  /** HTTP status; 0 when the request never got an answer. */
  status: number;
  /** The webhook that denied it, when one did. */
  webhook?: string;
  /** Lattice's text (the webhook's), or the whole Status message when no webhook denied it. */
  message: string;
}

const DENIAL = /^admission webhook "([^"]+)" denied the request: ([\s\S]*)$/;

/** The refusal carried by a client-node ApiException (or any error with `code` and `body`). */
export function refusalOf(err: unknown): Refusal {
  const e = err as { code?: number; body?: unknown; message?: string };
  let message = e.message ?? String(err);
  const body = typeof e.body === 'string' ? safeJson(e.body) : e.body;
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') message = (body as { message: string }).message;
  const m = DENIAL.exec(message);
  return m ? { status: e.code ?? 0, webhook: m[1], message: m[2] } : { status: e.code ?? 0, message };
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}

/** Why a refusal is not the expected one from Lattice's webhook; undefined when it is. */
export function refusalProblem(what: string, r: Refusal | undefined, expected: string): string | undefined {
  if (!r) return `${what}: was accepted; Lattice refuses it with "${expected}"`;
  if (r.webhook !== LATTICE_WEBHOOK) return `${what}: refused (HTTP ${r.status}) but not by ${LATTICE_WEBHOOK}: ${r.message}`;
  if (r.message !== expected) return `${what}: ${LATTICE_WEBHOOK} said "${r.message}", Lattice says "${expected}"`;
  return undefined;
}
