/**
 * Errors the suite raises on purpose. Each carries a one-line message naming the input at fault
 * and, where there is one, the fix; runners print `message` alone, never a stack trace.
 */
export class SuiteError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(hint ? `${message}; ${hint}` : message);
    this.name = new.target.name;
  }
}

/** A bad environment variable or setting, found at start-up. */
export class ConfigError extends SuiteError {}

/** A fixture that does not load or does not match Lattice's schema. */
export class FixtureError extends SuiteError {}

/** A wait that ran out of time: names the resource, the condition and the last state seen. */
export class WaitTimeoutError extends SuiteError {
  constructor(readonly resource: string, readonly condition: string, readonly lastSeen: string, readonly timeoutMs: number) {
    super(`timed out after ${(timeoutMs / 1000).toFixed(1)}s waiting for ${resource} to be ${condition}; last seen: ${lastSeen}`);
  }
}

/** A wait that can never succeed any more (e.g. a LatticeCluster reached Failed). */
export class WaitAbortedError extends SuiteError {}

/** A prerequisite (CLI, engine, credentials) missing from the environment. */
export class PrerequisiteError extends SuiteError {}

/** Formats any thrown value as one line, without a stack, for user-facing output. */
export function oneLine(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err).split('\n')[0] ?? '';
}
