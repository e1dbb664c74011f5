/**
 * Runs the `lattice` CLI with its output streamed line by line (redacted) to a log callback,
 * a time limit, and errors that say what happened: not found, exit code with the last lines,
 * timed out with the last lines. The CLI starts kind, docker and clusterctl, so it runs in its own
 * process group and a timeout or cancel ends the whole group.
 */
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { PrerequisiteError, SuiteError } from '../errors.js';
import { createStreamRedactor, redactLine, secretValuesFor } from './redaction.js';

export const TAIL_LINES = 20;

export interface RunCliInput {
  cli: string;
  args: string[];
  timeoutMs: number;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** Each output line (stdout and stderr), already redacted. */
  onOutput?: (line: string) => void;
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL of the process group (default 5 s). */
  killGraceMs?: number;
}

export interface CliRunResult {
  command: string;
  exitCode: number;
  durationMs: number;
  /** The last lines of output, redacted. */
  tail: string[];
}

/** The CLI binary is missing or not executable. */
export class CliNotFoundError extends PrerequisiteError {}

/** The CLI ran and failed (non-zero exit or killed by a signal it was not sent by us). */
export class CliFailedError extends SuiteError {
  constructor(readonly command: string, readonly exitCode: number | undefined, readonly signalName: string | undefined, readonly tail: string[], durationMs: number) {
    super(`${command} ${exitCode !== undefined ? `failed with exit code ${exitCode}` : `was killed by ${signalName ?? 'a signal'}`} after ${seconds(durationMs)}${tailText(tail)}`);
  }
}

/** The CLI did not finish within its time limit (its process group was terminated). */
export class CliTimeoutError extends SuiteError {
  constructor(readonly command: string, readonly timeoutMs: number, readonly tail: string[]) {
    super(`${command} timed out after ${seconds(timeoutMs)} and was stopped${tailText(tail)}`);
  }
}

/** The run was cancelled through its AbortSignal. */
export class CliCancelledError extends SuiteError {
  constructor(readonly command: string, readonly tail: string[]) {
    super(`${command} was cancelled${tailText(tail)}`);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function tailText(tail: string[]): string {
  return tail.length ? `; last ${tail.length} lines:\n${tail.map((l) => `  | ${l}`).join('\n')}` : '; no output';
}

// Process groups still running, ended if the suite itself exits (detached children outlive it otherwise).
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => { for (const g of liveGroups) killGroup(g, 'SIGKILL'); });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

export async function runCli(input: RunCliInput): Promise<CliRunResult> {
  const env = { ...process.env, ...(input.env ?? {}) };
  const secrets = secretValuesFor(env);
  const command = redactLine(['lattice', ...input.args].join(' '), secrets);
  const tail: string[] = [];
  const started = Date.now();
  if (input.signal?.aborted) throw new CliCancelledError(command, tail);

  const subprocess = execa(input.cli, input.args, {
    env: input.env, stdin: 'ignore', buffer: false, detached: true, reject: true,
  });
  const pid = subprocess.pid;
  if (pid !== undefined) trackGroup(pid);

  const emitFrom = (stream: NodeJS.ReadableStream | null | undefined): Promise<void> => {
    if (!stream) return Promise.resolve();
    const redactor = createStreamRedactor(env);
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    const show = (shown: string[]) => {
      for (const line of shown) {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        try {
          input.onOutput?.(line);
        } catch {
          // a failing log callback must not crash the run or lose the tail
        }
      }
    };
    lines.on('line', (raw) => show(redactor.push(raw)));
    return new Promise((resolve) => lines.once('close', () => { show(redactor.end()); resolve(); }));
  };
  const streamsDone = Promise.all([emitFrom(subprocess.stdout), emitFrom(subprocess.stderr)]);

  let stoppedBy: 'timeout' | 'cancel' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const terminate = (why: 'timeout' | 'cancel') => {
    if (stoppedBy || pid === undefined) return;
    stoppedBy = why;
    killGroup(pid, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), input.killGraceMs ?? 5000);
  };
  const timer = setTimeout(() => terminate('timeout'), input.timeoutMs);
  const onAbort = () => terminate('cancel');
  input.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    await subprocess;
    await streamsDone;
    return { command, exitCode: 0, durationMs: Date.now() - started, tail: [...tail] };
  } catch (err) {
    await streamsDone;
    const e = err as { code?: string; exitCode?: number; signal?: string };
    if (e.code === 'ENOENT') throw new CliNotFoundError(`lattice CLI not found at ${input.cli}`, 'set LATTICE_CLI or install it');
    if (e.code === 'EACCES') throw new CliNotFoundError(`lattice CLI at ${input.cli} is not executable`, 'chmod +x it or set LATTICE_CLI');
    if (stoppedBy === 'timeout') throw new CliTimeoutError(command, input.timeoutMs, [...tail]);
    if (stoppedBy === 'cancel') throw new CliCancelledError(command, [...tail]);
    throw new CliFailedError(command, e.exitCode, e.signal, [...tail], Date.now() - started);
  } finally {
    clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
    input.signal?.removeEventListener('abort', onAbort);
    if (pid !== undefined) {
      killGroup(pid, 'SIGKILL'); // leftovers of the group (the CLI itself has exited)
      liveGroups.delete(pid);
    }
  }
}
