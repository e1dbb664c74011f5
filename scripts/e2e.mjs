#!/usr/bin/env node
// `npm run e2e [-- cucumber args]`: runs the features (default profile: the embedded Lattice
// target) on the terminal (Cucumber's output is not piped: colours and progress bars work) and says
// where the reports are.
// - Bad input (unknown profile, tag syntax, --parallel, a cloud profile on the embedded target, an
//   unusable reports folder) is one line and exit 2 before Cucumber starts.
// - Ctrl-C/SIGTERM/SIGHUP are passed to Cucumber once: its hooks skip the remaining scenarios, clean
//   up and let the reports be written; a second signal makes it exit at once. If it has not stopped
//   within the grace period, it and every process under it are killed.
// - If `npm` itself is killed (CI cancel, `timeout`), npm does not pass the signal on and this
//   script is orphaned: that counts as SIGTERM too.
// - A report Cucumber never finished (killed run) is rebuilt from the message stream, or not announced.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkArgs, readArgs } from '../support/cucumber/cli-guard.mjs';
import { VERSIONS, versionOf } from '../support/versions/tag-filter.mjs';

const REPO = resolve(dirname(new URL(import.meta.url).pathname), '..');
const say = (line) => process.stderr.write(`lattice-acceptance: ${line}\n`);
const fail = (line) => { say(line); process.exit(2); };

// `--lattice-version <v>` (ours, not Cucumber's): the Lattice API version of the run, passed on as
// LATTICE_VERSION (the hooks, cucumber.js's tag filter and the embedded target's install read it).
const args = [];
let versionFlag;
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--lattice-version' || a.startsWith('--lattice-version=')) {
    versionFlag = a.includes('=') ? a.slice(a.indexOf('=') + 1) : process.argv[++i];
    if (!versionFlag || !VERSIONS.includes(versionFlag)) fail(`--lattice-version ${versionFlag === undefined ? 'needs a value' : `${JSON.stringify(versionFlag)} is not a Lattice API version`}; use ${VERSIONS.join(' or ')}`);
  } else args.push(a);
}
const envVersion = process.env.LATTICE_VERSION?.trim();
if (versionFlag && envVersion && envVersion !== versionFlag) fail(`--lattice-version ${versionFlag} and LATTICE_VERSION=${envVersion} disagree; give one of them`);
if (versionFlag) process.env.LATTICE_VERSION = versionFlag;

// Profiles come from the config file (which also picks the run's random-mesh seed into this
// process's environment, so Cucumber inherits the same one).
const configFile = readArgs(args).config ?? 'cucumber.js';
let profiles;
try {
  const mod = await import(pathToFileURL(resolve(configFile)).href);
  profiles = Object.keys(mod);
} catch (err) {
  fail(`cannot read the profiles in ${configFile} (${String(err?.message ?? err).split('\n')[0]}); run from the repository root`);
}
const problems = checkArgs(args, profiles);
if (problems.length) fail(problems[0]);

// The reports folder must be a folder this user can write, before Cucumber opens its files there.
const reports = (() => { const d = process.env.LATTICE_E2E_REPORTS_DIR?.trim() || 'reports'; return isAbsolute(d) ? d : resolve(d); })();
try {
  if (existsSync(reports) && !statSync(reports).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  // One level at a time: a recursive mkdir under /proc retries forever instead of failing.
  const missing = [];
  for (let d = reports; !existsSync(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) mkdirSync(d);
  const probe = join(reports, `.write-probe-${process.pid}`);
  writeFileSync(probe, '');
  rmSync(probe);
  accessSync(reports, constants.W_OK);
} catch (err) {
  fail(`reports folder ${reports} cannot be used (${err.code ?? String(err.message).split('\n')[0]}); set LATTICE_E2E_REPORTS_DIR to a writable folder`);
}
// Last run's reports would be announced as this run's if this one dies before writing them.
for (const f of ['cucumber.html', 'cucumber.json', 'cucumber.xml', 'cucumber.ndjson', 'run-identity.json']) rmSync(join(reports, f), { force: true });

// How long Cucumber may take to clean up after the first signal before it is killed: the embedded
// target tears down in seconds; a real cloud's clusters take minutes to delete. A CI that kills a
// cancelled job sooner sets LATTICE_E2E_STOP_GRACE (seconds) below its own limit.
const graceText = process.env.LATTICE_E2E_STOP_GRACE?.trim();
if (graceText && !/^\d+$/.test(graceText)) fail(`LATTICE_E2E_STOP_GRACE=${JSON.stringify(graceText)} is not a whole number of seconds; set e.g. 60 or unset it`);
const GRACE_MS = graceText ? Number(graceText) * 1000 : process.env.LATTICE_TARGET?.trim() === 'real' ? 20 * 60_000 : 90_000;
// A tag expression chooses from every provider's examples (`--tags @aws` means the AWS rows on the
// embedded target): the default profile's provider filter would otherwise AND it down to nothing.
const wanted = readArgs(args);
const runArgs = wanted.tags.length && wanted.profiles.length === 0 ? ['--profile', 'all-providers', ...args] : args;

// Something on the console at once: Cucumber takes seconds to load the TypeScript step definitions
// before the hooks print the run's full identity.
const target = process.env.LATTICE_TARGET?.trim() === 'real' ? 'real' : 'embedded';
const profileShown = wanted.profiles.at(-1) ?? (runArgs !== args ? 'all-providers' : 'default');
// stdout: stderr carries only the one line of a refused input.
console.log(`lattice-acceptance: starting: ${target} target, Lattice API ${versionOf()}${process.env.LATTICE_VERSION?.trim() ? '' : ' (default)'}, profile ${profileShown}, seed ${process.env.LATTICE_RANDOM_MESH_SEED}, reports in ${reports}; loading the step definitions...`);

// Cucumber's own entry point, without npx (which would forward signals a second time).
const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js');
const child = spawn(process.execPath, [bin, ...runArgs], { stdio: 'inherit' });

let firstSignal;
let killedAfterGrace = false;

/** Every process under `pid` (children first found, then theirs), from `ps`. */
function processTree(pid) {
  const r = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const rows = (r.stdout ?? '').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const out = [];
  let frontier = [pid];
  while (frontier.length) {
    const kids = rows.filter(([, ppid]) => frontier.includes(ppid)).map(([p]) => p);
    out.push(...kids);
    frontier = kids;
  }
  return out;
}

function stopAll() {
  killedAfterGrace = true;
  say(`Cucumber did not stop within ${GRACE_MS / 1000} s of ${firstSignal}: killing it and the processes under it (the next run's start-up sweep removes what they made)`);
  for (const p of [...processTree(child.pid).reverse(), child.pid]) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
}

// Ctrl-C reaches Cucumber directly (same process group) and again through `npm run` and this
// script; Cucumber treats signals close together as one. Forward each kind at most once per second.
const lastSent = new Map();
function forward(sig) {
  const now = Date.now();
  if (now - (lastSent.get(sig) ?? 0) < 1000) return;
  lastSent.set(sig, now);
  if (!firstSignal) {
    firstSignal = sig;
    setTimeout(stopAll, GRACE_MS).unref();
  }
  try { child.kill(sig); } catch { /* already gone */ }
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => forward(sig === 'SIGHUP' ? 'SIGTERM' : sig));

// npm dies on SIGTERM without passing it on; its child shell goes too and this script is adopted.
// There is no event for that, so the parent pid is checked twice a second.
const parent = process.ppid;
const orphanWatch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(orphanWatch);
  say(`the parent process (${parent}) is gone (npm was killed?): stopping the run as on SIGTERM`);
  forward('SIGTERM');
}, 500);
orphanWatch.unref();

