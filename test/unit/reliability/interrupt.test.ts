import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { exitCodeFor, handleInterrupts, type SignalSource } from '../../../support/run/interrupt.js';

class FakeProcess extends EventEmitter {
  exitCode: number | string | undefined;
  exits: number[] = [];
  exit(code: number): void { this.exits.push(code); }
}

function setup(now: { t: number }) {
  const proc = new FakeProcess();
  const told: string[] = [];
  const h = handleInterrupts({
    source: proc as unknown as SignalSource, now: () => now.t, sameSignalWithinMs: 500,
    onFirst: (s) => told.push(`first ${s}`), onSecond: (s) => told.push(`second ${s}`),
  });
  return { proc, told, h };
}

test('the first SIGINT aborts the run signal with the signal name and does not exit', () => {
  const now = { t: 0 };
  const { proc, told, h } = setup(now);
  assert.equal(h.signal.aborted, false);
  proc.emit('SIGINT');
  assert.equal(h.signal.aborted, true);
  assert.equal(h.signal.reason, 'SIGINT');
  assert.equal(h.interruptedBy, 'SIGINT');
  assert.deepEqual(told, ['first SIGINT']);
  assert.deepEqual(proc.exits, []);
  h.dispose();
});

test('copies of the same Ctrl-C arriving together count once; a later second signal exits at once', () => {
  const now = { t: 1000 };
  const { proc, told, h } = setup(now);
  proc.emit('SIGINT');
  now.t += 20; proc.emit('SIGINT'); // forwarded by npm / e2e.mjs
  assert.deepEqual(proc.exits, []);
  now.t += 2000; proc.emit('SIGTERM');
  assert.deepEqual(told, ['first SIGINT', 'second SIGTERM']);
  assert.deepEqual(proc.exits, [143]);
  h.dispose();
});

test('an interrupted run exits with 128 + the signal number whatever Cucumber set', () => {
  const now = { t: 0 };
  const { proc, h } = setup(now);
  proc.exitCode = 0;
  proc.emit('exit');
  assert.equal(proc.exitCode, 0, 'no signal: Cucumber\'s code stands');
  proc.emit('SIGTERM');
  proc.emit('exit');
  assert.equal(proc.exitCode, 143);
  assert.equal(exitCodeFor('SIGINT'), 130);
  h.dispose();
  assert.equal(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM') + proc.listenerCount('exit'), 0, 'dispose removes the listeners');
});

test('a throwing listener does not stop the abort', () => {
  const proc = new FakeProcess();
  const h = handleInterrupts({ source: proc as unknown as SignalSource, onFirst: () => { throw new Error('boom'); } });
  proc.emit('SIGINT');
  assert.equal(h.signal.aborted, true);
  h.dispose();
});
