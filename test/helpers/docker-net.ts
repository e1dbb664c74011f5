/** A TCP round trip to the host:port of a kubeconfig `server` URL: proves the published port reaches the listener. */
import { connect } from 'node:net';

export function tcpEcho(serverUrl: string, payload: string, timeoutMs = 5_000): Promise<string> {
  const url = new URL(serverUrl);
  return new Promise((resolve, reject) => {
    const sock = connect({ host: url.hostname, port: Number(url.port) });
    let got = '';
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no echo from ${url.host} within ${timeoutMs} ms (got ${JSON.stringify(got)})`)); }, timeoutMs);
    sock.on('connect', () => sock.write(payload));
    sock.on('data', (d) => { got += d.toString(); if (got.includes(payload)) sock.end(); });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('close', () => { clearTimeout(timer); resolve(got); });
  });
}
