// A run names the Lattice it tested: the image (LATTICE_IMAGE, required for a real run) and the
// CLI with its --version, in the identity that heads the run log, the console and the HTML report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../support/config/index.js';
import { cliVersion } from '../../../support/lattice-cli/index.js';
import { describeIdentity, runIdentity } from '../../../support/report/run-identity.js';
import { makeFakeLatticeCli } from '../../helpers/fake-lattice-cli.js';
import { scratch } from '../../helpers/scratch.js';

test('a real run\'s identity names its image and the CLI\'s version', async (t) => {
  const fake = await makeFakeLatticeCli(t);
  const config = loadConfig({ LATTICE_TARGET: 'real', LATTICE_IMAGE: 'ghcr.io/evan-hines-js/lattice@sha256:1236706e', LATTICE_CLI: fake.cli, LATTICE_E2E_RUN_ID: 'r1' });
  const version = await cliVersion(config.latticeCli);
  assert.equal(version, 'lattice 0.1.0-fake');
  const id = runIdentity({ config, env: {}, ...(version ? { cliVersion: version } : {}) });
  assert.equal(id.image, 'ghcr.io/evan-hines-js/lattice@sha256:1236706e');
  assert.equal(id.cliVersion, 'lattice 0.1.0-fake');
  assert.match(describeIdentity(id), /^real target · Lattice API 2026-04 · image ghcr\.io\/evan-hines-js\/lattice@sha256:1236706e · CLI \S+ \(lattice 0\.1\.0-fake\) · run r1 · /);
});

test('a CLI without --version (or one that cannot run) leaves the version out instead of failing', async (t) => {
  const dir = scratch(t);
  const helpOnly = join(dir, 'lattice');
  writeFileSync(helpOnly, '#!/bin/sh\n[ "$1" = "--help" ] && { echo "Usage: lattice <COMMAND>"; exit 0; }\necho "error: unexpected argument" >&2; exit 2\n');
  chmodSync(helpOnly, 0o755);
  assert.equal(await cliVersion(helpOnly), undefined);
  assert.equal(await cliVersion(join(dir, 'missing-lattice')), undefined);
  const id = runIdentity({ config: loadConfig({ LATTICE_CLI: helpOnly }), env: {} });
  assert.doesNotMatch(describeIdentity(id), /\(/);
});

test('LATTICE_TARGET=real without LATTICE_IMAGE is refused in one line naming both variables', () => {
  assert.throws(() => loadConfig({ LATTICE_TARGET: 'real' }), (e: Error) => {
    assert.equal(e.message.split('\n').length, 1);
    assert.match(e.message, /^bad setting: LATTICE_TARGET=real needs LATTICE_IMAGE: name the Lattice image under test/);
    return true;
  });
  assert.equal(loadConfig({}).target, 'embedded', 'the embedded target needs no image');
});
