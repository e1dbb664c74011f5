/**
 * What the API server asks of the pod runtime (services/) for the pod subresources it cannot
 * answer from the store alone: logs and exec.
 */
export interface PodLogOptions { container?: string; tailLines?: number; sinceSeconds?: number }

export interface ExecRequest {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
  /** Present when the client asked for stdin. */
  stdin?: NodeJS.ReadableStream;
}

export interface ExecOutput { stdout(chunk: Buffer): void; stderr(chunk: Buffer): void }

export interface PodRuntimeHooks {
  /** Text of the pod's log; throws StoreError 404 for an unknown pod/container. */
  podLog(namespace: string, pod: string, opts: PodLogOptions): string;
  /** Runs a command in the pod; resolves with its exit code. Throws StoreError 404 for an unknown pod. */
  podExec(req: ExecRequest, out: ExecOutput): Promise<number>;
}
