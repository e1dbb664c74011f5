/**
 * `lattice login` / `lattice logout` as commands (cli/commands/login.rs, logout.rs, cli/lib.rs:20-30):
 * they exist at 2026-04 only, clap's usage errors (exit 2), a server that cannot be reached gives
 * one `Error:` line (exit 1), logout without saved credentials says so (exit 0).
 * The successful paths run against a real proxy in sim/test/versions/v2026-04-proxy.test.ts.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LATTICE_BIN, newSimEnv, run } from './run.js';

const sim = newSimEnv({ LATTICE_SIM_API_VERSION: '2026-04', LATTICE_SIM_SPEED: '1000' });
sim.env.HOME = join(sim.dir, 'user');
mkdirSync(sim.env.HOME, { recursive: true });
after(() => sim.dispose());
const lattice = (args: string[], env: NodeJS.ProcessEnv = {}) => run(LATTICE_BIN, args, { env: { ...sim.env, ...env } });

test('the 2026-04 CLI lists login, install, uninstall, logout; the 2026-01 CLI has no login', async () => {
  const help = await lattice(['--help']);
  assert.equal(help.code, 0);
  assert.deepEqual([...help.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]), ['login', 'install', 'uninstall', 'logout', 'help']);
  const old = await lattice(['login', '--server', 'https://x', '--token', 't'], { LATTICE_SIM_API_VERSION: '2026-01' });
  assert.equal(old.code, 2);
  assert.match(old.stderr, /^error: unrecognized subcommand 'login'/);
});

test('login without --server and --token is a usage error (exit 2)', async () => {
  const r = await lattice(['login']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /the following required arguments were not provided:\n {2}--server <SERVER>\n {2}--token <TOKEN>/);
});

test('login to a proxy that does not answer fails with one Error line (exit 1)', async () => {
  const r = await lattice(['login', '--server', 'https://127.0.0.1:1', '--token', 'abc']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error: failed to connect to https:\/\/127\.0\.0\.1:1\/kubeconfig\?format=sa: /);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('logout with nothing saved says so and exits 0', async () => {
  const r = await lattice(['logout']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'Already logged out (no saved credentials found).\n');
});
