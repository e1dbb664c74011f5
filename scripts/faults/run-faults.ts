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
import { VERSIONS } from '../../support/versions/tag-filter.mjs';
import {
  classifyCleanRun, classifyFaultRun, exitCodeOf, renderCleanRuns, renderFaultMatrix, seconds, tally, type CleanRow, type FaultRow,
} from './matrix.js';

const DEFAULT_SEED = 20260101;
const FAULT_RUN_LIMIT_MS = 6 * 60_000;
const CLEAN_RUN_LIMIT_MS = 10 * 60_000;

const USAGE = `usage: npm run faults -- [--lattice-version V] [--clean N] [--jobs N] [--only a,b] [--seed S] [--suite-waits]
  --lattice-version V  only the faults of Lattice API V (${VERSIONS.join(' or ')}; the version of their sim/FAULTS.md section),
                  and clean runs at V; without it every version's faults, each at its version, and clean runs at each
  --clean N       clean-target runs of the default profile per version (default 2; 0 skips them)
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
      options: { 'lattice-version': { type: 'string' }, clean: { type: 'string' }, jobs: { type: 'string' }, only: { type: 'string' }, seed: { type: 'string' }, 'suite-waits': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }).values;
  } catch (err) { fail((err as Error).message); }
  if (args.help) { process.stdout.write(`${USAGE}\n`); return 0; }
  const cleanRuns = wholeNumber('clean', args.clean, 2, 0, 50);
  const jobs = wholeNumber('jobs', args.jobs, 2, 1, 8);
  const seed = wholeNumber('seed', args.seed, DEFAULT_SEED, 0, 0xffffffff);
  const waits = args['suite-waits'] ? {} : FAULT_RUN_WAITS;
  const versionArg = args['lattice-version'];
  if (versionArg !== undefined && !VERSIONS.includes(versionArg)) fail(`--lattice-version ${JSON.stringify(versionArg)}: use ${VERSIONS.join(' or ')}`);

  const t0 = Date.now();
  // Folders of their own (LATTICE_FAULTS_DIR, LATTICE_FAULTS_REPORTS_DIR) let two matrices run side by side (npm test).
  const base = process.env.LATTICE_FAULTS_DIR?.trim() || join(repoRoot, '.tmp', 'faults');
  const reportsDir = process.env.LATTICE_FAULTS_REPORTS_DIR?.trim() || join(repoRoot, 'reports');
  await mkdir(base, { recursive: true });

  const catalogue = await readCatalogue(repoRoot);
  const names = catalogue.map((f) => f.name);
  const versionOfFault = new Map(catalogue.map((f) => [f.name, f.version]));
  const coverage = checkCoverage(catalogue);
  if (coverage.unmapped.length || coverage.stale.length) {
    process.stderr.write([
      ...coverage.unmapped.map((f) => `faults: "${f}" (sim/FAULTS.md) has no entry in scripts/faults/fault-scenarios.ts: add the scenarios that can see it`),
      ...coverage.stale.map((f) => `faults: scripts/faults/fault-scenarios.ts maps "${f}", which sim/FAULTS.md does not list`),
    ].join('\n') + '\n');
    return 1;
  }
  const only = args.only?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of only ?? []) if (!names.includes(f)) fail(`--only: unknown fault "${f}"; known: ${names.join(', ')}`);
  for (const f of only ?? []) {
    if (versionArg && versionOfFault.get(f) !== versionArg) fail(`--only: "${f}" is a Lattice API ${versionOfFault.get(f)} fault (sim/FAULTS.md section "${catalogue.find((c) => c.name === f)!.section}"), not ${versionArg}; drop --lattice-version or the fault`);
  }
  const notYetMapped = new Set(coverage.notYetMapped);
  // Each fault runs at the version of its section; unmapped ones of a version still being mapped run nowhere.
  const inScope = (f: string) => (!versionArg || versionOfFault.get(f) === versionArg) && (!only || only.includes(f));
  const selected = names.filter((f) => inScope(f) && !notYetMapped.has(f));
  const unmappedShown = names.filter((f) => inScope(f) && notYetMapped.has(f));
  const versions = versionArg ? [versionArg] : VERSIONS.filter((v) => catalogue.some((f) => f.version === v));
  const profiles = new Map<string, string>();
  for (const v of versions) profiles.set(v, await profileTags('default', repoRoot, v));

  process.stdout.write([
    `faults: ${selected.length} of ${catalogue.length} faults from sim/FAULTS.md at Lattice API ${versions.join(' and ')} (each at its section's version), ${cleanRuns} clean run(s) per version, ${jobs} at a time`,
    ...(unmappedShown.length ? [`        not yet mapped (no entry in scripts/faults/fault-scenarios.ts, not run): ${unmappedShown.map((f) => `${f} (${versionOfFault.get(f)})`).join(', ')}`] : []),
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

  type Task = { kind: 'clean'; label: string; seed: number; version: string } | { kind: 'fault'; fault: string; version: string };
  // Longest first, so the pool does not end on one long run: clean runs, then pivot, upgrade, the rest.
  const weight = (t: Task) => (t.kind === 'clean' ? 0 : /@pivot/.test(FAULT_SCENARIOS[t.fault]!.tags) ? 1 : /@upgrade/.test(FAULT_SCENARIOS[t.fault]!.tags) ? 2 : 3);
  const tasks: Task[] = [
    ...versions.flatMap((version) => Array.from({ length: cleanRuns }, (_, i): Task => ({
      kind: 'clean', label: versions.length > 1 ? `clean-${version}-${i + 1}` : `clean-${i + 1}`, seed: randomInt(0, 0xffffffff), version,
    }))),
    ...selected.map((fault): Task => ({ kind: 'fault', fault, version: versionOfFault.get(fault)! })),
  ].sort((a, b) => weight(a) - weight(b));

  let done = 0;
  const faultRows = new Map<string, FaultRow>();
  const cleanRows = new Map<string, CleanRow>();
  await runPool(tasks, jobs, async (task) => {
    let result: CucumberRunResult;
    if (task.kind === 'clean') {
      result = await runCucumber({
        label: task.label, dir: join(base, task.label), tags: profiles.get(task.version)!,
        env: { ...waits, LATTICE_VERSION: task.version, LATTICE_RANDOM_MESH_SEED: String(task.seed) }, timeoutMs: CLEAN_RUN_LIMIT_MS,
      });
      await stopTarget(result.simHome); // a no-op unless the run left its target running
      const row = classifyCleanRun(task.label, task.seed, result);
      cleanRows.set(task.label, row);
      process.stdout.write(`[${++done}/${tasks.length}] ${task.label}: ${row.verdict} (${row.passed}/${row.scenariosRun} passed, seed ${task.seed}, ${seconds(row.wallMs)})\n`);
    } else {
      const entry = FAULT_SCENARIOS[task.fault]!;
      result = await runCucumber({
        label: task.fault, dir: join(base, task.fault), tags: runTags(profiles.get(task.version)!, entry.tags), failFast: true,
        // Keep: the suite's teardown (~10 s a run) detects nothing; the whole target is stopped below instead.
        env: { ...waits, LATTICE_VERSION: task.version, LATTICE_SIM_FAULTS: task.fault, LATTICE_RANDOM_MESH_SEED: String(seed), LATTICE_E2E_KEEP: 'true' }, timeoutMs: FAULT_RUN_LIMIT_MS,
      });
      await stopTarget(result.simHome);
      const row = { ...classifyFaultRun(task.fault, entry.tags, entry.expectStep, result), version: task.version };
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
    ...versions.flatMap((v) => {
      const rows = fRows.filter((r) => r.version === v);
      const waiting = unmappedShown.filter((f) => versionOfFault.get(f) === v);
      return [
        ...(versions.length > 1 ? [`Lattice API ${v}:`] : []),
        ...(rows.length ? [renderFaultMatrix(rows)] : ['(no fault of this version selected)']),
        ...(waiting.length ? [`not yet mapped at ${v} (no scenario in scripts/faults/fault-scenarios.ts; not run, not counted): ${waiting.join(', ')}`] : []),
        '',
      ];
    }),
    ...(cRows.length ? [renderCleanRuns(cRows), ''] : []),
    ...(problems.length ? ['Catalogue cross-check with the target FAILED:', ...problems.map((p) => `  ${p}`), ''] : ['Catalogue: sim/FAULTS.md and the target list the same faults.', '']),
    `caught ${t.caught}/${fRows.length}` + (t.missed.length ? `; MISSED: ${t.missed.join(', ')}` : '') + (t.errors.length ? `; ERRORS: ${t.errors.join(', ')}` : '')
      + `; clean runs ${cRows.length - t.falseAlarms.length - t.cleanErrors.length}/${cRows.length}`
      + (t.falseAlarms.length ? `; FALSE ALARMS: ${t.falseAlarms.join(', ')}` : '') + (t.cleanErrors.length ? `; clean-run errors: ${t.cleanErrors.join(', ')}` : ''),
    `total ${seconds(elapsed)} with ${jobs} at a time (load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores)`,
  ].join('\n');
  process.stdout.write(`${report}\n`);
  await mkdir(reportsDir, { recursive: true });
  await writeFile(join(reportsDir, 'faults-matrix.txt'), `${report}\n`);
  await writeFile(join(reportsDir, 'faults-results.json'), `${JSON.stringify({ seed, waits, jobs, elapsedMs: elapsed, faults: fRows, clean: cRows, catalogueProblems: problems }, null, 2)}\n`);
  return exitCodeOf(t) || (problems.length ? 1 : 0);
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`faults: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
