import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeKeptRun } from '../../../support/run/keep-notice.js';
import { reportsDir } from '../../../support/run/reports-dir.js';

test('the KEEP notice says what was kept, how to reach each cluster and how to remove it all', () => {
  const lines = describeKeptRun({
    runId: 'rkeep1', target: 'embedded', repoRoot: process.cwd(), workDir: '/w/rkeep1', simHome: '/h',
    clusters: [{ role: 'workload', name: 'e2e-workload', kubeconfigPath: '/w/rkeep1/e2e-workload.kubeconfig' }, { role: 'management', name: 'e2e-mgmt', kubeconfigPath: '/w/rkeep1/e2e-mgmt.kubeconfig' }],
    scenarioResources: ['namespace media on e2e-workload'],
  });
  const text = lines.join('\n');
  assert.match(lines[0]!, /run rkeep1 kept 2 cluster\(s\) and 1 scenario resource/);
  assert.match(text, /workload cluster e2e-workload: kubectl --kubeconfig \/w\/rkeep1\/e2e-workload.kubeconfig/);
  assert.match(text, /namespace media on e2e-workload/);
  assert.match(text, /LATTICE_SIM_HOME=\/h sim\/bin\/lattice-sim sweep --run-id rkeep1; LATTICE_SIM_HOME=\/h sim\/bin\/lattice-sim stop; rm -rf \/w\/rkeep1/);
  const real = describeKeptRun({ runId: 'r2', target: 'real', repoRoot: process.cwd(), workDir: '/w/r2', clusters: [], scenarioResources: [] }).join('\n');
  assert.match(real, /lattice uninstall -k/);
  assert.match(real, /label=lattice-acceptance\/run-id=r2/);
});

test('reports go to LATTICE_E2E_REPORTS_DIR (relative to the cwd) or <cwd>/reports', () => {
  assert.equal(reportsDir({}, '/repo'), '/repo/reports');
  assert.equal(reportsDir({ LATTICE_E2E_REPORTS_DIR: ' ' }, '/repo'), '/repo/reports');
  assert.equal(reportsDir({ LATTICE_E2E_REPORTS_DIR: 'out/r' }, '/repo'), '/repo/out/r');
  assert.equal(reportsDir({ LATTICE_E2E_REPORTS_DIR: '/tmp/r' }, '/repo'), '/tmp/r');
});
