// @ts-check
// Common StrykerJS options of `npm run mutants` (docs/MUTATION.md). scripts/mutants/run-mutants.ts
// adds, per area or file: `mutate`, the command (that area's scenarios), the report and incremental
// files. Run through `npm run mutants`, not `npx stryker run`: this file alone mutates nothing.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  // The features are the test: a mutant is killed when one of its area's scenarios fails.
  testRunner: 'command',
  // The command runner cannot tell which test covers which mutant: every mutant runs its area's scenarios.
  coverageAnalysis: 'off',
  // Loaded from the project; Stryker's own command runner is built into @stryker-mutator/core.
  plugins: ['./scripts/mutants/ignorers.mjs'],
  // Mutants that cannot change anything observable, excluded with the reason in ignorers.mjs:
  // log lines (daemon.log, CLI progress), help text, the data plane's reasons for its verdicts, and
  // the `once` of an abort listener (a signal aborts once), and counters of the target's own that
  // only its tests and a seeded fault read.
  ignorers: ['log-lines', 'help-text', 'verdict-reasons', 'abort-once', 'bookkeeping'],
  // The machine has 2 cores shared with other work; `npm run mutants -- --concurrency 2` when it is free.
  concurrency: 1,
  // A mutant that makes the target hang is cut off at 1.5 × the clean run's time + 60 s (the
  // suite's own waits are shortened as in `npm run faults`, so most hangs end as a failed wait first).
  timeoutFactor: 1.5,
  timeoutMS: 60_000,
  // Sandboxes under the ignored .tmp/; each is a full copy of the repository (node_modules linked).
  tempDirName: '.tmp/stryker',
  cleanTempDir: true,
  // Not copied into sandboxes: run output and caches (each sandbox transpiles its own, mutated, sources).
  ignorePatterns: ['/.tmp', '/.cache', '/reports', '/.stryker-tmp'],
  incremental: true,
  reporters: ['json', 'html', 'progress'],
  thresholds: { high: 90, low: 80, break: null },
};

export default config;
