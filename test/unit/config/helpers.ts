// Shared bits of the config tests: a scratch folder and a checker for one-line ConfigErrors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../support/errors.js';

export function scratchDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'lattice-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs fn, expects a ConfigError, checks it is one line and mentions every needle; returns the message. */
export function expectConfigError(fn: () => unknown, ...needles: string[]): string {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  const msg = caught.message;
  assert.equal(msg.split('\n').length, 1, `message must be one line: ${msg}`);
  for (const n of needles) assert.ok(msg.includes(n), `message should mention ${JSON.stringify(n)}: ${msg}`);
  return msg;
}
