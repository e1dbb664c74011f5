#!/usr/bin/env node
// `npm test`: every check of the project, in order, each stage's output streamed.
// Ends with one totals line so CI can read how many tests ran.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The e2e and the fault matrix run at both Lattice API versions (issue 15), each version on target
// homes and fault folders of its own so the two can run side by side. LATTICE_TEST_VERSIONS=2026-04
// (comma-separated) narrows them, e.g. to reproduce one version's stage.
const KNOWN_VERSIONS = ['2026-04', '2026-01'];
const VERSIONS = (process.env.LATTICE_TEST_VERSIONS?.trim() || KNOWN_VERSIONS.join(',')).split(',').map((v) => v.trim()).filter(Boolean);
const unknownVersion = VERSIONS.find((v) => !KNOWN_VERSIONS.includes(v));
if (unknownVersion !== undefined || VERSIONS.length === 0) {
  process.stderr.write(`npm test: LATTICE_TEST_VERSIONS names ${unknownVersion === undefined ? 'no version' : `an unknown Lattice API version "${unknownVersion}"`}; use a comma-separated list of ${KNOWN_VERSIONS.join(', ')} (unset means both)\n`);
  process.exit(2);
}
const e2eStage = (version) => ({
  name: `e2e ${version} (all providers, embedded target)`, cmd: ['npx', 'cucumber-js', '--profile', 'all-providers'], when: hasFeatures,
  // A target home of its own: a developer's \`npm run e2e\` on the default home must not make this stage refuse.
  env: { LATTICE_VERSION: version, LATTICE_SIM_HOME: join(process.cwd(), '.tmp', `sim-npm-test-${version}`), LATTICE_E2E_REPORTS_DIR: join('reports', `e2e-${version}`) },
});
// Proof the suite catches the target's seeded regressions of that version, plus one clean run for
// false alarms (the e2e stage of the same version is the second clean run). One run at a time: each
// matrix runs beside the other version's stages.
const faultsStage = (version) => ({
  name: `faults ${version}`, cmd: ['npm', 'run', '--silent', 'faults', '--', '--lattice-version', version, '--clean', '1', '--jobs', '1'], when: hasFeatures,
  env: { LATTICE_FAULTS_DIR: join(process.cwd(), '.tmp', `faults-${version}`), LATTICE_FAULTS_REPORTS_DIR: join('reports', `faults-${version}`) },
});
// Lanes of one group run side by side (the stages of a lane one after the other), lines prefixed
// with the stage's name. Measured (2 cores): 2026-04 matrix ~560 s at --clean 1 --jobs 1, 2026-01
// ~410 s; e2e all providers 2026-04 164 s, 2026-01 72 s: so each matrix shares a lane with the
// other version's e2e, and the longest lane is ~630 s.
const together = (name, lanes) => ({ name, group: lanes });

const hasTests = (dir) => existsSync(dir) && readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.test.ts'));
const hasFeatures = () => existsSync('features') && readdirSync('features').some((f) => f.endsWith('.feature'));

const [newest, ...older] = VERSIONS;
const lanes = newest === undefined ? [] : [
  [faultsStage(newest), ...older.map(e2eStage)],
  [e2eStage(newest), ...older.map(faultsStage)],
];

const stages = [
  { name: 'typecheck', cmd: ['npx', 'tsc', '--noEmit', '-p', 'tsconfig.json'] },
  { name: 'lint', cmd: ['npx', 'eslint', '.'] },
  { name: 'unit', cmd: ['node', 'scripts/run-node-tests.mjs', 'test/unit'], when: () => hasTests('test/unit') },
  { name: 'docker', cmd: ['node', 'scripts/run-node-tests.mjs', 'test/docker'], when: () => hasTests('test/docker') },
  { name: 'sim', cmd: ['node', 'scripts/run-node-tests.mjs', '--register=sim/register.mjs', 'sim/test'], when: () => hasTests('sim/test') },
  { name: 'integration', cmd: ['node', 'scripts/run-node-tests.mjs', 'test/integration'], when: () => hasTests('test/integration') },
  { name: 'e2e:dry', cmd: ['node', 'scripts/e2e-dry.mjs'] },
  together('e2e and faults', lanes),
  ...(process.env.LATTICE_TEST_EXTRA_STAGES ? JSON.parse(process.env.LATTICE_TEST_EXTRA_STAGES) : []),
];

