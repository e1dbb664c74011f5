/**
 * `npm run soak -- --runs N`: runs the default profile N times against the embedded target, each
 * with a fresh random-mesh seed (printed, to replay a failure), and after each run looks for what
 * it left behind. Exits non-zero on any failed run or any leftover.
 */
import { randomInt } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { profileTags, repoRoot, runCucumber, runPool, stopTarget } from './cucumber-run.js';
import { describeLeftovers, findLeftovers, isClean, type Leftovers } from './leftovers.js';
import { classifyCleanRun, seconds, truncate, type CleanRow } from './matrix.js';
import { argHelpers } from './cli-args.js';

const RUN_LIMIT_MS = 15 * 60_000;
const USAGE = `usage: npm run soak -- --runs N [--jobs N]
  --runs N   default-profile runs, each with a fresh LATTICE_RANDOM_MESH_SEED (default 3)
  --jobs N   runs side by side (default 1; each run has its own target, reports and work dir)`;

const { fail: failWith, wholeNumber } = argHelpers('soak', USAGE);
// A declared `never` function, so TypeScript narrows after a call to it.
function fail(message: string): never { return failWith(message); }

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { runs: { type: 'string' }, jobs: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (err) { fail((err as Error).message); }
  if (args.help) { process.stdout.write(`${USAGE}\n`); return 0; }
  const runs = wholeNumber('runs', args.runs, 3, 1, 1000);
  const jobs = wholeNumber('jobs', args.jobs, 1, 1, 4);
  const tags = await profileTags('default');
  const base = join(repoRoot, '.tmp', 'soak');
  await mkdir(base, { recursive: true });
  const t0 = Date.now();
  process.stdout.write(`soak: ${runs} run(s) of the default profile (${tags}), ${jobs} at a time; folders ${base}/run-<n>/\n`);

  const seeds = Array.from({ length: runs }, () => randomInt(0, 0xffffffff));
  const results: Array<{ row: CleanRow; leftovers: Leftovers }> = await runPool(seeds, jobs, async (seed, i) => {
    const label = `run-${i + 1}`;
    process.stdout.write(`[${label}] start, LATTICE_RANDOM_MESH_SEED=${seed}\n`);
    const r = await runCucumber({ label, dir: join(base, label), tags, env: { LATTICE_RANDOM_MESH_SEED: String(seed) }, timeoutMs: RUN_LIMIT_MS });
    const row = classifyCleanRun(label, seed, r);
    const leftovers = await findLeftovers(r);
    // Reported above; now leave the machine as the next run expects it: the target's own stop, then
    // any process still living in this run's folders (started by this run, ended by pid).
    if (leftovers.daemon !== undefined || leftovers.clusters.length) await stopTarget(r.simHome);
    for (const p of leftovers.processes) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* already gone */ } }
    const failure = row.failures[0];
    process.stdout.write(`[${label}] ${row.verdict === 'clean' ? 'passed' : row.verdict.toUpperCase()} ${row.passed}/${row.scenariosRun} in ${seconds(row.wallMs)}`
      + (failure ? `; first failure: ${truncate(`${failure.scenario} › ${failure.step}: ${failure.firstLine}`, 220)}` : '')
      + (row.note ? `; ${row.note}` : '')
      + `; leftovers: ${describeLeftovers(leftovers)}\n`);
    return { row, leftovers };
  });

  const passed = results.filter((r) => r.row.verdict === 'clean').length;
  const dirty = results.filter((r) => !isClean(r.leftovers));
  const lines = [
    '',
    `soak: ${passed}/${runs} runs passed; ${runs - dirty.length}/${runs} left nothing behind; ${seconds(Date.now() - t0)} in all`,
    ...results.filter((r) => r.row.verdict !== 'clean').map((r) => `  FAILED ${r.row.label} (LATTICE_RANDOM_MESH_SEED=${r.row.seed}): ${r.row.failures[0] ? truncate(`${r.row.failures[0].scenario} › ${r.row.failures[0].step}: ${r.row.failures[0].firstLine}`, 220) : r.row.note ?? ''}`),
    ...dirty.map((r) => `  LEFTOVERS ${r.row.label}: ${describeLeftovers(r.leftovers, 20)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await mkdir(join(repoRoot, 'reports'), { recursive: true });
  await writeFile(join(repoRoot, 'reports', 'soak-results.json'), `${JSON.stringify({ runs, jobs, elapsedMs: Date.now() - t0, results }, null, 2)}\n`);
  return passed === runs && dirty.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`soak: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
