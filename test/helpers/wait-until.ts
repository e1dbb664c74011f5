/** Polls a state (not a fixed sleep) until it holds; the error names what was awaited and the last state. */
export async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs: number, intervalMs = 200, last: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}; ${last()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
