// A run tells the Lattice API version only as a client of a real Lattice could (docs/LATTICE-2026-04.md §1):
// from the CRDs the management cluster serves (here a fake API server serving each version's set) and
// from `lattice install --help`; a named version that disagrees is refused in one line (BAD-INPUT B48).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCluster } from '../../../support/kube/index.js';
import { loadConfig } from '../../../support/config/index.js';
import { ConfigError } from '../../../support/errors.js';
import { chooseRunVersion, confirmServedVersion, servedLatticeCrds } from '../../../support/run/run-version.js';
import { versionFromCrds, versionFromInstallHelp, VersionMismatchError } from '../../../support/versions/detect.js';
import { startFakeApiServer } from '../../helpers/fake-apiserver.js';
import { assertClearMessage, thrown } from '../bad-input/contract.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
// 1236706e lattice-operator/src/main.rs:192-212; b5d50e90 lattice-operator/src/startup/crds.rs:23-110.
const SERVED: Record<string, string[]> = {
  '2026-01': ['latticeclusters', 'latticeservices', 'latticeexternalservices'],
  '2026-04': ['latticeclusters', 'latticeclusterroutes', 'latticeservices', 'latticemeshmembers', 'latticejobs', 'latticemodels', 'latticepackages', 'latticequotas',
    'latticeclusterbackups', 'latticerestores', 'backupstores', 'infraproviders', 'secretproviders', 'oidcproviders', 'imageproviders', 'cedarpolicies', 'dnsproviders', 'certissuers'],
};

for (const version of ['2026-01', '2026-04'] as const) {
  test(`a management cluster serving ${version}'s CRDs is detected as ${version}; a run speaking the other is refused in one line`, async (t) => {
    const server = await startFakeApiServer(t);
    for (const plural of SERVED[version]!) server.put(CRDS, { metadata: { name: `${plural}.lattice.dev` } });
    server.put(CRDS, { metadata: { name: 'clusters.cluster.x-k8s.io' } });
    const client = openCluster(await server.writeKubeconfig('e2e-mgmt'), 'e2e-mgmt');
    assert.equal((await servedLatticeCrds(client)).length, SERVED[version]!.length, 'only lattice.dev CRDs count');
    const found = await confirmServedVersion(client, { version, how: 'named by LATTICE_VERSION' });
    assert.equal(found.version, version);
    const other = version === '2026-01' ? '2026-04' : '2026-01';
    const err = await thrown(() => confirmServedVersion(client, { version: other, how: 'named by LATTICE_VERSION' }));
    assert.ok(err instanceof VersionMismatchError);
    assertClearMessage(err.message, { names: [`speaks Lattice API ${other}`, `e2e-mgmt serves ${version}`, `LATTICE_VERSION=${version}`] });
  });
}

test('a cluster serving no Lattice CRD cannot be told, and says what it serves', async (t) => {
  const server = await startFakeApiServer(t);
  server.ensureCollection(CRDS);
  const client = openCluster(await server.writeKubeconfig('plain'), 'plain');
  const err = await thrown(() => confirmServedVersion(client, { version: '2026-04', how: 'the default' }));
  assertClearMessage(err.message, { names: ['cannot tell the Lattice API version of plain', 'no lattice.dev CRD'] });
});

test('both decisive CRDs at once (or neither) decide nothing', () => {
  assert.equal(versionFromCrds(['latticeexternalservices.lattice.dev', 'infraproviders.lattice.dev']), undefined);
  assert.equal(versionFromCrds(['latticeclusters.lattice.dev']), undefined);
});

test('lattice install --help: --validate is 2026-04\'s, --dry-run 2026-01\'s', () => {
  assert.equal(versionFromInstallHelp('Options:\n  -f, --file <FILE>\n      --validate  Validate only\n      --run-id <RUN_ID>')?.version, '2026-04');
  assert.equal(versionFromInstallHelp('Options:\n      --dry-run  Print the plan')?.version, '2026-01');
  assert.equal(versionFromInstallHelp('Usage: lattice install'), undefined);
});

const realConfig = (env: Record<string, string>) => loadConfig({ LATTICE_TARGET: 'real', LATTICE_IMAGE: 'ghcr.io/evan-hines-js/lattice@sha256:b5d50e90', LATTICE_CLI: 'lattice', ...env });
const HELP_2026_04 = 'Usage: lattice install [OPTIONS] --file <FILE>\n      --validate\n      --run-id <RUN_ID>';

test('B48 LATTICE_VERSION that the real target\'s CLI contradicts: refused at start-up in one line', async () => {
  const err = await thrown(() => chooseRunVersion(realConfig({ LATTICE_VERSION: '2026-01' }), async () => HELP_2026_04));
  assert.ok(err instanceof ConfigError);
  assertClearMessage(err.message, { names: ['LATTICE_VERSION=2026-01', "is 2026-04's", 'lattice install --help offers --validate', 'set LATTICE_VERSION=2026-04'] });
});

test('a real target without LATTICE_VERSION takes the CLI\'s version; the embedded target the named (or default) one', async () => {
  assert.deepEqual(await chooseRunVersion(realConfig({}), async () => HELP_2026_04), { version: '2026-04', how: 'detected: lattice install --help offers --validate' });
  assert.deepEqual(await chooseRunVersion(realConfig({ LATTICE_VERSION: '2026-04' }), async () => HELP_2026_04), { version: '2026-04', how: 'named by LATTICE_VERSION; lattice install --help offers --validate' });
  assert.equal((await chooseRunVersion(realConfig({}), async () => undefined)).how, 'the default (lattice install --help does not tell)');
  assert.deepEqual(await chooseRunVersion(loadConfig({ LATTICE_VERSION: '2026-04' }), async () => assert.fail('the embedded target is asked, not its CLI')), { version: '2026-04', how: 'named by LATTICE_VERSION; asked of the embedded target at install' });
});
