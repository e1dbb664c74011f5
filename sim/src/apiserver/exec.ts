/**
 * `pods/<name>/exec` over the Kubernetes websocket channel protocol. v5.channel.k8s.io is preferred
 * (it lets the client close stdin without closing the socket), v4 is accepted. Frames are binary,
 * first byte = channel: 0 stdin, 1 stdout, 2 stderr, 3 status (V1Status JSON), 4 resize;
 * 255 (v5, client → server only) closes the channel named by the next byte. The server never sends
 * 255: client-node 1.4.0 rejects it as an unknown stream.
 */
import { PassThrough } from 'node:stream';
import type { WebSocket } from 'ws';
import type { PodRuntimeHooks } from './hooks.js';

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export function pickExecProtocol(offered: Set<string>): string | undefined {
  return EXEC_PROTOCOLS.find((p) => offered.has(p));
}

export interface ExecParams {
  namespace: string; pod: string; container: string; command: string[];
  stdin: boolean; stdout: boolean; stderr: boolean;
}

function exitStatus(code: number, command: string[]): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {}, status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** Runs one exec session on an accepted websocket; resolves when the socket is closed. */
export function serveExec(ws: WebSocket, hooks: PodRuntimeHooks, p: ExecParams): Promise<void> {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  const stdin = p.stdin ? new PassThrough() : undefined;
  let open = true;
  const send = (channel: number, data: Buffer) => {
    if (open && ws.readyState === ws.OPEN && data.length) ws.send(Buffer.concat([Buffer.from([channel]), data]));
  };
  ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
    const buf = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    if (buf.length === 0) return;
    if (buf[0] === 0 && stdin && !stdin.writableEnded) stdin.write(buf.subarray(1));
    else if (buf[0] === 255 && v5 && buf[1] === 0) stdin?.end();
    // channel 4 (terminal resize) has no meaning without a TTY here.
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => { open = false; if (stdin && !stdin.writableEnded) stdin.end(); resolve(); }));
  ws.on('error', () => undefined);

  void (async () => {
    let status: Record<string, unknown>;
    try {
      const code = await hooks.podExec(
        { namespace: p.namespace, pod: p.pod, container: p.container, command: p.command, stdin },
        { stdout: (c) => { if (p.stdout) send(1, c); }, stderr: (c) => { if (p.stderr) send(2, c); } },
      );
      status = exitStatus(code, p.command);
    } catch (e) {
      const err = e as { code?: number; reason?: string; message?: string };
      status = { metadata: {}, status: 'Failure', message: err.message ?? String(e), reason: err.reason ?? 'InternalError', code: typeof err.code === 'number' ? err.code : 500 };
    }
    send(3, Buffer.from(JSON.stringify(status)));
    if (open) ws.close(1000);
  })();
  return closed;
}
