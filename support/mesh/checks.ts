/**
 * Traffic checks: one probe from a generator pod to a target, with the verdict the bilateral
 * agreement predicts. The HTTP-code rule is upstream's (lattice-facts §4.4).
 */
import { agreementBetween, type AgreementIndex } from './agreement.js';

export type Verdict = 'ALLOWED' | 'BLOCKED';
export type TargetKind = 'service' | 'external';

export interface MeshCheck {
  source: string;
  target: string;
  /** What the probe calls: `http://<target>.<ns>.svc.cluster.local/` or the external's URL. */
  url: string;
  kind: TargetKind;
  expected: Verdict;
  /** Why, in upstream's words where upstream has them. */
  reason: string;
}

/** Codes upstream counts as "connection allowed"; anything else (and `000`, curl failure) is blocked. */
export const ALLOWED_HTTP_CODES: readonly string[] = ['200', '201', '204', '301', '302'];
/** Codes the policy wait treats as "still open" (upstream leaves out the redirects here). */
export const POLICY_OPEN_HTTP_CODES: readonly string[] = ['200', '201', '204'];

export function verdictForHttpCode(code: string): Verdict {
  return ALLOWED_HTTP_CODES.includes(code) ? 'ALLOWED' : 'BLOCKED';
}

/** Key of a source→target pair in maps. */
export const edgeKey = (source: string, target: string): string => `${source}->${target}`;

/** URL of an in-namespace service as the probes address it. */
export function serviceUrl(target: string, namespace: string): string {
  return `http://${target}.${namespace}.svc.cluster.local/`;
}

/** The expected verdict of caller→callee, through the one agreement function. */
export function expectedVerdict(index: AgreementIndex, source: string, target: string): Verdict {
  return agreementBetween(index, source, target).allowed ? 'ALLOWED' : 'BLOCKED';
}

/** Checks grouped by generator pod, keeping their order. */
export function checksBySource(checks: readonly MeshCheck[]): Map<string, MeshCheck[]> {
  const out = new Map<string, MeshCheck[]>();
  for (const c of checks) {
    const list = out.get(c.source);
    if (list) list.push(c); else out.set(c.source, [c]);
  }
  return out;
}

export function countVerdicts(checks: readonly MeshCheck[]): { allowed: number; blocked: number } {
  let allowed = 0;
  for (const c of checks) if (c.expected === 'ALLOWED') allowed++;
  return { allowed, blocked: checks.length - allowed };
}
