import { After, AfterAll, Before, BeforeAll, Status, setDefaultTimeout, type ITestCaseHookParameter } from '@cucumber/cucumber';
import { join } from 'node:path';
import { describeConfig } from '../config/index.js';
import { collectDiagnostics } from '../diagnostics/collect.js';
import { SuiteError, oneLine } from '../errors.js';
import { loadClusterFixture } from '../fixtures/index.js';
import { BOOTSTRAP_CLUSTERS, teardownRun } from '../hierarchy/index.js';
import { currentRun, startRun } from '../run/run-context.js';
import { RunLog } from '../run/run-log.js';
import { scenarioSlug } from './scenario-slug.js';
import type { LatticeWorld } from './world.js';

// Real clusters take up to an hour per lifecycle; each wait below has its own, tighter timeout.
setDefaultTimeout(process.env.LATTICE_TARGET === 'real' ? 4 * 3_600_000 : 300_000);

let runLog: RunLog;

BeforeAll(async function () {
  runLog = new RunLog(join(process.cwd(), 'reports', 'run.log'));
  try {
    const run = await startRun(process.env, (l) => runLog.line(l));
    runLog.line(`run ${run.config.runId} started\n${describeConfig(run.config)}`);
    // What a killed earlier run left behind (same names would collide): sweep it first.
    const names = ['e2e-mgmt', 'e2e-workload', 'e2e-workload2', ...BOOTSTRAP_CLUSTERS];
    const provider = run.providerFor(loadClusterFixture(run.config.clusters.mgmt).provider);
    if (provider.canDestroyInfrastructure) {
      for (const line of await provider.sweep({ names })) { runLog.line(`start-up sweep: ${line}`); process.stderr.write(`start-up sweep: ${line}\n`); }
    }
  } catch (err) {
    if (err instanceof SuiteError) {
      process.stderr.write(`lattice-acceptance: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
});

Before(function (this: LatticeWorld, { pickle }: ITestCaseHookParameter) {
  this.scenarioName = pickle.name;
  this.scenarioSlug = scenarioSlug(pickle);
  const tags = pickle.tags.map((t) => t.name);
  this.family = tags.includes('@independence') ? 'independence' : tags.includes('@upgrade') ? 'upgrade' : 'lifecycle';
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
  if (result?.status === Status.FAILED) {
    const dir = join(process.cwd(), 'reports', 'diagnostics', this.scenarioSlug);
    try {
      const targets = run.clusters.all().map((c) => ({ role: c.role, name: c.name, ...(c.kubeconfigPath && c.state === 'live' ? { kubeconfigPath: c.kubeconfigPath } : {}) }));
      const d = await collectDiagnostics(targets, dir);
      this.attachText('diagnostics.txt', `${d.summary}\n\nfull dump: ${d.dir} (${d.files.length} files)`);
    } catch (err) {
      this.attachText('diagnostics.txt', `diagnostics could not be collected: ${oneLine(err)}`);
    }
  }
  if (run.config.keepResources) { this.note(`LATTICE_E2E_KEEP: leaving ${this.cleanup.size} scenario resources in place`); return; }
  const failures = await this.cleanup.runAll((l) => runLog.line(`${this.scenarioSlug}: ${l}`));
  if (failures.length) this.attachText('cleanup-failures.txt', failures.join('\n'));
});

AfterAll(async function () {
  let run;
  try { run = currentRun(); } catch { return; }
  const log = (l: string) => runLog.line(l);
  if (run.config.keepResources) {
    const live = run.clusters.liveLeafFirst();
    const lines = [
      `LATTICE_E2E_KEEP=true: kept ${live.length} cluster(s) of run ${run.config.runId}:`,
      ...live.map((c) => `  ${c.role} ${c.name}: KUBECONFIG=${c.kubeconfigPath ?? '(none)'}`),
      run.config.target === 'embedded'
        ? `remove them later with: LATTICE_SIM_HOME=${run.cliEnv.LATTICE_SIM_HOME} sim/bin/lattice-sim sweep && sim/bin/lattice-sim stop`
        : 'remove them later with: lattice uninstall -k <management kubeconfig> -n <name> -y (children first: delete their LatticeClusters)',
    ];
    for (const l of lines) { log(l); process.stderr.write(`${l}\n`); }
    return;
  }
  const failures = await teardownRun({ run, log });
  for (const f of failures) { log(`teardown: ${f}`); process.stderr.write(`teardown: ${f}\n`); }
  if (run.config.target === 'embedded') {
    for (const p of run.providers()) {
      const stop = (p as { stop?: () => Promise<void> }).stop;
      if (stop) await stop.call(p).catch((err: unknown) => log(`stopping the embedded target: ${oneLine(err)}`));
    }
  }
});
