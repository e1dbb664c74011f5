// One raw HTTPS call to a test's API server, as a client that does not go through kubectl sees it:
// status code, Warning headers and the JSON body.
import { request } from 'node:https';
import type { ApiServer } from '../../src/apiserver/index.js';

export interface ApiAnswer { code: number; warnings: string[]; body: { message?: string; reason?: string; spec?: any } } // eslint-disable-line @typescript-eslint/no-explicit-any

export function callApi(server: ApiServer, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const req = request(`${server.url}${path}`, {
      method, ca: server.caPem,
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) },
    }, (res) => {
      let out = '';
      res.on('data', (d) => { out += d; });
      res.on('end', () => {
        const w = res.headers.warning;
        resolve({ code: res.statusCode ?? 0, warnings: w === undefined ? [] : Array.isArray(w) ? w : [w], body: out ? JSON.parse(out) : {} });
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}
