/**
 * `lattice` learns the Lattice API version from LATTICE_SIM_API_VERSION, like `lattice install`:
 * unset means 2026-04, whose `install --help` has `--validate` and `--run-id` and refuses `--dry-run`
 * as clap does (exit 2; cli/commands/install.rs:85-123); 2026-01 keeps `--dry-run`. A bad value is
 * one line naming the variable. No daemon is started by any of this.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LATTICE_BIN, newSimEnv, run } from '../cli/run.js';

describe('lattice CLI per API version', { concurrency: 4 }, () => {
  const sim = newSimEnv();
  after(() => sim.dispose());
  const env = (v: string | undefined): NodeJS.ProcessEnv => {
    const e = { ...sim.env };
    if (v === undefined) delete e.LATTICE_SIM_API_VERSION; else e.LATTICE_SIM_API_VERSION = v;
    return e;
  };
  const file = join(sim.dir, 'cluster.yaml');
  writeFileSync(file, 'apiVersion: lattice.dev/v1alpha1\nkind: LatticeCluster\nmetadata:\n  name: e2e-mgmt\nspec:\n  providerRef: docker\n  latticeImage: ""\n  provider:\n    kubernetes: {version: "1.32.0"}\n    config: {docker: {}}\n  nodes:\n    controlPlane: {replicas: 2}\n');

  it('unset (2026-04): install --help shows --validate and --run-id, not --dry-run', async () => {
    const r = await run(LATTICE_BIN, ['install', '--help'], { env: env(undefined) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\n\s+--validate\s+Validate configuration and show install plan without making changes\n/);
    assert.match(r.stdout, /\n\s+--run-id <RUN_ID>\s+.*\[env: LATTICE_RUN_ID=\]/);
    assert.doesNotMatch(r.stdout, /--dry-run/);
  });

  it('2026-01: install --help shows --dry-run, not --validate or --run-id', async () => {
    const r = await run(LATTICE_BIN, ['help', 'install'], { env: env('2026-01') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /--dry-run/);
    assert.doesNotMatch(r.stdout, /--validate|--run-id/);
  });

  it('2026-04: --dry-run is an unexpected argument (exit 2)', async () => {
    const r = await run(LATTICE_BIN, ['install', '-f', file, '--dry-run'], { env: env('2026-04') });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: unexpected argument '--dry-run' found/);
  });

  it('2026-04: --validate prints the plan without validating the spec (an even control plane passes)', async () => {
    const r = await run(LATTICE_BIN, ['install', '-f', file, '--validate'], { env: env('2026-04') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Dry run for cluster: e2e-mgmt\n/);
    assert.equal(existsSync(join(sim.home, 'daemon.json')), false, 'no daemon started');
  });

  it('2026-01: --validate is an unexpected argument (exit 2)', async () => {
    const r = await run(LATTICE_BIN, ['install', '-f', file, '--validate'], { env: env('2026-01') });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: unexpected argument '--validate' found/);
  });

  it('an unknown version is one line naming LATTICE_SIM_API_VERSION (exit 1)', async () => {
    const r = await run(LATTICE_BIN, ['install', '-f', file], { env: env('2025-12') });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: unknown Lattice API version "2025-12" in LATTICE_SIM_API_VERSION; known versions: 2026-01, 2026-04 (unset means 2026-04)\n');
  });
});
