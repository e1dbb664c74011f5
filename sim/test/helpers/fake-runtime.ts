/**
 * A stand-in pod runtime for the API server's tests: logs are fixed lines per container, exec
 * understands a few commands (`echo`, `cat` (stdin → stdout), `fail <code> <text>`).
 */
import { StoreError } from '../../src/apiserver/types.js';
import type { ExecOutput, ExecRequest, PodLogOptions, PodRuntimeHooks } from '../../src/apiserver/hooks.js';

export interface FakeRuntime extends PodRuntimeHooks {
  execCalls: ExecRequest[];
  logCalls: Array<{ namespace: string; pod: string; opts: PodLogOptions }>;
}

export function createFakeRuntime(pods: Record<string, Record<string, string[]>>): FakeRuntime {
  const execCalls: ExecRequest[] = [];
  const logCalls: FakeRuntime['logCalls'] = [];
  return {
    execCalls, logCalls,
    podLog(namespace, pod, opts) {
      logCalls.push({ namespace, pod, opts });
      const lines = pods[`${namespace}/${pod}`]?.[opts.container ?? ''];
      if (!lines) throw new StoreError(404, 'NotFound', `pods "${pod}" not found`);
      const tail = opts.tailLines !== undefined ? lines.slice(-opts.tailLines) : lines;
      return tail.map((l) => l + '\n').join('');
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
