/** Bad input to `lattice` and `lattice-sim`: upstream-like messages and non-zero exits, no daemon started. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LATTICE_BIN, LATTICE_SIM_BIN, newSimEnv, run } from './run.js';

describe('lattice CLI input errors', { concurrency: 4 }, () => {
  const sim = newSimEnv();
  after(() => sim.dispose());
  const lattice = (args: string[], input?: string) => run(LATTICE_BIN, args, { env: sim.env, input });
  const noName = join(sim.dir, 'no-name.yaml');
  const good = join(sim.dir, 'good.yaml');
  writeFileSync(noName, 'apiVersion: lattice.dev/v1alpha1\nkind: LatticeCluster\nmetadata: {}\nspec: {}\n');
  writeFileSync(good, 'apiVersion: lattice.dev/v1alpha1\nkind: LatticeCluster\nmetadata:\n  name: dry\nspec:\n  provider:\n    kubernetes: {version: "1.32.0"}\n    config: {aws: {region: us-west-2}}\n  nodes: {controlPlane: 1, workers: 2}\n');

  const cases: Array<{ args: string[]; code: number; err: RegExp }> = [
    { args: [], code: 2, err: /Usage: lattice <COMMAND>/ },
    { args: ['frobnicate'], code: 2, err: /error: unrecognized subcommand 'frobnicate'/ },
    { args: ['install'], code: 2, err: /error: the following required arguments were not provided:\n\s+--file <FILE>/ },
    { args: ['install', '-f'], code: 2, err: /error: a value is required for '--file <FILE>' but none was supplied/ },
    { args: ['install', '-f', good, '--name', 'x'], code: 2, err: /error: unexpected argument '--name' found/ },
    { args: ['install', '-f', good, '--bootstrap', 'k3s'], code: 2, err: /error: invalid value 'k3s' for '--bootstrap <BOOTSTRAP>'\n\s+\[possible values: kubeadm, rke2\]/ },
    { args: ['install', '-f', '/nonexistent/cluster.yaml'], code: 1, err: /^Error: failed to read cluster config file \/nonexistent\/cluster.yaml: No such file or directory/ },
    { args: ['install', '-f', noName], code: 1, err: /^Error: cluster config has no metadata.name/ },
    { args: ['install', '-f', good, '--registry-credentials-file', '/nonexistent/creds.json'], code: 1, err: /failed to read registry credentials file/ },
    { args: ['install', '-f', good, '--faults', 'not-a-fault'], code: 1, err: /unknown fault "not-a-fault"/ },
    { args: ['uninstall'], code: 2, err: /--kubeconfig <KUBECONFIG>/ },
    { args: ['uninstall', '-k', '/nonexistent/kc', '-y'], code: 1, err: /failed to read kubeconfig \/nonexistent\/kc/ },
    { args: ['uninstall', '-k', good, '-n', 'x'], code: 1, err: /invalid kubeconfig|refusing to uninstall/ },
  ];
  for (const c of cases) {
    it(`lattice ${c.args.join(' ') || '(no arguments)'} → exit ${c.code}`, async () => {
      const r = await lattice(c.args);
      assert.equal(r.code, c.code, `stderr: ${r.stderr}`);
      assert.match(r.stderr, c.err);
      assert.doesNotMatch(r.stderr, /    at /, 'no stack trace');
    });
  }

  // uninstall.rs:405-433: without --yes a line is read from stdin (a terminal or not); anything but
  // y/Y, end of input included, prints `Aborted` and exits 0 without uninstalling.
  for (const [what, input] of [['end of input', ''], ['"n"', 'n\n'], ['"yes"', 'yes\n']] as const) {
    it(`uninstall without --yes answered with ${what}: Aborted, exit 0, nothing started`, async () => {
      const kc = join(sim.dir, 'kc.yaml');
      writeFileSync(kc, 'apiVersion: v1\nkind: Config\nclusters: [{name: x, cluster: {server: "https://127.0.0.1:1"}}]\nusers: []\ncontexts: []\n');
      const r = await lattice(['uninstall', '-k', kc, '-n', 'x'], input);
      assert.equal(r.code, 0, `stderr: ${r.stderr}`);
      assert.match(r.stdout, /Are you sure\? \[y\/N\] Aborted\n$/);
      assert.equal(existsSync(join(sim.home, 'daemon.json')), false, 'nothing was uninstalled (no daemon asked)');
    });
  }

  it('prints help and a dry run without starting anything', async () => {
    const help = await lattice(['install', '--help']);
    assert.equal(help.code, 0);
    for (const flag of ['--file', '--image', '--registry-credentials-file', '--keep-bootstrap-on-failure', '--bootstrap', '--dry-run', '--kubeconfig-out']) {
      assert.ok(help.stdout.includes(flag), `help lists ${flag}`);
    }
    const dry = await lattice(['install', '-f', good, '--dry-run', '--bootstrap', 'rke2']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would install cluster "dry"/);
    assert.match(dry.stdout, /provider: aws, bootstrap: rke2/);
    assert.match(dry.stdout, /workers: 2/);
    assert.equal(existsSync(join(sim.home, 'daemon.json')), false, 'a dry run starts no daemon');
  });
});

describe('lattice uninstall against a cluster that does not answer', () => {
  const sim2 = newSimEnv();
  after(() => sim2.dispose());

  it('reports an unreachable cluster on uninstall', async () => {
    const kc = join(sim2.dir, 'kc2.yaml');
    writeFileSync(kc, 'apiVersion: v1\nkind: Config\nclusters: [{name: x, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: x, user: u}}]\ncurrent-context: c\n');
    const r = await run(LATTICE_BIN, ['uninstall', '-k', kc, '-y'], { env: sim2.env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /failed to connect to cluster at https:\/\/127\.0\.0\.1:1/);
    await run(LATTICE_SIM_BIN, ['stop'], { env: sim2.env });
  });

});

describe('lattice-sim input errors', () => {
  const sim = newSimEnv();
  after(() => sim.dispose());
  const ctl = (args: string[]) => run(LATTICE_SIM_BIN, args, { env: sim.env });

  it('says the daemon is not running (exit 3) and does not start it', async () => {
    const r = await ctl(['status']);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /not running/);
    assert.equal(existsSync(join(sim.home, 'daemon.json')), false);
  });

  it('rejects unknown commands and missing arguments with exit 2', async () => {
    const unknown = await ctl(['explode']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unrecognized subcommand 'explode'/);
    const missing = await ctl(['kubeconfig']);
    assert.equal(missing.code, 2);
    const sweep = await ctl(['sweep', '--run-id']);
    assert.equal(sweep.code, 2);
    assert.match(sweep.stderr, /a value is required for '--run-id'/);
    const bare = await ctl(['sweep']);
    assert.equal(bare.code, 0, 'nothing runs, nothing to sweep');
  });

  it('fails with exit 1 naming the daemon when a command needs it', async () => {
    const r = await ctl(['destroy', 'e2e-mgmt']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /daemon is not running/);
  });
});
