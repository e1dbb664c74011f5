/**
 * `lattice uninstall -k` with the proxy kubeconfig a 2026-04 `lattice install --kubeconfig-out` wrote
 * (the only kubeconfig upstream's install hands out besides ~/.lattice/kubeconfig.root): the cluster
 * behind `<proxy>/clusters/<name>` is found and uninstalled, a proxy kubeconfig with a foreign token
 * is refused as Unauthorized.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LATTICE_BIN, LATTICE_SIM_BIN, newSimEnv, run } from '../cli/run.js';
import { clusterYaml0404 } from '../helpers/cluster-yaml.js';

const MGMT = clusterYaml0404('e2e-solo');

const sim = newSimEnv({ LATTICE_SIM_API_VERSION: '2026-04', LATTICE_SIM_SPEED: '2' });
sim.env.HOME = join(sim.dir, 'user');
after(() => sim.dispose());

test('uninstall through the proxy kubeconfig of --kubeconfig-out', async () => {
  const file = join(sim.dir, 'solo.yaml');
  const kc = join(sim.dir, 'proxy-kubeconfig');
  writeFileSync(file, MGMT);
  const inst = await run(LATTICE_BIN, ['install', '-f', file, '--kubeconfig-out', kc], { env: sim.env });
  assert.equal(inst.code, 0, inst.stderr);
  const before = await run(LATTICE_SIM_BIN, ['list', '--json'], { env: sim.env });
  assert.ok(before.stdout.includes('"e2e-solo"'), before.stdout);
  const forged = JSON.parse(readFileSync(kc, 'utf8'));
  forged.users[0].user.token = 'not-a-token';
  writeFileSync(join(sim.dir, 'forged'), JSON.stringify(forged));
  const refused = await run(LATTICE_BIN, ['uninstall', '-k', join(sim.dir, 'forged'), '-n', 'e2e-solo', '-y'], { env: sim.env });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /Unauthorized/);
  const un = await run(LATTICE_BIN, ['uninstall', '-k', kc, '-n', 'e2e-solo', '-y'], { env: sim.env });
  assert.equal(un.code, 0, un.stderr);
  assert.match(un.stdout, /e2e-solo/);
  const list = await run(LATTICE_SIM_BIN, ['list', '--json'], { env: sim.env });
  assert.ok(!list.stdout.includes('"e2e-solo"'), list.stdout);
});
