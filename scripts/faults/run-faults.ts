/**
 * `npm run faults [-- options]`: proves the suite catches the embedded target's seeded faults.
 * For each fault of sim/FAULTS.md it runs only the scenarios that can see it (fault-scenarios.ts)
 * with the fault on, and the clean target N times with the default profile; prints the matrix and
 * exits non-zero when a fault is missed or a clean run fails (a false alarm).
 */
import { randomInt } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { catalogueProblems, readCatalogue, targetFaults } from './catalogue.js';
import { repoRoot, profileTags, runCucumber, runPool, stopTarget, type CucumberRunResult } from './cucumber-run.js';
import { FAULT_SCENARIOS, checkCoverage, runTags } from './fault-scenarios.js';
import { argHelpers } from './cli-args.js';
import { FAULT_RUN_WAITS } from './fault-waits.js';
import {
  classifyCleanRun, classifyFaultRun, exitCodeOf, renderCleanRuns, renderFaultMatrix, seconds, tally, type CleanRow, type FaultRow,
} from './matrix.js';

const DEFAULT_SEED = 20260101;
const FAULT_RUN_LIMIT_MS = 6 * 60_000;
const CLEAN_RUN_LIMIT_MS = 10 * 60_000;

const USAGE = `usage: npm run faults -- [--clean N] [--jobs N] [--only a,b] [--seed S] [--suite-waits]
  --clean N       clean-target runs of the default profile (default 2; 0 skips them)
  --jobs N        runs side by side (default 2: the machine has 2 cores)
  --only a,b      only these faults (still checks the catalogue and the map cover all)
  --seed S        random-mesh seed of the fault runs (default ${DEFAULT_SEED}; clean runs pick fresh ones)
  --suite-waits   keep the suite's own wait timeouts instead of the shortened ones`;

