import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeLeftovers, isClean, leftoverFiles, processesIn, type Leftovers, type ProcessInfo } from '../../../scripts/faults/leftovers.js';

const proc = (pid: number, comm: string, cwd: string, root = '/'): ProcessInfo => ({ pid, comm, cwd, root, cmdline: comm });

test('processes count as the run\'s when their cwd or root lies in its folder, not in a sibling with a longer name', () => {
  const procs = [
    proc(10, 'sh', '/w/.tmp/soak/run-1/sim/clusters/e2e-workload/services/pods/p/root', '/w/.tmp/soak/run-1/sim/clusters/e2e-workload/services/pods/p/root'),
    proc(11, 'node', '/w/.tmp/soak/run-1'),
    proc(12, 'sh', '/w/.tmp/soak/run-10/sim'),
    proc(13, 'sh', '/', '/w/.tmp/soak/run-1/sim/pods/q/root'),
    proc(14, 'bash', '/w'),
  ];
  assert.deepEqual(processesIn(procs, '/w/.tmp/soak/run-1', 11).map((p) => p.pid), [10, 13]);
  assert.deepEqual(processesIn(procs, '/w/.tmp/soak/run-1/', 999).map((p) => p.pid), [10, 11, 13]);
});

test('files under the work dir are leftovers except its reports', () => {
  assert.deepEqual(leftoverFiles(['reports', 'reports/cucumber.json', 'e2e-mgmt.kubeconfig', 'logs/', 'reportsX']), ['e2e-mgmt.kubeconfig', 'logs/', 'reportsX']);
});

test('leftovers are described briefly, and nothing means none', () => {
  const none: Leftovers = { clusters: [], processes: [], files: [], errors: [] };
  assert.equal(isClean(none), true);
  assert.equal(describeLeftovers(none), 'none');
  const some: Leftovers = { clusters: ['e2e-mgmt (running)'], daemon: 4242, processes: [proc(1, 'sh', '/x'), proc(2, 'perl', '/x')], files: ['a', 'b', 'c'], errors: [] };
  assert.equal(isClean(some), false);
  assert.equal(describeLeftovers(some, 2), '1 cluster(s): e2e-mgmt (running); daemon still running (pid 4242); 2 process(es) (1 sh probe/pod): 1 sh, 2 perl; 3 file(s) in the work dir: a, b, +1 more');
  assert.equal(isClean({ ...none, errors: ['lattice-sim list failed'] }), false, 'an unchecked run is not a clean one');
});
