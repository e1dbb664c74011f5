/**
 * A quick preflight: the CLI exists and answers `--version` (or, failing that, `--help`) the way
 * Lattice's does. Upstream's CLI is clap with `#[command(name = "lattice")]` and
 * `#[command(version)]` (crates/lattice-cli/src/lib.rs:13-14 at b5d50e90): `--version` prints
 * `lattice <version>`, `--help` a `Usage: lattice ...` line. A program that exits 0 printing
 * anything else is not the lattice CLI, whatever the exit code says.
 */
import { PrerequisiteError } from '../errors.js';
import { redact } from '../redact.js';
import { CliFailedError, CliTimeoutError, runCli } from './run-cli.js';

const LOOKS_RIGHT: Record<string, RegExp> = {
  '--version': /^lattice \S+/,
  '--help': /^Usage: lattice\b/m,
};

/** Resolves with the first line the CLI printed; rejects with a PrerequisiteError. */
export async function checkCli(cli: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const first = (tail: string[]) => tail.find((l) => l.trim())?.trim() ?? '';
  for (const flag of ['--version', '--help'] as const) {
    let tail: string[];
    try {
      tail = (await runCli({ cli, args: [flag], timeoutMs, killGraceMs: 500 })).tail;
    } catch (err) {
      if (err instanceof CliTimeoutError) {
        throw new PrerequisiteError(`lattice CLI at ${cli} did not answer ${flag} within ${(timeoutMs / 1000).toFixed(1)}s`, 'check that LATTICE_CLI points at the lattice binary');
      }
      if (err instanceof CliFailedError) continue; // some builds have no --version
      throw err;
    }
    if (LOOKS_RIGHT[flag]!.test(tail.join('\n'))) return first(tail);
    const said = first(tail);
    const shown = said ? `"${redact(said).slice(0, 60)}${said.length > 60 ? '…' : ''}"` : 'nothing';
    const expected = flag === '--version' ? '"lattice <version>"' : 'a "Usage: lattice" line';
    throw new PrerequisiteError(`lattice CLI at ${cli} answered ${flag} with ${shown}, not ${expected}`, 'check that LATTICE_CLI points at the lattice binary');
  }
  throw new PrerequisiteError(`lattice CLI at ${cli} fails both --version and --help`, 'check that LATTICE_CLI points at a working lattice binary');
}

/**
 * What the CLI says of its version (`lattice <version>`), for the run's identity; undefined when it
 * has no --version, cannot run, or prints something else (the preflight reports those).
 */
export async function cliVersion(cli: string, opts: { timeoutMs?: number } = {}): Promise<string | undefined> {
  try {
    const { tail } = await runCli({ cli, args: ['--version'], timeoutMs: opts.timeoutMs ?? 15_000, killGraceMs: 500 });
    const first = tail.find((l) => l.trim())?.trim();
    return first && LOOKS_RIGHT['--version']!.test(first) ? first : undefined;
  } catch {
    return undefined;
  }
}
