import type { RunContext } from '../run/run-context.js';

/** What every hierarchy operation needs: the run, a line logger for the scenario, a cancel signal. */
export interface HierarchyDeps {
  run: RunContext;
  log: (line: string) => void;
  signal?: AbortSignal;
}
