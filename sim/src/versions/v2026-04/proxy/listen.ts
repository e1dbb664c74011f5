/**
 * Where a cell's auth proxy listens on this machine. Upstream binds 0.0.0.0:8082 inside the
 * operator pod and the LoadBalancer gives it an address (lattice-common/src/lib.rs:53). Here each
 * cell takes port 8082 on an address of its own in 127.0.0.0/8 (all of it reaches `lo` on Linux),
 * picked at random and kept only if the bind succeeds, so concurrent target homes never collide.
 * If no such address can be bound (another OS, or 8082 taken everywhere), it falls back to
 * 127.0.0.1 on a free port, which the Service's ingress and annotation then name.
 */
import { randomInt } from 'node:crypto';
import type { Server } from 'node:net';

export const AUTH_PROXY_PORT = 8082; // lattice-common/src/lib.rs:53 DEFAULT_AUTH_PROXY_PORT
const ATTEMPTS = 24;

function bind(server: Server, host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE' || e.code === 'EADDRNOTAVAIL' || e.code === 'EACCES') resolve(false); else reject(e);
    };
    const onListening = () => { server.off('error', onError); resolve(true); };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Binds `server` and returns the address clients use. */
export async function listenForCell(server: Server): Promise<{ host: string; port: number }> {
  for (let i = 0; i < ATTEMPTS; i++) {
    const host = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    if (await bind(server, host, AUTH_PROXY_PORT)) return { host, port: AUTH_PROXY_PORT };
  }
  await bind(server, '127.0.0.1', 0);
  const addr = server.address();
  return { host: '127.0.0.1', port: typeof addr === 'object' && addr ? addr.port : 0 };
}
