/**
 * The record a gate scenario leaves in the HTML report: the request, Lattice's verdict without the
 * consent, the consent given, the verdict with it, and the verdict once it is withdrawn.
 */
import * as yaml from 'js-yaml';

export interface Verdict {
  phase: string;
  message: string;
  /** When the suite saw it (ISO time). */
  at: string;
}

export interface GateRecord {
  title: string;
  request: string;
  without?: Verdict;
  consent?: string;
  withConsent?: Verdict;
  withdrawn?: Verdict;
}

export function asYaml(obj: unknown): string {
  return yaml.dump(obj, { lineWidth: -1, noRefs: true });
}

export function describeVerdict(v: Verdict | undefined): string {
  return v ? `${v.phase}${v.message ? `: ${v.message}` : ''} (seen ${v.at})` : '(not reached)';
}

/** The whole record as one text, in the order it happened. */
export function renderGateRecord(r: GateRecord): string {
  return [
    `Gate: ${r.title}`,
    '', '1. Request', indent(r.request),
    '', `2. Verdict without the consent: ${describeVerdict(r.without)}`,
    '', '3. Consent given', indent(r.consent ?? '(not given)'),
    '', `4. Verdict with it: ${describeVerdict(r.withConsent)}`,
    '', `5. Verdict once it is withdrawn: ${describeVerdict(r.withdrawn)}`,
  ].join('\n');
}

const indent = (text: string): string => text.trimEnd().split('\n').map((l) => `   ${l}`).join('\n');
