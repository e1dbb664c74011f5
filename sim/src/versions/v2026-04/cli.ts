/**
 * `lattice install` of b5d50e90 (cli/commands/install.rs:85-123): `--validate` instead of
 * `--dry-run` (which clap then refuses as an unexpected argument, exit 2) and `--run-id`
 * (env LATTICE_RUN_ID). Built from the 2026-01 spec so the shared flags stay identical.
 */
import type { CommandSpec, FlagSpec } from '../../cli/args.js';

export function installSpecV2026_04(base: CommandSpec): CommandSpec {
  const flags: FlagSpec[] = [];
  for (const f of base.flags) {
    if (f.long === 'dry-run') {
      flags.push({ long: 'validate', help: 'Validate configuration and show install plan without making changes' }); // install.rs:112-114
      continue;
    }
    flags.push(f);
    if (f.long === 'kubeconfig-out') {
      flags.push({ long: 'run-id', value: 'RUN_ID', env: 'LATTICE_RUN_ID', help: 'Run ID for this install session (auto-generated if not provided)' }); // install.rs:119-123
    }
  }
  return { ...base, flags };
}

/** install.rs:1754-1772: `--validate` only parses the file and prints the plan (no spec.validate()). */
export function validatePlan(name: string): string {
  return [
    `Dry run for cluster: ${name}`,
    '  1. create the kind bootstrap cluster',
    '  2. install the Lattice operator and CAPI providers on it',
    `  3. apply the LatticeCluster and wait for "${name}" to be provisioned`,
    `  4. pivot: move the CAPI resources into "${name}"`,
    '  5. delete the bootstrap cluster',
    '',
  ].join('\n');
}
