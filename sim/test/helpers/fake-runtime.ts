/**
 * A stand-in pod runtime for the API server's tests: logs are lines per container (a test may
 * append lines or end a followed log), exec
 * understands a few commands (`echo`, `cat` (stdin → stdout), `fail <code> <text>`).
 */
import { StoreError } from '../../src/apiserver/types.js';
import type { ExecOutput, ExecRequest, PodLogOptions, PodRuntimeHooks } from '../../src/apiserver/hooks.js';

export interface FakeRuntime extends PodRuntimeHooks {
  execCalls: ExecRequest[];
  logCalls: Array<{ namespace: string; pod: string; opts: PodLogOptions }>;
  /** Appends a line to a container's log (followers get it). */
  appendLog(podKey: string, container: string, line: string): void;
  /** Ends every follower of the pod's logs, as when the pod is deleted. */
  endLogs(podKey: string): void;
}

export function createFakeRuntime(pods: Record<string, Record<string, string[]>>): FakeRuntime {
  const execCalls: ExecRequest[] = [];
  const logCalls: FakeRuntime['logCalls'] = [];
  const followers = new Map<string, Set<{ container: string; onText: (t: string) => void; onEnd: () => void }>>();
  const read = (namespace: string, pod: string, opts: PodLogOptions): string => {
    const lines = pods[`${namespace}/${pod}`]?.[opts.container ?? ''];
    if (!lines) throw new StoreError(404, 'NotFound', `pods "${pod}" not found`);
    const tail = opts.tailLines !== undefined ? lines.slice(-opts.tailLines) : lines;
    return tail.map((l) => l + '\n').join('');
  };
  return {
    execCalls, logCalls,
    podLog(namespace, pod, opts) {
      logCalls.push({ namespace, pod, opts });
      return read(namespace, pod, opts);
    },
    podLogFollow(namespace, pod, opts, onText, onEnd) {
      logCalls.push({ namespace, pod, opts: { ...opts } });
      const first = read(namespace, pod, opts);
      if (first) onText(first);
      const key = `${namespace}/${pod}`;
      const f = { container: opts.container ?? '', onText, onEnd };
      if (!followers.has(key)) followers.set(key, new Set());
      followers.get(key)!.add(f);
      return { cancel: () => { followers.get(key)?.delete(f); } };
    },
    appendLog(podKey, container, line) {
      (pods[podKey] ??= {})[container] = [...(pods[podKey]?.[container] ?? []), line];
      for (const f of followers.get(podKey) ?? []) if (f.container === container) f.onText(line + '\n');
    },
    endLogs(podKey) {
      for (const f of followers.get(podKey) ?? []) f.onEnd();
      followers.delete(podKey);
    },
    async podExec(req: ExecRequest, out: ExecOutput) {
      execCalls.push({ ...req, stdin: undefined });
      if (!pods[`${req.namespace}/${req.pod}`]) throw new StoreError(404, 'NotFound', `pods "${req.pod}" not found`);
      const [cmd, ...args] = req.command;
      if (cmd === 'echo') { out.stdout(Buffer.from(args.join(' ') + '\n')); return 0; }
      if (cmd === 'fail') { out.stderr(Buffer.from((args[1] ?? 'failed') + '\n')); return Number(args[0] ?? 1); }
      if (cmd === 'cat') {
        if (!req.stdin) return 0;
        for await (const chunk of req.stdin) out.stdout(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
        return 0;
      }
      out.stderr(Buffer.from(`${cmd}: not found\n`));
      return 127;
    },
  };
}
