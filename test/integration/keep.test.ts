// LATTICE_E2E_KEEP=true: the run keeps its clusters and files, says how to reach and remove them,
// and the printed removal command leaves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, sandbox, simClusters, startSuite, sim } from './helpers.js';

test('LATTICE_E2E_KEEP=true keeps clusters, namespace and kubeconfigs, prints how to reach and remove them; the printed command works', { timeout: 300_000 }, async (t) => {
  const box = sandbox(t, 'keep');
  const work = join(box.workRoot, 'kept');
  const run = startSuite(t, ['--tags', '@media'], { LATTICE_SIM_HOME: box.home, LATTICE_E2E_WORK_DIR: work, LATTICE_E2E_REPORTS_DIR: box.reports, LATTICE_E2E_KEEP: 'true', LATTICE_E2E_RUN_ID: 'rkeepit', LATTICE_VERSION: '2026-04' });
  const { code } = await run.exited;
  const err = run.err();
  assert.equal(code, 0, err);
  // At 2026-04 the media services need the platform's permits (Cedar policies), kept with the namespace.
  assert.match(err, /LATTICE_E2E_KEEP=true: run rkeepit kept 2 cluster\(s\) and 2 scenario resource\(s\)/);
  assert.match(err, /platform policies of media on e2e-workload/);
  assert.match(err, new RegExp(`workload cluster e2e-workload: kubectl --kubeconfig ${work}/e2e-workload.kubeconfig`));
  assert.match(err, new RegExp(`management cluster e2e-mgmt: kubectl --kubeconfig ${work}/e2e-mgmt.kubeconfig`));
  assert.match(err, /namespace media on e2e-workload/);
  assert.deepEqual(simClusters(box.home).sort(), ['e2e-mgmt', 'e2e-workload'], 'the clusters are kept');
  assert.ok(existsSync(join(work, 'e2e-workload.kubeconfig')), 'the kubeconfigs are kept');

  const remove = /remove it later with: (.+)$/m.exec(err)?.[1];
  assert.ok(remove, `a removal command is printed:\n${err}`);
  const r = spawnSync('sh', ['-c', remove], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /removed cluster e2e-mgmt/);
  assert.deepEqual(simClusters(box.home), []);
  assert.equal(sim(box.home, ['status']).code, 3);
  assert.equal(existsSync(work), false);
});
