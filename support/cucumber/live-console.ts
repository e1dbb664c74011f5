/**
 * Cucumber formatter plugin for the console (cucumber.js lists it): prints what
 * support/report/live-console.ts makes of each message the moment it arrives.
 */
import type { Envelope } from '@cucumber/messages';
import { LiveConsole } from '../report/live-console.js';

interface FormatterContext { on: (key: 'message', handler: (e: Envelope) => void) => void; write: (s: string) => void; stream: NodeJS.WritableStream & { isTTY?: boolean } }

export default {
  type: 'formatter' as const,
  formatter({ on, write, stream }: FormatterContext): void {
    const tty = Boolean(stream.isTTY);
    const live = new LiveConsole({ tty, colour: tty && !process.env.NO_COLOR });
    on('message', (e) => { const out = live.update(e); if (out) write(out); });
  },
};
