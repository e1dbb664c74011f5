import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import type { ClusterClient } from '../kube/index.js';
import { SuiteError } from '../errors.js';

export interface ExecResult { exitCode: number; stdout: string; stderr: string }

/** Runs a command in a pod's container over the exec websocket and collects its output and exit code. */
export async function execInPod(client: ClusterClient, input: { namespace: string; pod: string; container: string; command: string[]; timeoutMs: number }): Promise<ExecResult> {
  const out: Buffer[] = []; const err: Buffer[] = [];
  const sink = (into: Buffer[]) => new Writable({ write(chunk, _enc, cb) { into.push(Buffer.from(chunk)); cb(); } });
  const exec = new k8s.Exec(client.kc);
  const where = `${input.namespace}/${input.pod}`;
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    // A session that never ends must not outlive the wait: its open socket would keep the run alive.
    let socket: { terminate(): void } | undefined;
    const timer = setTimeout(() => {
      socket?.terminate();
      if (!settled) { settled = true; reject(new SuiteError(`exec in ${where} (${input.command.join(' ')}) gave no exit status within ${input.timeoutMs / 1000}s`)); }
    }, input.timeoutMs);
    exec.exec(input.namespace, input.pod, input.container, input.command, sink(out), sink(err), null, false, (status: k8s.V1Status) => {
      if (settled) return;
      settled = true; clearTimeout(timer);
      const code = status.status === 'Success' ? 0 : Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message ?? 1);
      resolve({ exitCode: code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    }).then((ws) => {
      socket = ws;
      if (settled) ws.terminate(); // timed out before the socket came (a finished session is closed already)
      ws.on('error', (e: Error) => { if (!settled) { settled = true; clearTimeout(timer); reject(new SuiteError(`exec in ${where} failed: ${e.message}`)); } });
    }, (e: unknown) => { if (!settled) { settled = true; clearTimeout(timer); reject(new SuiteError(`exec in ${where} could not start: ${e instanceof Error ? e.message : String(e)}`)); } });
  });
}
