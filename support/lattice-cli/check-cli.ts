/** A quick preflight: the CLI exists and answers `--version` (or, failing that, `--help`). */
import { PrerequisiteError } from '../errors.js';
import { CliFailedError, CliTimeoutError, runCli } from './run-cli.js';

/** Resolves with the first line the CLI printed; rejects with a PrerequisiteError. */
export async function checkCli(cli: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const first = (tail: string[]) => tail.find((l) => l.trim())?.trim() ?? '';
  for (const flag of ['--version', '--help']) {
    try {
      const result = await runCli({ cli, args: [flag], timeoutMs, killGraceMs: 500 });
      return first(result.tail) || `${cli} ${flag} printed nothing`;
    } catch (err) {
      if (err instanceof CliTimeoutError) {
        throw new PrerequisiteError(`lattice CLI at ${cli} did not answer ${flag} within ${(timeoutMs / 1000).toFixed(1)}s`, 'check that LATTICE_CLI points at the lattice binary');
      }
      if (err instanceof CliFailedError) continue; // some builds have no --version
      throw err;
    }
  }
  throw new PrerequisiteError(`lattice CLI at ${cli} fails both --version and --help`, 'check that LATTICE_CLI points at a working lattice binary');
}
