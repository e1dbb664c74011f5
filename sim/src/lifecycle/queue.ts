/**
 * A controller work queue: one reconcile per key at a time, a change during a run schedules one more
 * run, and a reconcile may ask to be run again after a delay (the operator's requeue).
 */
export type Reconcile = (key: string) => Promise<number | void>;

export class WorkQueue {
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly reconcile: Reconcile,
    private readonly signal: AbortSignal,
    private readonly onError: (key: string, err: unknown) => void,
  ) {
    signal.addEventListener('abort', () => { for (const t of this.timers.values()) clearTimeout(t); this.timers.clear(); }, { once: true });
  }

  add(key: string, delayMs = 0): void {
    if (this.signal.aborted) return;
    if (delayMs > 0) {
      if (!this.timers.has(key)) this.timers.set(key, setTimeout(() => { this.timers.delete(key); this.add(key); }, delayMs));
      return;
    }
    if (this.running.has(key)) { this.dirty.add(key); return; }
    this.running.add(key);
    void this.run(key);
  }

  private async run(key: string): Promise<void> {
    let again: number | void = undefined;
    try {
      again = await this.reconcile(key);
    } catch (err) {
      if (!this.signal.aborted) { this.onError(key, err); again = 250; }
    }
    this.running.delete(key);
    if (this.signal.aborted) return;
    if (this.dirty.delete(key)) this.add(key);
    else if (typeof again === 'number') this.add(key, again);
  }
}
