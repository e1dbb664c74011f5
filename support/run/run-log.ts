import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { redact } from '../redact.js';

/**
 * The run's own log (`reports/run.log`): what happens outside any scenario (start-up sweep,
 * teardown) and anything a scenario logs after its step ended. Also echoed to stderr when asked.
 * One file per run, like the other reports: `fresh` empties what an earlier run wrote.
 */
export class RunLog {
  constructor(readonly path: string, private readonly echo = false, fresh = false) {
    mkdirSync(dirname(path), { recursive: true });
    if (fresh) writeFileSync(path, '', { mode: 0o600 });
  }

  line(text: string): void {
    const clean = redact(text);
    appendFileSync(this.path, `${new Date().toISOString()} ${clean}\n`);
    if (this.echo) process.stderr.write(`${clean}\n`);
  }
}
