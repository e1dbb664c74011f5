/** The JUnit report from messages, with the suite named after the run (target and seed). */
import { JUnitXmlPrinter } from '@cucumber/junit-xml-formatter';
import type { Envelope } from '@cucumber/messages';
import type { RunIdentity } from './run-identity.js';

export function suiteName(ids: RunIdentity[]): string {
  if (ids.length === 1) return `lattice-acceptance (${ids[0]!.target} target, seed ${ids[0]!.seed})`;
  if (ids.length > 1) return `lattice-acceptance (${ids.length} runs: ${ids.map((i) => `${i.target} seed ${i.seed}`).join(', ')})`;
  return 'lattice-acceptance';
}

export function renderJunit(envelopes: Envelope[], ids: RunIdentity[]): string {
  let xml = '';
  const printer = new JUnitXmlPrinter({ suiteName: suiteName(ids) }, (s) => { xml += s; });
  for (const e of envelopes) printer.update(e);
  return xml;
}
