/**
 * Ctrl-C and SIGTERM during a run. Cucumber traps no signals, and Node's default would kill the
 * process before any cleanup or report. The first signal aborts the run's AbortSignal instead:
 * waits that take it end at once, the remaining scenarios are skipped, and Cucumber finishes
 * normally, so the After/AfterAll hooks clean up and the formatters write the reports; the process
 * then exits with 128 + the signal's number. A second signal exits at once (the next run's
 * start-up sweep removes what is left).
 */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

const SIGNAL_NUMBER: Record<InterruptSignal, number> = { SIGINT: 2, SIGTERM: 15 };

/** The exit code of a process ended by `signal` (the shell's convention). */
export function exitCodeFor(signal: InterruptSignal): number { return 128 + SIGNAL_NUMBER[signal]; }

/** The part of `process` the handler needs (a stand-in in tests). */
export interface SignalSource {
  on(event: InterruptSignal | 'exit', listener: (arg?: unknown) => void): unknown;
  off(event: InterruptSignal | 'exit', listener: (arg?: unknown) => void): unknown;
  exit(code: number): never | void;
  exitCode?: number | string | undefined;
}

export interface InterruptOptions {
  /** Told once, on the first signal. */
  onFirst?: (signal: InterruptSignal) => void;
  /** Told on the second signal, just before the process exits. */
  onSecond?: (signal: InterruptSignal) => void;
  /**
   * Signals this close to the first count as the same one: Ctrl-C reaches every process of the
   * terminal's group, and `npm run` and scripts/e2e.mjs forward it once more within milliseconds
   * (default 1 s: a loaded machine may deliver the copies hundreds of milliseconds apart).
   */
  sameSignalWithinMs?: number;
  source?: SignalSource;
  now?: () => number;
}

export interface RunInterrupt {
  /** Aborted on the first signal; its reason is the signal's name. */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  readonly interruptedBy: InterruptSignal | undefined;
  /** Removes the listeners (tests; a finished run). */
  dispose(): void;
}

export function handleInterrupts(opts: InterruptOptions = {}): RunInterrupt {
  const source: SignalSource = opts.source ?? (process as unknown as SignalSource);
  const now = opts.now ?? Date.now;
  const within = opts.sameSignalWithinMs ?? 1000;
  const controller = new AbortController();
  let first: InterruptSignal | undefined;
  let firstAt = 0;

  const onSignal = (sig: InterruptSignal) => {
    if (!first) {
      first = sig;
      firstAt = now();
      controller.abort(sig);
      try { opts.onFirst?.(sig); } catch { /* telling must not stop the cleanup */ }
      return;
    }
    if (now() - firstAt < within) return;
    try { opts.onSecond?.(sig); } catch { /* exiting anyway */ }
    source.exit(exitCodeFor(sig));
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  // Cucumber sets its own exit code once the run ends; an interrupted run must not exit 0.
  const onExit = () => { if (first) source.exitCode = exitCodeFor(first); };
  source.on('SIGINT', onInt);
  source.on('SIGTERM', onTerm);
  source.on('exit', onExit);
  return {
    signal: controller.signal,
    get interruptedBy() { return first; },
    dispose() { source.off('SIGINT', onInt); source.off('SIGTERM', onTerm); source.off('exit', onExit); },
  };
}
