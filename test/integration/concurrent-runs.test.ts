// Two `npm run e2e` started together in one checkout on one embedded home: one refuses at start-up
// in one line naming the other, and the other, untouched, passes (the second run's start-up sweep
// used to stop the first's daemon and tear down its clusters, failing both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox, startSuite } from './helpers.js';

test('of two runs on one target, one refuses in one line naming the other (exit 2), and the other passes', { timeout: 400_000 }, async (t) => {
  const box = sandbox(t, 'concurrent');
  const start = (id: string) => startSuite(t, ['--tags', '@media'], {
    LATTICE_SIM_HOME: box.home, LATTICE_E2E_WORK_DIR: join(box.workRoot, id), LATTICE_E2E_REPORTS_DIR: join(box.dir, `reports-${id}`), LATTICE_E2E_RUN_ID: id,
  });
  const runs = { rone: start('rone'), rtwo: start('rtwo') };
  const ended = { rone: await runs.rone.exited, rtwo: await runs.rtwo.exited };
  const refused = (['rone', 'rtwo'] as const).filter((id) => ended[id].code === 2);
  assert.equal(refused.length, 1, `exactly one run refuses: rone exit ${ended.rone.code}, rtwo exit ${ended.rtwo.code}\n${runs.rone.err().slice(-1500)}\n${runs.rtwo.err().slice(-1500)}`);
  const loser = refused[0]!;
  const winner = loser === 'rone' ? 'rtwo' : 'rone';
  const lines = runs[loser].err().trim().split('\n');
  assert.equal(lines.length, 1, runs[loser].err());
  assert.match(lines[0]!, new RegExp(`^lattice-acceptance: the embedded target's home ${box.home} is in use by run ${winner} \\(pid \\d+, started [^)]+\\), which is still running; wait for it to end, or give this run a home of its own`));
  assert.equal(ended[winner].code, 0, `the other run is untouched and passes:\n${runs[winner].err().slice(-2000)}`);
  assert.ok(!existsSync(join(box.home, '.lattice-run.json')), 'the run gave its claim up when it ended');
});
