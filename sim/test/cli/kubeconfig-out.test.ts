/**
 * The admin kubeconfig's default path is in /tmp, which every local user can write: a planted
 * symlink must not redirect it, a file someone else created must not receive it, and what is
 * written is 0600.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnsafePathError, writePrivateFile } from '../../src/cli/private-file.js';
import { LATTICE_BIN, LATTICE_SIM_BIN, newSimEnv, run } from './run.js';

const scratch = () => { const d = mkdtempSync(join(tmpdir(), 'lattice-kc-out-')); after(() => rmSync(d, { recursive: true, force: true })); return d; };
const me = process.getuid?.() ?? 0;

test('a new kubeconfig file is created 0600', () => {
  const f = join(scratch(), 'kc');
  writePrivateFile(f, 'token: x\n');
  assert.equal(statSync(f).mode & 0o777, 0o600);
  assert.equal(readFileSync(f, 'utf8'), 'token: x\n');
});

test('a planted symlink is refused and what it points at stays untouched', () => {
  const d = scratch();
  const victim = join(d, 'victim');
  writeFileSync(victim, 'precious\n');
  symlinkSync(victim, join(d, 'kc'));
  assert.throws(() => writePrivateFile(join(d, 'kc'), 'token: x\n'), (e: Error) => e instanceof UnsafePathError && /symbolic link/.test(e.message));
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  // A dangling one too (it would create the file wherever it points).
  symlinkSync(join(d, 'elsewhere'), join(d, 'kc2'));
  assert.throws(() => writePrivateFile(join(d, 'kc2'), 'token: x\n'), /symbolic link/);
  assert.ok(!existsSync(join(d, 'elsewhere')));
});

test("a pre-created file of another user is refused; one's own world-readable file becomes 0600", () => {
  const d = scratch();
  const f = join(d, 'kc');
  writeFileSync(f, 'old content that is longer than the new\n', { mode: 0o644 });
  // The file is ours; as seen by another uid it is someone else's.
  assert.throws(() => writePrivateFile(f, 'token: x\n', me + 1), (e: Error) => /belongs to another user/.test(e.message));
  assert.equal(readFileSync(f, 'utf8'), 'old content that is longer than the new\n');
  writePrivateFile(f, 'token: x\n', me);
  assert.equal(statSync(f).mode & 0o777, 0o600);
  assert.equal(readFileSync(f, 'utf8'), 'token: x\n');
});

test('a file with a second name (hard link) is refused', () => {
  const d = scratch();
  writeFileSync(join(d, 'other'), '');
  linkSync(join(d, 'other'), join(d, 'kc'));
  assert.throws(() => writePrivateFile(join(d, 'kc'), 'token: x\n'), /hard links/);
});

test('lattice install with a symlink planted at /tmp/<name>-kubeconfig fails at once in one line, before creating anything', async () => {
  const sim = newSimEnv();
  after(() => sim.dispose());
  const name = `kc-planted-${randomBytes(3).toString('hex')}`;
  const planted = `/tmp/${name}-kubeconfig`;
  const victim = join(sim.dir, 'victim');
  writeFileSync(victim, 'precious\n');
  symlinkSync(victim, planted);
  after(() => rmSync(planted, { force: true }));
  const file = join(sim.dir, 'c.yaml');
  writeFileSync(file, `apiVersion: lattice.dev/v1alpha1\nkind: LatticeCluster\nmetadata:\n  name: ${name}\nspec:\n  provider:\n    kubernetes: {version: "1.32.0"}\n    config: {docker: {}}\n  nodes: {controlPlane: 1, workers: 1}\n`);
  const r = await run(LATTICE_BIN, ['install', '-f', file], { env: sim.env, timeoutMs: 60_000 });
  assert.equal(r.code, 1, r.stderr.slice(0, 500));
  assert.equal(r.stderr.trim(), `Error: refusing to write the kubeconfig to ${planted}: it is a symbolic link; remove it or pass --kubeconfig-out <path>`);
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  const status = await run(LATTICE_SIM_BIN, ['status', '--json'], { env: sim.env });
  assert.match(status.stdout, /"running":false/, 'no daemon was started, so no cluster');
});