const only = process.env.LATTICE_TEST_STAGES?.split(',').map((s) => s.trim());
let passed = 0; let failed = 0; const failedStages = [];

/** Writes `d` to `stream`, each line prefixed when the stage runs beside others. */
function relay(stream, prefix, d, rest) {
  if (!prefix) { stream.write(d); return ''; }
  const lines = (rest + d).split('\n');
  const tail = lines.pop();
  for (const l of lines) stream.write(`${prefix}${l}\n`);
  return tail;
}

function run(stage, prefix = '') {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n=== ${stage.name} ===`);
    const child = spawn(stage.cmd[0], stage.cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...stage.env } });
    let out = ''; let restOut = ''; let restErr = '';
    child.stdout.on('data', (d) => { out += d; restOut = relay(process.stdout, prefix, String(d), restOut); });
    child.stderr.on('data', (d) => { restErr = relay(process.stderr, prefix, String(d), restErr); });
    child.on('close', (code) => {
      if (restOut) process.stdout.write(`${prefix}${restOut}\n`);
      if (restErr) process.stderr.write(`${prefix}${restErr}\n`);
      // Count tests: node's runner prints "# pass N" / "# fail N"; cucumber "N scenarios (...)".
      const np = out.match(/^# pass (\d+)$/m); const nf = out.match(/^# fail (\d+)$/m);
      if (np) passed += Number(np[1]);
      if (nf) failed += Number(nf[1]);
      const sc = out.match(/^(\d+) scenarios? \(([^)]*)\)$/m);
      if (sc && !stage.name.startsWith('e2e:dry')) {
        // Count what Cucumber says passed and what did not pass (failed, undefined, ambiguous...),
        // never skipped scenarios: CI runs none, and a dry run skips all by design.
        for (const part of sc[2].split(',').map((x) => x.trim())) {
          const m = part.match(/^(\d+) (\w+)$/);
          if (!m) continue;
          if (m[2] === 'passed') passed += Number(m[1]);
          else if (m[2] !== 'skipped') failed += Number(m[1]);
        }
      }
      // The fault matrix: each fault caught and each clean run counts as one test.
      const fm = out.match(/^caught (\d+)\/(\d+);.*clean runs (\d+)\/(\d+)/m);
      if (fm) {
        const [caught, faults, clean, cleanRuns] = fm.slice(1).map(Number);
        passed += caught + clean;
        failed += faults - caught + cleanRuns - clean;
      }
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`=== ${stage.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${secs}s ===`);
      if (code !== 0) failedStages.push(stage.name);
      resolve();
    });
  });
}

const wanted = (stage) => !only || only.includes(stage.name);
for (const stage of stages) {
  if (stage.group) {
    const inGroup = only?.includes(stage.name) ?? false;
    const laneStages = stage.group.map((lane) => lane.filter((m) => inGroup || wanted(m)));
    const side = laneStages.filter((l) => l.length).length > 1;
    const started = Date.now();
    await Promise.all(laneStages.map(async (lane) => {
      for (const m of lane) {
        if (m.when && !m.when()) { console.log(`\n=== ${m.name}: nothing to run yet ===`); continue; }
        await run(m, side ? `[${m.name.split(' (')[0]}] ` : '');
      }
    }));
    if (side) console.log(`=== ${stage.name} (lanes side by side): ${((Date.now() - started) / 1000).toFixed(1)}s ===`);
    continue;
  }
  if (!wanted(stage)) continue;
  if (stage.when && !stage.when()) { console.log(`\n=== ${stage.name}: nothing to run yet ===`); continue; }
  await run(stage);
}
if (failedStages.length) console.log(`\nfailed stages: ${failedStages.join(', ')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failedStages.length ? 1 : 0);
