/**
 * What the API server asks of the pod runtime (services/) for the pod subresources it cannot
 * answer from the store alone: logs and exec.
 */
export interface PodLogOptions { container?: string; tailLines?: number; sinceSeconds?: number }

/** A followed log (`follow=true`): text so far, then each new line until the container stops. */
export interface LogFollow {
  /** Ends the subscription (the client went away). */
  cancel(): void;
}

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
  /**
   * Follows the pod's log: `onText` gets what `podLog` would return, then every later line; `onEnd`
   * runs once the container stops (the pod was deleted or evicted). Throws like `podLog`.
   */
  podLogFollow(namespace: string, pod: string, opts: PodLogOptions, onText: (text: string) => void, onEnd: () => void): LogFollow;
  /** Runs a command in the pod; resolves with its exit code. Throws StoreError 404 for an unknown pod. */
  podExec(req: ExecRequest, out: ExecOutput): Promise<number>;
}
