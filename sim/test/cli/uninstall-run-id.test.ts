/**
 * `lattice uninstall --run-id` at 2026-04 (b5d50e90 uninstall.rs:41-59, env LATTICE_RUN_ID): the
 * uninstall's kind cluster is `lattice-uninstall-<runId>` (:137-140). 2026-01 has no such flag.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LATTICE_BIN, newSimEnv, run } from './run.js';
import { clusterYaml0404 } from '../helpers/cluster-yaml.js';

const manifest = (name: string) => clusterYaml0404(name);

describe('lattice uninstall --run-id', () => {
  const sim = newSimEnv({ LATTICE_SIM_SPEED: '2', LATTICE_SIM_API_VERSION: '2026-04' });
  sim.env.HOME = join(sim.dir, 'user');
  after(() => sim.dispose());
  const installed = async (name: string): Promise<string> => {
    const file = join(sim.dir, `${name}.yaml`);
    const kc = join(sim.dir, `${name}.kubeconfig`);
    writeFileSync(file, manifest(name));
    const r = await run(LATTICE_BIN, ['install', '-f', file, '--kubeconfig-out', kc], { env: sim.env });
    assert.equal(r.code, 0, r.stderr);
    return kc;
  };

  it('at 2026-04 names the uninstall cluster after the flag, or after LATTICE_RUN_ID', async () => {
    const un = await run(LATTICE_BIN, ['uninstall', '-k', await installed('solo'), '-n', 'solo', '-y', '--run-id', 'abc123'], { env: sim.env });
    assert.equal(un.code, 0, un.stderr);
    assert.match(un.stdout, /Creating uninstall cluster "lattice-uninstall-abc123"/);
    const byEnv = await run(LATTICE_BIN, ['uninstall', '-k', await installed('duo'), '-n', 'duo', '-y'], { env: { ...sim.env, LATTICE_RUN_ID: 'def456' } });
    assert.equal(byEnv.code, 0, byEnv.stderr);
    assert.match(byEnv.stdout, /Creating uninstall cluster "lattice-uninstall-def456"/);
  });

  it('shows in the 2026-04 help and is refused at 2026-01', async () => {
    const help = await run(LATTICE_BIN, ['uninstall', '--help'], { env: sim.env });
    assert.match(help.stdout, /--run-id <RUN_ID>.*\[env: LATTICE_RUN_ID=\]/);
    const old = await run(LATTICE_BIN, ['uninstall', '-k', '/nonexistent', '-y', '--run-id', 'x'], { env: { ...sim.env, LATTICE_SIM_API_VERSION: '2026-01' } });
    assert.equal(old.code, 2);
    assert.match(old.stderr, /unexpected argument '--run-id'/);
  });
});
