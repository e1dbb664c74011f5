import { After, AfterAll, Before, BeforeAll, BeforeStep, Status, setDefaultTimeout, type ITestCaseHookParameter } from '@cucumber/cucumber';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeConfig } from '../config/index.js';
import { collectDiagnostics } from '../diagnostics/collect.js';
import { SuiteError, oneLine } from '../errors.js';
import { teardownRun } from '../hierarchy/index.js';
import { handleInterrupts } from '../run/interrupt.js';
import { describeKeptRun } from '../run/keep-notice.js';
import { findMarkedProcesses, killMarkedProcesses, markKept, removeRunFiles } from '../run/leftovers.js';
import { preflight } from '../run/preflight.js';
import { reportsDir } from '../run/reports-dir.js';
import { currentRun, startRun, type RunContext } from '../run/run-context.js';
import { RunLog } from '../run/run-log.js';
import { sweepAtStart } from '../run/start-sweep.js';
import { redact } from '../redact.js';
import { describeIdentity, runIdentity, writeIdentity } from '../report/run-identity.js';
import { cliVersion } from '../lattice-cli/index.js';
import { attemptFolder } from '../diagnostics/attempt-folder.js';
import { checkProfile } from './profile.js';
import { describeLeftOut, runsAt, scenariosLeftOut, versionTags } from '../versions/left-out.js';
import { scenarioSlug } from './scenario-slug.js';
import type { LatticeWorld } from './world.js';

// Real clusters take up to an hour per lifecycle; each wait below has its own, tighter timeout.
setDefaultTimeout(process.env.LATTICE_TARGET === 'real' ? 4 * 3_600_000 : 300_000);

const REPORTS = reportsDir();
let runLog: RunLog | undefined;
/** What scenarios left in place under LATTICE_E2E_KEEP, for the closing notice. */
const keptScenarioResources: string[] = [];

/** A line for the person at the terminal and the run log. */
function tell(line: string): void {
  runLog?.line(line);
  process.stderr.write(`lattice-acceptance: ${redact(line)}\n`);
}

// Installed when Cucumber loads the support code, before any hook runs.
const interrupt = handleInterrupts({
  onFirst: (sig) => tell(`${sig} received: finishing the current step, skipping the remaining scenarios, cleaning up and writing the reports (send ${sig} again to exit at once without cleanup)`),
  onSecond: (sig) => tell(`second ${sig}: exiting now without cleanup; the next run's start-up sweep removes what is left`),
});

