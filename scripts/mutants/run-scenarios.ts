/**
 * The test command of `npm run mutants`, run by Stryker's command runner inside its sandbox (a copy
 * of the repository whose target sources carry every mutant, one switched on by the environment
 * variable __STRYKER_ACTIVE_MUTANT__): runs an area's scenarios on the sandbox's own target and
 * exits 0 when they pass (mutant survived), 1 when one fails (killed).
 *
 *   node --no-warnings --import ./scripts/faults/register.mjs scripts/mutants/run-scenarios.ts <area> [<version>]
 *
 * The scenarios run at the area's Lattice API version (areas.ts `version`; `<version>` when given, from
 * `npm run mutants -- --lattice-version`): LATTICE_VERSION and that version's default profile.
 *
 * The variable reaches the target because every process in between passes its environment on
 * (Cucumber → `lattice`/`lattice-sim` → the daemon, sim/src/daemon/client.ts spawnDaemon). A daemon
 * lives on after the run that started it (detached), so one from the previous mutant, or one a
 * Stryker timeout left behind, would serve this run with the previous mutant's code: the target's
 * home is stopped before and after every run, by a `lattice-sim` without the variable.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FAULT_RUN_WAITS } from '../faults/fault-waits.js';
import { profileTags, repoRoot, runCucumber } from '../faults/cucumber-run.js';
import { firstDetection } from '../faults/messages.js';
import { AreaError, areaNamed, mutantRunTags, mutantRunVersionEnv, type AreaVersion } from './areas.js';
import { VERSIONS } from '../../support/versions/tag-filter.mjs';
import { ACTIVE_MUTANT_ENV, RUNS_DIR_ENV, RUN_SEED, stopSimHome } from './target-home.js';

/** Hard limit of one run; Stryker's own timeout (dry-run time × factor + timeoutMS) is usually shorter. */
const RUN_LIMIT_MS = 8 * 60_000;

async function main(): Promise<number> {
  const name = process.argv[2];
  let area;
  try { area = areaNamed(name ?? ''); } catch (err) {
    if (err instanceof AreaError) { process.stderr.write(`mutants: ${err.message}\n`); return 2; }
    throw err;
  }
  const version = process.argv[3] ?? area.version;
  if (!VERSIONS.includes(version)) { process.stderr.write(`mutants: unknown Lattice API version "${version}"; use ${VERSIONS.join(' or ')}\n`); return 2; }
  area = { ...area, version: version as AreaVersion };
  const mutant = process.env[ACTIVE_MUTANT_ENV];
  // One folder per sandbox (Stryker runs one mutant at a time in each), outside the sandbox so a
  // daemon left behind can still be found and stopped after Stryker removes the sandbox.
  const runsDir = process.env[RUNS_DIR_ENV] || join(repoRoot, '.tmp', 'mutants', 'runs');
  const dir = join(runsDir, basename(repoRoot));
  await stopSimHome(join(dir, 'sim'));
  const run = await runCucumber({
    label: `${area.name} mutant ${mutant ?? 'none'}`,
    dir,
    // The area's version: its profile filter (that version's scenarios only) and LATTICE_VERSION, so the
    // suite speaks it and asks the target for it at install (runCucumber drops the caller's own).
    tags: mutantRunTags(await profileTags('default', repoRoot, area.version), area),
    // The sandbox's own transpile cache (sim/bin/ts-hooks.mjs), even when the caller's shell names another.
    env: { ...FAULT_RUN_WAITS, ...mutantRunVersionEnv(area), LATTICE_RANDOM_MESH_SEED: String(RUN_SEED), LATTICE_SIM_TS_CACHE: join(repoRoot, '.cache', 'sim-ts') },
    failFast: true,
    timeoutMs: RUN_LIMIT_MS,
  });
  const stopped = await stopSimHome(run.simHome);
  const scenarios = run.outcome?.scenarios ?? [];
  const passed = run.exitCode === 0 && scenarios.length > 0 && scenarios.every((s) => s.status === 'PASSED');
  const hit = firstDetection(run.outcome ?? { scenarios: [], runHookFailures: [] });
  const record = {
    area: area.name, version: area.version, mutant: mutant ?? null, sandbox: basename(repoRoot), passed, exitCode: run.exitCode, timedOut: run.timedOut,
    wallMs: run.wallMs, scenarios: scenarios.length,
    ...(hit ? { scenario: hit.scenario ? `${hit.scenario.uri.replace(/^.*?(?=features\/)/, '')}:${hit.scenario.line}` : undefined, step: hit.step, firstLine: hit.firstLine } : {}),
    ...(passed || hit ? {} : { stderrTail: run.stderrTail.split('\n').slice(-3).join(' | ') }),
    ...(stopped.problem ? { stopProblem: stopped.problem } : {}),
  };
  // One line per run: which scenario and step killed which mutant, and how long it took.
  await mkdir(runsDir, { recursive: true });
  await appendFile(join(runsDir, 'runs.ndjson'), `${JSON.stringify(record)}\n`);
  process.stdout.write(`${passed ? 'passed' : 'failed'}: ${record.scenario ?? ''} ${record.step ?? ''} (${Math.round(run.wallMs / 100) / 10} s)\n`);
  return passed ? 0 : 1;
}

main().then((code) => process.exit(code), async (err: unknown) => {
  process.stderr.write(`mutants: ${(err as Error)?.stack ?? String(err)}\n`);
  // Counted as killed by Stryker (exit 1), so it must show up as a harness failure in the summary.
  const runsDir = process.env[RUNS_DIR_ENV] || join(repoRoot, '.tmp', 'mutants', 'runs');
  const record = { area: process.argv[2], mutant: process.env[ACTIVE_MUTANT_ENV] ?? null, passed: false, wallMs: 0, stderrTail: String((err as Error)?.message ?? err).split('\n')[0] };
  try { await mkdir(runsDir, { recursive: true }); await appendFile(join(runsDir, 'runs.ndjson'), `${JSON.stringify(record)}\n`); } catch { /* the stderr line above remains */ }
  process.exit(1);
});
