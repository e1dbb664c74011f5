#!/usr/bin/env node
// `npm run e2e [-- cucumber args]`: runs the features (default profile: the embedded Lattice
// target) and says where the reports are. An unknown --profile is one line (Cucumber would print a
// stack). Ctrl-C/SIGTERM are passed to Cucumber once: its hooks skip the remaining scenarios,
// clean up and let the reports be written; a second signal makes it exit at once.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const fail = (line) => { process.stderr.write(`lattice-acceptance: ${line}\n`); process.exit(2); };

// Profiles named with -p/--profile must exist in cucumber.js.
const wanted = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '-p' || a === '--profile') {
    if (args[i + 1] === undefined) fail(`${a} needs a profile name; use one of the profiles in cucumber.js`);
    wanted.push(args[++i]);
  } else if (a.startsWith('--profile=')) wanted.push(a.slice('--profile='.length));
}
if (wanted.length) {
  const config = args.find((a, i) => args[i - 1] === '--config' || args[i - 1] === '-c') ?? 'cucumber.js';
  let profiles;
  try {
    const mod = await import(pathToFileURL(resolve(config)).href);
    profiles = Object.keys(mod).map((k) => (k === 'default' ? 'default' : k));
  } catch (err) {
    fail(`cannot read the profiles in ${config} (${String(err?.message ?? err).split('\n')[0]}); run from the repository root`);
  }
  for (const p of wanted) {
    if (!profiles.includes(p)) fail(`unknown profile "${p}"; use one of ${profiles.join(', ')} (defined in ${config})`);
  }
}

// A tag expression chooses from every provider's examples (`--tags @aws` means the AWS rows on the
// embedded target): the default profile's provider filter would otherwise AND it down to nothing.
const givesTags = args.some((a) => a === '--tags' || a === '-t' || a.startsWith('--tags='));
const runArgs = givesTags && wanted.length === 0 ? ['--profile', 'all-providers', ...args] : args;

// Cucumber's own entry point, without npx (which would forward signals a second time).
const require = createRequire(import.meta.url);
const pkg = require.resolve('@cucumber/cucumber/package.json');
const bin = join(dirname(pkg), 'bin', 'cucumber.js');
const child = spawn(process.execPath, [bin, ...runArgs], { stdio: ['inherit', 'pipe', 'inherit'] });
// Cucumber's summary is read to refuse a run that selected nothing: 0 scenarios proves nothing.
let tail = '';
child.stdout.on('data', (d) => { process.stdout.write(d); tail = (tail + d.toString()).slice(-4000); });

// Ctrl-C reaches Cucumber directly (same process group) and again through `npm run` and this
// script; Cucumber treats signals close together as one. Forward each kind at most once per second.
const lastSent = new Map();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    const now = Date.now();
    if (now - (lastSent.get(sig) ?? 0) < 1000) return;
    lastSent.set(sig, now);
    try { child.kill(sig); } catch { /* already gone */ }
  });
}

child.on('close', (code, signal) => {
  const dir = process.env.LATTICE_E2E_REPORTS_DIR?.trim() || 'reports';
  const reports = isAbsolute(dir) ? dir : resolve(dir);
  if (code === 0 && /^0 scenarios$/m.test(tail)) {
    process.stderr.write(`lattice-acceptance: no scenario matches ${runArgs.join(' ') || 'the default profile'}; check the tag expression (tags: see README)\n`);
    process.exit(1);
  }
  if (code !== 2) {
    console.log(`\nHTML report: ${join(reports, 'cucumber.html')}`);
    console.log(`JUnit: ${join(reports, 'cucumber.xml')}  JSON: ${join(reports, 'cucumber.json')}  messages: ${join(reports, 'cucumber.ndjson')}  run log: ${join(reports, 'run.log')}`);
  }
  process.exit(code ?? (signal === 'SIGTERM' ? 143 : signal ? 130 : 1));
});