/** The ndjson's test cases: 0 means the selection was empty. */
function scenariosRun(ndjson) {
  try { return (readFileSync(ndjson, 'utf8').match(/"testCaseStarted":/g) ?? []).length; } catch { return undefined; }
}

const nonEmpty = (p) => { try { return statSync(p).size > 0; } catch { return false; } };

/** Rebuilds html/JUnit from the messages of a run Cucumber did not finish; returns lines to print. */
async function rebuildUnfinished() {
  const html = join(reports, 'cucumber.html'); const junit = join(reports, 'cucumber.xml'); const json = join(reports, 'cucumber.json');
  const lines = [];
  if (!nonEmpty(json) && existsSync(json)) { rmSync(json); lines.push('JSON report: not written (Cucumber was stopped before the end); the messages hold the run'); }
  if (nonEmpty(html) && nonEmpty(junit)) return lines;
  if (!nonEmpty(join(reports, 'cucumber.ndjson'))) { for (const f of [html, junit]) rmSync(f, { force: true }); return [...lines, 'no report: Cucumber wrote no messages']; }
  try {
    register('ts-node/esm', pathToFileURL(`${REPO}/`));
    const { rebuildReports } = await import(pathToFileURL(join(REPO, 'support', 'report', 'rebuild.ts')).href);
    await rebuildReports([reports], reports);
    lines.push('HTML and JUnit reports rebuilt from the messages (cucumber.ndjson) of the unfinished run');
  } catch (err) {
    for (const f of [html, junit]) if (!nonEmpty(f)) rmSync(f, { force: true });
    lines.push(`the HTML/JUnit reports could not be rebuilt from the messages: ${String(err?.message ?? err).split('\n')[0]}`);
  }
  return lines;
}

child.on('close', async (code, signal) => {
  clearInterval(orphanWatch);
  // A signal's conventional exit status (SIGKILL 137, SIGTERM 143, SIGINT 130).
  const exit = code ?? 128 + (osConstants.signals[signal] ?? 0);
  if (signal) say(`Cucumber was ${killedAfterGrace ? 'killed after the grace period' : `killed by ${signal}`}; exit ${exit}`);
  if (code === 2 && !signal) process.exit(2); // bad input: the one line has been printed
  for (const l of await rebuildUnfinished()) say(l);
  if (code === 0 && scenariosRun(join(reports, 'cucumber.ndjson')) === 0) {
    say(`no scenario matches ${runArgs.join(' ') || 'the default profile'}; check the tag expression (tags: see README)`);
    process.exit(1);
  }
  const shown = [['HTML report', 'cucumber.html'], ['JUnit', 'cucumber.xml'], ['JSON', 'cucumber.json'], ['messages', 'cucumber.ndjson'], ['run log', 'run.log']]
    .filter(([, f]) => nonEmpty(join(reports, f)));
  if (shown.length) {
    console.log(`\n${shown[0][0]}: ${join(reports, shown[0][1])}`);
    if (shown.length > 1) console.log(shown.slice(1).map(([what, f]) => `${what}: ${join(reports, f)}`).join('  '));
  }
  process.exit(exit);
});
