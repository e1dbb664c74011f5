/** The service spelling of the run's Lattice API version (support/versions/index.ts); step definitions never see it. */
import { currentRun, type RunContext } from '../run/run-context.js';
import type { ServiceSpelling } from '../versions/service-spelling.js';

export function serviceSpellingOf(run: RunContext = currentRun()): ServiceSpelling {
  return run.spelling.services;
}
