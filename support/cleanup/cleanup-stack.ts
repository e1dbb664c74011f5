/**
 * Disposers registered at creation time and run last-in first-out: a resource created after
 * another usually depends on it, so it must go first. Best-effort: one failing disposer does not
 * stop the others, and every failure is reported together.
 */
export interface Disposer { label: string; dispose: () => Promise<void> | void }

export class CleanupStack {
  private readonly disposers: Disposer[] = [];

  /** Registers a disposer; returns a function that unregisters it (for resources already gone). */
  push(label: string, dispose: Disposer['dispose']): () => void {
    const d = { label, dispose };
    this.disposers.push(d);
    return () => { const i = this.disposers.indexOf(d); if (i >= 0) this.disposers.splice(i, 1); };
  }

  get size(): number { return this.disposers.length; }
  labels(): string[] { return this.disposers.map((d) => d.label).reverse(); }

  /** Runs and clears every disposer, newest first; resolves with one line per failure. */
  async runAll(log: (line: string) => void = () => {}): Promise<string[]> {
    const failures: string[] = [];
    while (this.disposers.length > 0) {
      const d = this.disposers.pop()!;
      try {
        await d.dispose();
        log(`cleanup: ${d.label}: done`);
      } catch (err) {
        const line = `cleanup: ${d.label}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
        failures.push(line);
        log(line);
      }
    }
    return failures;
  }
}
