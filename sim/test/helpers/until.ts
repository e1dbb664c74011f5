/** Polls a condition (the runtime's effects land asynchronously); the error names what was awaited and the last state. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, state?: () => unknown): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last state: ${JSON.stringify(state?.() ?? v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
