/**
 * Cucumber formatter plugin for the HTML report (cucumber.js lists it): Cucumber's html formatter
 * with the run's identity (support/report/html-report.ts), read from the reports folder at the end.
 */
import type { Envelope } from '@cucumber/messages';
import { renderHtmlReport } from '../report/html-report.js';
import { readIdentity } from '../report/run-identity.js';
import { reportsDir } from '../run/reports-dir.js';

interface FormatterContext { on: (key: 'message', handler: (e: Envelope) => void) => void; write: (s: string) => void }

export default {
  type: 'formatter' as const,
  formatter({ on, write }: FormatterContext): () => Promise<void> {
    const envelopes: Envelope[] = [];
    on('message', (e) => { envelopes.push(e); });
    return async () => {
      const id = readIdentity(reportsDir());
      write(await renderHtmlReport(envelopes, id ? [id] : []));
    };
  },
};
