/**
 * The fault catalogue: parsed from sim/FAULTS.md, and cross-checked against the target itself
 * through its control CLI (a scratch daemon refusing an unknown fault lists the faults it knows).
 */
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compareCatalogues, parseFaultsMarkdown, parseKnownFaults, type CatalogedFault } from './faults-md.js';

const run = promisify(execFile);

export async function readCatalogue(root: string): Promise<CatalogedFault[]> {
  return parseFaultsMarkdown(await readFile(join(root, 'sim', 'FAULTS.md'), 'utf8'));
}

/** What the target says it knows; `home` is a scratch LATTICE_SIM_HOME, removed afterwards. */
export async function targetFaults(root: string, home: string): Promise<string[]> {
  const cli = join(root, 'sim', 'bin', 'lattice-sim');
  const env: NodeJS.ProcessEnv = { ...process.env, LATTICE_SIM_HOME: home };
  delete env.LATTICE_SIM_FAULTS;
  await rm(home, { recursive: true, force: true });
  try {
    await run(cli, ['start'], { env, timeout: 60_000 });
    const probe = await run(cli, ['faults', 'not-a-seeded-fault'], { env, timeout: 60_000 }).then(
      (r) => ({ ok: true, text: `${r.stdout}${r.stderr}` }),
      (err: { stdout?: string; stderr?: string }) => ({ ok: false, text: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
    );
    if (probe.ok) throw new Error('the target accepted the fault "not-a-seeded-fault": cannot read its catalogue');
    const known = parseKnownFaults(probe.text);
    if (!known) throw new Error(`the target refused an unknown fault without listing the known ones: ${probe.text.trim()}`);
    return known;
  } finally {
    await run(cli, ['stop'], { env, timeout: 60_000 }).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  }
}

/** One line per disagreement between FAULTS.md and the target; empty when they agree. */
export function catalogueProblems(documented: readonly string[], target: readonly string[]): string[] {
  const { undocumented, unknownToTarget } = compareCatalogues(documented, target);
  return [
    ...undocumented.map((f) => `the target knows fault "${f}" but sim/FAULTS.md does not list it`),
    ...unknownToTarget.map((f) => `sim/FAULTS.md lists fault "${f}" but the target refuses it`),
  ];
}