BeforeAll(async function (this: { parameters?: { profile?: string } }) {
  // Diagnostics are this run's alone: an earlier run's folders would be read (and uploaded) as its.
  rmSync(join(REPORTS, 'diagnostics'), { recursive: true, force: true });
  runLog = new RunLog(join(REPORTS, 'run.log'), false, true);
  const log = (l: string) => runLog!.line(l);
  try {
    const run = await startRun(process.env, log, interrupt.signal);
    const profile = this.parameters?.profile;
    // Who this run is (the Lattice image, the CLI and its version): first in the run log, on the
    // console and at the top of the HTML report.
    const version = await cliVersion(run.config.latticeCli);
    const identity = runIdentity({ config: run.config, env: process.env, versionHow: run.versionHow, ...(profile ? { profile } : {}), ...(version ? { cliVersion: version } : {}) });
    writeIdentity(REPORTS, identity);
    run.identity = identity;
    log(`identity: ${describeIdentity(identity)}`);
    process.stdout.write(`lattice-acceptance: ${redact(describeIdentity(identity))}\n`);
    log(`run ${run.config.runId} started (pid ${process.pid})\n${describeConfig(run.config)}`);
    log(checkProfile(profile, run.config.target, process.env));
    for (const line of await preflight(run.config)) log(`preflight: ${line}`);
    // What a killed earlier run left behind (same names would collide): sweep it first.
    for (const line of await sweepAtStart(run)) tell(`start-up sweep: ${line}`);
    // Scenarios of another Lattice API version are not run (cucumber.js filters them by tag): say which,
    // on stdout (stderr carries only a refused input's one line) and in the run log.
    for (const line of describeLeftOut(scenariosLeftOut(join(run.config.repoRoot, 'features'), run.config.repoRoot, run.version), run.version)) {
      log(line);
      process.stdout.write(`lattice-acceptance: ${line}\n`);
    }
  } catch (err) {
    // Bad input gets one line and exit code 2, never a stack; the stack of a bug goes to the run log.
    if (err instanceof SuiteError) {
      log(`start-up failed: ${err.message}`);
      process.stderr.write(`lattice-acceptance: ${redact(err.message.split('\n')[0]!)}\n`);
    } else {
      log(`start-up failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      process.stderr.write(`lattice-acceptance: start-up failed: ${redact(oneLine(err))} (details in ${runLog!.path})\n`);
    }
    // The run made nothing yet but its work folder: leave no trace of it.
    try { removeRunFiles(currentRun().config.workDir); } catch { /* the run context was never made */ }
    process.exit(2);
  }
});

Before(function (this: LatticeWorld, { pickle }: ITestCaseHookParameter) {
  this.scenarioName = pickle.name;
  this.scenarioSlug = scenarioSlug(pickle);
  if (interrupt.interruptedBy) {
    this.note(`skipped: the run was interrupted by ${interrupt.interruptedBy}`);
    runLog?.line(`scenario skipped (interrupted): ${pickle.name}`);
    return 'skipped';
  }
  const tags = pickle.tags.map((t) => t.name);
  // The tag filter follows LATTICE_VERSION; a real target's CLI may tell another version.
  if (!runsAt(tags, this.run.version)) {
    this.note(`skipped: this scenario states a promise of Lattice API ${versionTags(tags).join(', ')} and later; the run speaks ${this.run.version}`);
    runLog?.line(`scenario skipped (Lattice API ${this.run.version}): ${pickle.name}`);
    return 'skipped';
  }
  runLog?.line(`scenario started: ${pickle.name}`);
  this.family = tags.includes('@independence') ? 'independence' : tags.includes('@upgrade') ? 'upgrade' : 'lifecycle';
  return undefined;
});

// An interrupted scenario stops before its next step (a step already running ends when its waits
// see the run's signal): it fails, saying why, and its cleanup runs.
BeforeStep(function () {
  if (interrupt.interruptedBy) throw new SuiteError(`the run was interrupted by ${interrupt.interruptedBy} before this step`);
});

// Mesh, random mesh and media scenarios follow the spec's switch.
Before({ tags: '@mesh or @media or @random-mesh' }, function (this: LatticeWorld) {
  if (!this.run.config.enableMeshTest) {
    this.note('LATTICE_ENABLE_MESH_TEST is off: mesh and media scenarios are skipped');
    return 'skipped';
  }
  return undefined;
});

After(async function (this: LatticeWorld, { result }: ITestCaseHookParameter) {
  const run = currentRun();
  runLog?.line(`scenario ended (${result?.status ?? 'unknown'}): ${this.scenarioName}`);
  if (interrupt.interruptedBy) this.note(`the run was interrupted by ${interrupt.interruptedBy}; cleaning up`);
  if (result?.status === Status.FAILED && interrupt.interruptedBy) {
    this.note('no diagnostics: the scenario failed because the run was interrupted');
  } else if (result?.status === Status.FAILED) {
    // One folder per attempt: a --retry must not overwrite the first attempt's evidence.
    const folder = attemptFolder(join(REPORTS, 'diagnostics'), this.scenarioSlug);
    try {
      const targets = run.clusters.all().map((c) => ({ role: c.role, name: c.name, ...(c.kubeconfigPath && c.state === 'live' ? { kubeconfigPath: c.kubeconfigPath } : {}) }));
      const d = await collectDiagnostics(targets, folder.path);
      this.attachText('diagnostics.txt', `${d.summary}\n\nfull dump: ${folder.relative} (${d.files.length} files, relative to the reports folder)`);
      this.link(`${folder.relative}/index.html`);
    } catch (err) {
      this.attachText('diagnostics.txt', `diagnostics could not be collected: ${oneLine(err)}`);
    }
  }
  if (run.config.keepResources) {
    this.note(`LATTICE_E2E_KEEP: leaving ${this.cleanup.size} scenario resources in place`);
    keptScenarioResources.push(...this.cleanup.labels());
    return;
  }
  const failures = await this.cleanup.runAll((l) => runLog?.line(`${this.scenarioSlug}: ${l}`));
  if (failures.length) this.attachText('cleanup-failures.txt', failures.join('\n'));
});

AfterAll(async function () {
  let run: RunContext;
  try { run = currentRun(); } catch { return; }
  const log = (l: string) => runLog?.line(l);
  if (interrupt.interruptedBy) log(`interrupted by ${interrupt.interruptedBy}: tearing down what the run made`);
  if (run.config.keepResources) {
    markKept(run.config.workDir);
    const lines = describeKeptRun({
      runId: run.config.runId, target: run.config.target, repoRoot: run.config.repoRoot, workDir: run.config.workDir,
      ...(run.cliEnv.LATTICE_SIM_HOME ? { simHome: run.cliEnv.LATTICE_SIM_HOME } : {}),
      clusters: run.clusters.liveLeafFirst(), scenarioResources: keptScenarioResources,
    });
    for (const l of lines) tell(l);
    return;
  }
  const failures = await teardownRun({ run, log: (l) => log(l) });
  for (const f of failures) tell(`teardown: ${f}`);
  for (const p of run.providers()) {
    if (p.stop) await p.stop().catch((err: unknown) => tell(`stopping the ${p.name} target: ${oneLine(err)}`));
  }
  // Anything this run started that is still running (a CLI call cut short) goes too.
  for (const l of killMarkedProcesses(findMarkedProcesses([run.config.runId]))) tell(`leftover: ${l}`);
  // Kubeconfigs reach clusters that are gone now, and hold their credentials.
  try {
    for (const l of removeRunFiles(run.config.workDir)) log(`cleanup: ${l}`);
  } catch (err) {
    tell(`cleanup of ${run.config.workDir}: ${oneLine(err)}`);
  }
  log(`run ${run.config.runId} ended${interrupt.interruptedBy ? ` (interrupted by ${interrupt.interruptedBy})` : ''}`);
});
