/**
 * The fault `forwarded-exec-output-dropped`: an intermediate agent relays its child's exec output
 * under the inner tunnel's request id instead of the original one (upstream rewrites it,
 * lattice-agent/src/commands/exec.rs:114-120, with the original id the forwarder keeps,
 * lattice-operator/src/forwarder.rs:158, :214). The cell then finds no session for that id and drops
 * every frame (lattice-cell/src/server.rs:1035-1054), the end of the session included: the caller's
 * websocket is open, its input still reaches the pod, and nothing comes back until the cell's exec
 * bridge gives up after its idle timeout (exec_proxy/handlers.rs:33, :380-383) with a normal close.
 */
import type { Duplex } from 'node:stream';
import { getSpeed } from '../../../clock.js';

/** handlers.rs:33: EXEC_IDLE_TIMEOUT, 600 s of Lattice's time. */
const EXEC_IDLE_TIMEOUT_MS = 600_000;

/** A websocket close frame from the server (unmasked): 1000 normal, with the bridge's reason (handlers.rs:393). */
function closeFrame(reason: string): Buffer {
  const text = Buffer.from(reason);
  return Buffer.concat([Buffer.from([0x88, 2 + text.length, 0x03, 0xe8]), text]);
}

/**
 * Pipes the API server's answer to the upgrade (its HTTP head) to the caller and drops every byte
 * after it. A refusal (not 101) is passed through whole, as without the fault: the fault is about
 * a running session's output.
 * `upgraded()` says whether a 101 went through (only then is the session held open).
 */
export function relayHeadOnly(up: Duplex, socket: Duplex): { upgraded(): boolean } {
  let head = Buffer.alloc(0);
  let state: 'head' | 'drop' | 'pass' = 'head';
  up.on('data', (chunk: Buffer) => {
    if (state === 'drop') return;
    if (state === 'pass') { socket.write(chunk); return; }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    if (/^HTTP\/1\.1 101 /.test(head.toString('latin1', 0, 16))) {
      socket.write(head.subarray(0, end + 4));
      state = 'drop';
    } else {
      socket.write(head);
      state = 'pass';
    }
  });
  return { upgraded: () => state === 'drop' };
}

/** Once the child's session is over, the caller's socket stays open until the idle timeout closes it. */
export function closeWhenIdle(socket: Duplex): void {
  const timer = setTimeout(() => { socket.end(closeFrame('Exec session ended')); }, EXEC_IDLE_TIMEOUT_MS / getSpeed());
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
