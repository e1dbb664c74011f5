/**
 * The contract every catalogued bad input (docs/BAD-INPUT.md) is held to: one line, naming the input,
 * saying what to do, no stack trace, no secret.
 */
import assert from 'node:assert/strict';

// What a fix sounds like: an imperative after "; " (or "use one of").
const FIX = /; (?:.*\b)?(use|set|give|check|point|start|create|fix|regenerate|remove|run|install|chmod|unset|see|make|wait|call|must)\b/i;

export interface Expectation {
  /** Substrings naming the input (variable, file, value, resource...). */
  names: string[];
  /** Values that must not appear (secrets). */
  secrets?: string[];
  /** The message need not carry a fix (a timeout names resource/condition/last state instead). */
  noFix?: boolean;
}

export function assertClearMessage(message: string, e: Expectation): void {
  assert.equal(message.split('\n').length, 1, `one line:\n${message}`);
  assert.doesNotMatch(message, /\n\s+at |\bat .*\.(ts|js):\d+/, 'no stack trace');
  for (const n of e.names) assert.ok(message.includes(n), `message names ${JSON.stringify(n)}: ${message}`);
  if (!e.noFix) assert.match(message, FIX, `message says what to do: ${message}`);
  for (const s of e.secrets ?? []) assert.ok(!message.includes(s), `message leaks ${s}: ${message}`);
}

/** The error thrown by `fn` (sync or async); fails if nothing is thrown. */
export async function thrown(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof Error, `an Error, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}