const { fail: failWith, wholeNumber } = argHelpers('faults', USAGE);
// A declared `never` function, so TypeScript narrows after a call to it.
function fail(message: string): never { return failWith(message); }

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: { clean: { type: 'string' }, jobs: { type: 'string' }, only: { type: 'string' }, seed: { type: 'string' }, 'suite-waits': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }).values;
  } catch (err) { fail((err as Error).message); }
  if (args.help) { process.stdout.write(`${USAGE}\n`); return 0; }
  const cleanRuns = wholeNumber('clean', args.clean, 2, 0, 50);
  const jobs = wholeNumber('jobs', args.jobs, 2, 1, 8);
  const seed = wholeNumber('seed', args.seed, DEFAULT_SEED, 0, 0xffffffff);
  const waits = args['suite-waits'] ? {} : FAULT_RUN_WAITS;

  const t0 = Date.now();
  const base = join(repoRoot, '.tmp', 'faults');
  await mkdir(base, { recursive: true });

  const catalogue = await readCatalogue(repoRoot);
  const names = catalogue.map((f) => f.name);
  const coverage = checkCoverage(names);
  if (coverage.unmapped.length || coverage.stale.length) {
    process.stderr.write([
      ...coverage.unmapped.map((f) => `faults: "${f}" (sim/FAULTS.md) has no entry in scripts/faults/fault-scenarios.ts: add the scenarios that can see it`),
      ...coverage.stale.map((f) => `faults: scripts/faults/fault-scenarios.ts maps "${f}", which sim/FAULTS.md does not list`),
    ].join('\n') + '\n');
    return 1;
  }
  const only = args.only?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of only ?? []) if (!names.includes(f)) fail(`--only: unknown fault "${f}"; known: ${names.join(', ')}`);
  const selected = only ? names.filter((f) => only.includes(f)) : names;
  const profile = await profileTags('default');

  process.stdout.write([
    `faults: ${selected.length} of ${catalogue.length} faults from sim/FAULTS.md, ${cleanRuns} clean run(s), ${jobs} at a time`,
    `        fault runs: random-mesh seed ${seed}; waits ${Object.keys(waits).length ? Object.entries(waits).map(([k, v]) => `${k}=${v}`).join(' ') : 'as the suite sets them'} (clean runs too)`,
    `        fault runs keep their clusters (LATTICE_E2E_KEEP=true; teardown detects nothing) and the harness stops each run's target`,
    `        run folders: ${base}/<fault>/ (reports/, cucumber.out, sim/, work/); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    '',
  ].join('\n'));

  // The target's own list, checked while the first runs go.
  const crossCheck = targetFaults(repoRoot, join(base, 'catalogue-check')).then(
    (known) => catalogueProblems(names, known),
    (err: Error) => [`could not ask the target for its faults: ${err.message}`],
  );

  type Task = { kind: 'clean'; label: string; seed: number } | { kind: 'fault'; fault: string };
  // Longest first, so the pool does not end on one long run: clean runs, then pivot, upgrade, the rest.
  const weight = (t: Task) => (t.kind === 'clean' ? 0 : /@pivot/.test(FAULT_SCENARIOS[t.fault]!.tags) ? 1 : /@upgrade/.test(FAULT_SCENARIOS[t.fault]!.tags) ? 2 : 3);
  const tasks: Task[] = [
    ...Array.from({ length: cleanRuns }, (_, i): Task => ({ kind: 'clean', label: `clean-${i + 1}`, seed: randomInt(0, 0xffffffff) })),
    ...selected.map((fault): Task => ({ kind: 'fault', fault })),
  ].sort((a, b) => weight(a) - weight(b));

  let done = 0;
  const faultRows = new Map<string, FaultRow>();
  const cleanRows = new Map<string, CleanRow>();
  await runPool(tasks, jobs, async (task) => {
    let result: CucumberRunResult;
    if (task.kind === 'clean') {
      result = await runCucumber({
        label: task.label, dir: join(base, task.label), tags: profile,
        env: { ...waits, LATTICE_RANDOM_MESH_SEED: String(task.seed) }, timeoutMs: CLEAN_RUN_LIMIT_MS,
      });
      await stopTarget(result.simHome); // a no-op unless the run left its target running
      const row = classifyCleanRun(task.label, task.seed, result);
      cleanRows.set(task.label, row);
      process.stdout.write(`[${++done}/${tasks.length}] ${task.label}: ${row.verdict} (${row.passed}/${row.scenariosRun} passed, seed ${task.seed}, ${seconds(row.wallMs)})\n`);
    } else {
      const entry = FAULT_SCENARIOS[task.fault]!;
      result = await runCucumber({
        label: task.fault, dir: join(base, task.fault), tags: runTags(profile, entry.tags), failFast: true,
        // Keep: the suite's teardown (~10 s a run) detects nothing; the whole target is stopped below instead.
        env: { ...waits, LATTICE_SIM_FAULTS: task.fault, LATTICE_RANDOM_MESH_SEED: String(seed), LATTICE_E2E_KEEP: 'true' }, timeoutMs: FAULT_RUN_LIMIT_MS,
      });
      await stopTarget(result.simHome);
      const row = classifyFaultRun(task.fault, entry.tags, entry.expectStep, result);
      faultRows.set(task.fault, row);
      process.stdout.write(`[${++done}/${tasks.length}] ${task.fault}: ${row.verdict}${row.verdict === 'caught' ? ` at ${seconds(row.detectedAfterMs)}` : ''} (${seconds(row.wallMs)})\n`);
    }
  });

  const problems = await crossCheck;
  const fRows = selected.map((f) => faultRows.get(f)!);
  const cRows = tasks.filter((t) => t.kind === 'clean').map((t) => cleanRows.get((t as { label: string }).label)!);
  const t = tally(fRows, cRows);
  const elapsed = Date.now() - t0;
  const report = [
    '',
    renderFaultMatrix(fRows),
    '',
    ...(cRows.length ? [renderCleanRuns(cRows), ''] : []),
    ...(problems.length ? ['Catalogue cross-check with the target FAILED:', ...problems.map((p) => `  ${p}`), ''] : ['Catalogue: sim/FAULTS.md and the target list the same faults.', '']),
    `caught ${t.caught}/${fRows.length}` + (t.missed.length ? `; MISSED: ${t.missed.join(', ')}` : '') + (t.errors.length ? `; ERRORS: ${t.errors.join(', ')}` : '')
      + `; clean runs ${cRows.length - t.falseAlarms.length - t.cleanErrors.length}/${cRows.length}`
      + (t.falseAlarms.length ? `; FALSE ALARMS: ${t.falseAlarms.join(', ')}` : '') + (t.cleanErrors.length ? `; clean-run errors: ${t.cleanErrors.join(', ')}` : ''),
    `total ${seconds(elapsed)} with ${jobs} at a time (load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores)`,
  ].join('\n');
  process.stdout.write(`${report}\n`);
  await mkdir(join(repoRoot, 'reports'), { recursive: true });
  await writeFile(join(repoRoot, 'reports', 'faults-matrix.txt'), `${report}\n`);
  await writeFile(join(repoRoot, 'reports', 'faults-results.json'), `${JSON.stringify({ seed, waits, jobs, elapsedMs: elapsed, faults: fRows, clean: cRows, catalogueProblems: problems }, null, 2)}\n`);
  return exitCodeOf(t) || (problems.length ? 1 : 0);
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`faults: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
