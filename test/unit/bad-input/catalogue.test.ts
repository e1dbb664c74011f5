// The bad-input catalogue (docs/BAD-INPUT.md), input by input: the suite's functions give one clear
import { scratch as scratchDir } from '../../helpers/scratch.js';
// line naming the input and the fix, without a stack trace or a secret. Test names start with the
// catalogue id; the whole-command entries live in test/integration/bad-input-command.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as yaml from 'js-yaml';
import { clusterFixturesDir, loadConfig } from '../../../support/config/index.js';
import { ConfigError, FixtureError, PrerequisiteError, WaitTimeoutError } from '../../../support/errors.js';
import { loadClusterFixture } from '../../../support/fixtures/index.js';
import { openCluster, type ClusterClient } from '../../../support/kube/clients.js';
import { getLatticeCluster, LATTICE_CLUSTERS_PATH as PATH, watchClusterPhase } from '../../../support/kube/lattice-cluster.js';
import { countReadyWorkers } from '../../../support/kube/index.js';
import { runCli } from '../../../support/lattice-cli/run-cli.js';
import { connectDocker } from '../../../support/providers/docker/engine.js';
import { checkRegistryCredentialsFile, preflight } from '../../../support/run/preflight.js';
import { reportsDirProblem } from '../../../support/run/reports-dir.js';
import { processStartTicks } from '../../../support/run/leftovers.js';
import { endRun, startRun } from '../../../support/run/run-context.js';
import { registryCredentialValues } from '../../../support/redact.js';
import { FAKE_TOKEN, startFakeApiServer, type FakeApiServer } from '../../helpers/fake-apiserver.js';
import { assertClearMessage, thrown } from './contract.js';

const scratch = (t: { after: (fn: () => void) => void }): string => scratchDir(t, 'lattice-bad-input-');
const fixture = (name: string): Record<string, any> => yaml.load(readFileSync(resolve(clusterFixturesDir, `${name}.yaml`), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const config = (env: Record<string, string>, cwd = '/') => loadConfig(env, { cwd });

// --- fixtures ---------------------------------------------------------------------------------

test('B01 malformed YAML fixture: names the file and the line', async (t) => {
  const dir = scratch(t);
  const file = join(dir, 'broken.yaml');
  writeFileSync(file, 'apiVersion: lattice.dev/v1alpha1\nkind: LatticeCluster\nmetadata:\n  name: e2e-mgmt\n spec: [\n');
  const err = await thrown(() => loadClusterFixture(file));
  assert.ok(err instanceof FixtureError);
  assertClearMessage(err.message, { names: ['broken.yaml', 'line'] });
  assert.match(err.message, /YAML/i);
});

test('B02 wrong kind: a LatticeService where a LatticeCluster is expected', async (t) => {
  const dir = scratch(t);
  const file = join(dir, 'service.yaml');
  writeFileSync(file, yaml.dump({ ...fixture('docker-mgmt'), kind: 'LatticeService' }));
  const err = await thrown(() => loadClusterFixture(file));
  assert.ok(err instanceof FixtureError);
  assertClearMessage(err.message, { names: ['service.yaml', 'LatticeService', 'LatticeCluster'] });
});

test('B03 missing fixture: a fixture variable naming nothing that exists', async () => {
  const err = await thrown(() => config({ LATTICE_MGMT_CLUSTER_CONFIG: 'gcp-mgmt' }));
  assert.ok(err instanceof ConfigError);
  assertClearMessage(err.message, { names: ['LATTICE_MGMT_CLUSTER_CONFIG', '"gcp-mgmt"'] });
});

test('B04 unknown provider block: spec.provider.config.gcp', async (t) => {
  const dir = scratch(t);
  const m = fixture('docker-mgmt');
  m.spec.provider.config = { gcp: { project: 'x' } };
  writeFileSync(join(dir, 'gcp.yaml'), yaml.dump(m));
  const err = await thrown(() => loadClusterFixture(join(dir, 'gcp.yaml')));
  assert.ok(err instanceof FixtureError);
  assertClearMessage(err.message, { names: ['gcp.yaml', 'spec.provider.config', 'allowed: docker, aws, openstack, proxmox'] });
});

for (const [id, what, patch, field] of [
  ['B05', 'control plane count 0', (m: any) => { m.spec.nodes.controlPlane = 0; }, 'spec.nodes.controlPlane'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['B05', 'negative worker count', (m: any) => { m.spec.nodes.workers = -1; }, 'spec.nodes.workers'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['B05', 'fractional control plane count', (m: any) => { m.spec.nodes.controlPlane = 1.5; }, 'spec.nodes.controlPlane'], // eslint-disable-line @typescript-eslint/no-explicit-any
] as const) {
  test(`${id} invalid node counts: ${what}`, async (t) => {
    const dir = scratch(t);
    const m = fixture('docker-workload');
    patch(m);
    writeFileSync(join(dir, 'nodes.yaml'), yaml.dump(m));
    const err = await thrown(() => loadClusterFixture(join(dir, 'nodes.yaml')));
    assert.ok(err instanceof FixtureError);
    assertClearMessage(err.message, { names: ['nodes.yaml', field] });
  });
}

// --- environment --------------------------------------------------------------------------------

for (const [id, what, env, names] of [
  ['B06', 'a boolean that is not one', { LATTICE_ENABLE_MESH_TEST: 'maybe' }, ['LATTICE_ENABLE_MESH_TEST', '"maybe"', 'true/false']],
  ['B07', 'a duration that is not one', { LATTICE_TIMEOUT_CLUSTER_PHASE: 'soon' }, ['LATTICE_TIMEOUT_CLUSTER_PHASE', '"soon"']],
  ['B08', 'an unknown target', { LATTICE_TARGET: 'cloud' }, ['LATTICE_TARGET', '"cloud"', 'embedded or real']],
  ['B09', 'a version with a v prefix', { LATTICE_UPGRADE_FROM_VERSION: 'v1.31.0' }, ['LATTICE_UPGRADE_FROM_VERSION', '"v1.31.0"', 'x.y.z']],
  ['B09', 'an upgrade going backwards', { LATTICE_UPGRADE_FROM_VERSION: '1.32.0', LATTICE_UPGRADE_TO_VERSION: '1.31.0' }, ['LATTICE_UPGRADE_TO_VERSION', 'not newer']],
  ['B10', 'a run id with capitals and underscores', { LATTICE_E2E_RUN_ID: 'My_Run' }, ['LATTICE_E2E_RUN_ID', '"My_Run"']],
  ['B11', 'a misspelt wait variable', { LATTICE_TIMEOUT_CLUSTER_PHAES: '10s' }, ['LATTICE_TIMEOUT_CLUSTER_PHAES', 'VARIABLES.md']],
  ['B12', 'a registry credentials file that does not exist', { REGISTRY_CREDENTIALS_FILE: '/nonexistent/creds.json' }, ['REGISTRY_CREDENTIALS_FILE', '/nonexistent/creds.json']],
  ['B14', 'a LATTICE_CLI path that does not exist', { LATTICE_CLI: './bin/nope' }, ['LATTICE_CLI', '"./bin/nope"']],
  ['B28', 'a poll interval longer than its timeout', { LATTICE_TIMEOUT_WAYPOINT: '10s', LATTICE_POLL_WAYPOINT: '1m' }, ['LATTICE_POLL_WAYPOINT', 'LATTICE_TIMEOUT_WAYPOINT']],
  ['B29', 'a kubeconfig-extraction attempt count of 0', { LATTICE_KUBECONFIG_ATTEMPTS: '0' }, ['LATTICE_KUBECONFIG_ATTEMPTS', '"0"']],
  ['B43', 'a real run without an explicit image', { LATTICE_TARGET: 'real' }, ['LATTICE_TARGET=real', 'LATTICE_IMAGE', 'image under test']],
] as const) {
  test(`${id} bad env value: ${what}`, async () => {
    const err = await thrown(() => config({ ...env }));
    assert.ok(err instanceof ConfigError);
    assertClearMessage(err.message, { names: [...names] });
  });
}

test('B30 a work folder path that is a file', async (t) => {
  const dir = scratch(t);
  writeFileSync(join(dir, 'file'), '');
  const err = await thrown(() => config({ LATTICE_E2E_WORK_DIR: 'file' }, dir));
  assertClearMessage(err.message, { names: ['LATTICE_E2E_WORK_DIR', '"file"', 'folder'] });
});

test('B13 a registry credentials file that is not JSON: refused, its content never quoted', async (t) => {
  const dir = scratch(t);
  const file = join(dir, 'creds.json');
  writeFileSync(file, 'auths: ghcr.io canary-notjson-secret-77\n');
  const err = await thrown(() => checkRegistryCredentialsFile(file));
  assert.ok(err instanceof PrerequisiteError);
  assertClearMessage(err.message, { names: ['REGISTRY_CREDENTIALS_FILE', file, 'not JSON'], secrets: ['canary-notjson-secret-77', 'auths: ghcr'] });
  writeFileSync(file, '["a"]');
  assertClearMessage((await thrown(() => checkRegistryCredentialsFile(file))).message, { names: ['not a JSON object'] });
});

// --- the lattice CLI ----------------------------------------------------------------------------

// LATTICE_CLI chosen for the embedded target (a real run's CLI is checked with its other prerequisites: test/unit/run/preflight.test.ts).
const cliConfig = (latticeCli: string) => ({ ...config({}), latticeCli, fromEnv: ['LATTICE_CLI'] });

test('B15 LATTICE_CLI names a command that is not on PATH', async () => {
  const err = await thrown(() => preflight(cliConfig('lattice-nope-cli-x')));
  assert.ok(err instanceof PrerequisiteError);
  assertClearMessage(err.message, { names: ['lattice-nope-cli-x', 'not found'] });
});

test('B16 LATTICE_CLI that fails everything (--version and --help)', async (t) => {
  const dir = scratch(t);
  const cli = join(dir, 'lattice');
  writeFileSync(cli, '#!/bin/sh\necho "segfault" >&2\nexit 1\n');
  chmodSync(cli, 0o755);
  const err = await thrown(() => preflight(cliConfig(cli)));
  assert.ok(err instanceof PrerequisiteError);
  assertClearMessage(err.message, { names: [cli, '--version', '--help'] });
});

test('B17 the lattice CLI failing mid-install: command and exit code on the first line, output tail redacted', async (t) => {
  const dir = scratch(t);
  const cli = join(dir, 'lattice');
  writeFileSync(cli, '#!/bin/sh\necho "Error: cluster e2e-mgmt Failed: control plane count must be odd (token: canary-cli-tok-5)" >&2\nexit 1\n');
  chmodSync(cli, 0o755);
  const err = await thrown(() => runCli({ cli, args: ['install', '-f', 'x.yaml'], timeoutMs: 20_000 }));
  const first = err.message.split('\n')[0]!;
  assertClearMessage(first, { names: ['lattice install -f x.yaml', 'exit code 1'], noFix: true });
  assert.match(err.message, /control plane count must be odd/, 'the reason is in the tail');
  assert.ok(!err.message.includes('canary-cli-tok-5'), err.message);
});

// --- Docker -------------------------------------------------------------------------------------

test('B18 DOCKER_HOST that is not an address the suite can use', async () => {
  const err = await thrown(() => connectDocker('ftp://engine:21'));
  assert.ok(err instanceof PrerequisiteError);
  assertClearMessage(err.message, { names: ['DOCKER_HOST', 'ftp://engine:21'] });
});

// --- kubeconfigs and APIs ----------------------------------------------------------------------

test('B20 unreadable kubeconfig: not YAML (with a token in it), a folder, a missing file', async (t) => {
  const dir = scratch(t);
  const bad = join(dir, 'bad.kubeconfig');
  writeFileSync(bad, 'apiVersion: v1\nusers:\n- name: u\n  user:\n    token: canary-kc-token-3\n   bad: [\n');
  const e1 = await thrown(() => openCluster(bad));
  assertClearMessage(e1.message, { names: [bad, 'not valid YAML'], secrets: ['canary-kc-token-3'] });
  mkdirSync(join(dir, 'folder'));
  assertClearMessage((await thrown(() => openCluster(join(dir, 'folder')))).message, { names: ['folder', 'not a file'] });
  assertClearMessage((await thrown(() => openCluster(join(dir, 'missing')))).message, { names: ['missing', 'does not exist'] });
});

async function apiSetup(t: Parameters<typeof startFakeApiServer>[0]): Promise<{ server: FakeApiServer; client: ClusterClient }> {
  const server = await startFakeApiServer(t);
  server.ensureCollection(PATH);
  return { server, client: openCluster(await server.writeKubeconfig('e2e-mgmt')) };
}
const fast = { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } };

for (const [id, status, names] of [
  ['B21', 401, ['GET latticeclusters/e2e-workload', '401', 'credentials']],
  ['B22', 403, ['GET latticeclusters/e2e-workload', '403', 'admin kubeconfig']],
  ['B23', 500, ['GET latticeclusters/e2e-workload', '500', 'after 3 attempts', 'health']],
] as const) {
  test(`${id} an API that refuses with ${status}`, async (t) => {
    const { server, client } = await apiSetup(t);
    server.addFault({ match: () => true, status, message: `injected ${status}` });
    const err = await thrown(() => getLatticeCluster(client, 'e2e-workload', fast));
    assertClearMessage(err.message, { names: [...names], secrets: [FAKE_TOKEN] });
  });
}

test('B24 a cluster whose API does not answer (kubeconfig pointing at a closed port)', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'k');
  writeFileSync(path, 'apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:9\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: canary-closed-port-1\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n');
  const err = await thrown(() => countReadyWorkers(openCluster(path), { retry: { attempts: 2, baseDelayMs: 5 } }));
  assertClearMessage(err.message, { names: ['LIST nodes', 'ECONNREFUSED', 'server address'], secrets: ['canary-closed-port-1'] });
});

const lc = (phase?: string) => ({ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name: 'e2e-workload' }, spec: {}, ...(phase ? { status: { phase, message: `${phase} for a while` } } : {}) });

test('B25 a watch that drops repeatedly: the wait still follows the state (polling as fallback) and ends when Ready', async (t) => {
  const { server, client } = await apiSetup(t);
  server.put(PATH, lc('Provisioning'));
  const wait = watchClusterPhase({ client, name: 'e2e-workload', timeoutMs: 10_000, intervalMs: 50 });
  for (let i = 1; i <= 3; i++) { await server.waitForWatch(() => true, i); server.dropWatches(); }
  server.put(PATH, lc('Ready'));
  const timeline = await wait;
  assert.deepEqual(timeline.map((x) => x.phase), ['Provisioning', 'Ready']);
  assert.ok(server.requests.filter((r) => r.watch).length >= 3, 'the watch was dropped three times');
});

test('B26 a watch that drops repeatedly and a cluster that never gets there: the timeout names resource, condition and last state', async (t) => {
  const { server, client } = await apiSetup(t);
  server.put(PATH, lc('Pivoting'));
  server.rejectWatches(500);
  const err = await thrown(() => watchClusterPhase({ client, name: 'e2e-workload', timeoutMs: 800, intervalMs: 50 }));
  assert.ok(err instanceof WaitTimeoutError);
  assertClearMessage(err.message, { names: ['LatticeCluster e2e-workload on e2e-mgmt', 'phase Ready', 'Pivoting'], noFix: true, secrets: [FAKE_TOKEN] });
});

test('B27 a cluster stuck in a phase: the timeout names the resource, the condition and the last state seen', async (t) => {
  const { server, client } = await apiSetup(t);
  server.put(PATH, lc('Provisioning'));
  const err = await thrown(() => watchClusterPhase({ client, name: 'e2e-workload', timeoutMs: 600, intervalMs: 50 }));
  assert.ok(err instanceof WaitTimeoutError);
  assertClearMessage(err.message, { names: ['timed out after 0.6s', 'LatticeCluster e2e-workload on e2e-mgmt', 'phase Ready', 'last seen', 'Provisioning'], noFix: true });
});

test('B33 a real run missing cloud credentials (AWS_* unset for aws fixtures): every missing one in one line', async (t) => {
  const { assertPrerequisites } = await import('../../../support/preflight.js');
  const dir = scratch(t);
  for (const tool of ['lattice', 'docker', 'kind', 'clusterctl']) { writeFileSync(join(dir, tool), '#!/bin/sh\nexit 0\n'); chmodSync(join(dir, tool), 0o755); }
  const err = await thrown(() => assertPrerequisites({
    config: { ...config({}), target: 'real', latticeCli: 'lattice' }, providers: ['aws'],
    env: { PATH: dir, AWS_SECRET_ACCESS_KEY: 'canary-aws-present-1' },
    engineReachable: async () => undefined, cliAnswers: async () => undefined,
  }));
  assert.ok(err instanceof PrerequisiteError);
  assertClearMessage(err.message, { names: ['AWS_ACCESS_KEY_ID is not set', 'AWS_REGION is not set', 'aws fixtures'], secrets: ['canary-aws-present-1'] });
  assert.ok(!err.message.includes('AWS_SECRET_ACCESS_KEY is not set'), 'a variable that is set is not named');
});

// --- reliability probe (issue 18) -------------------------------------------------------------

test('B34 a YAML alias bomb as a cluster fixture: refused at load time, before anything reaches the target', async (t) => {
  const dir = scratch(t);
  const file = join(dir, 'bomb.yaml');
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const base = readFileSync(resolve(clusterFixturesDir, 'docker-mgmt.yaml'), 'utf8');
  writeFileSync(file, `${base.trimEnd()}\n${levels.map((l) => `x-${l}`).join('\n')}\n`);
  assert.ok(readFileSync(file).length < 2048);
  const started = Date.now();
  const err = await thrown(() => loadClusterFixture(file));
  assert.ok(err instanceof FixtureError, String(err));
  assertClearMessage(err.message, { names: ['bomb.yaml', 'alias'] });
  assert.ok(Date.now() - started < 10_000, 'refused at once');
});

test('B35 REGISTRY_CREDENTIALS_FILE naming a FIFO: refused at start-up without opening it (open() blocks until a writer comes)', async (t) => {
  const dir = scratch(t);
  const fifo = join(dir, 'creds.fifo');
  execFileSync('mkfifo', [fifo]);
  const started = Date.now();
  const err = await thrown(() => config({ REGISTRY_CREDENTIALS_FILE: fifo }));
  assertClearMessage(err.message, { names: ['REGISTRY_CREDENTIALS_FILE', fifo, 'FIFO'] });
  // Masking reads the file's secrets on every log line: it must not open a FIFO either.
  assert.deepEqual(registryCredentialValues(fifo), []);
  assert.ok(Date.now() - started < 10_000);
});

test('B36 REGISTRY_CREDENTIALS_FILE=/dev/zero: refused at once (reading it never ends)', async () => {
  const started = Date.now();
  const err = await thrown(() => config({ REGISTRY_CREDENTIALS_FILE: '/dev/zero' }));
  assertClearMessage(err.message, { names: ['REGISTRY_CREDENTIALS_FILE', '/dev/zero', 'device'] });
  assert.deepEqual(registryCredentialValues('/dev/zero'), []);
  assert.ok(Date.now() - started < 10_000);
});

test('B37 a work folder under /proc (or anywhere it cannot be created): refused at start-up', async () => {
  const started = Date.now();
  const err = await thrown(() => config({ LATTICE_E2E_WORK_DIR: '/proc/lattice-work/run' }));
  assertClearMessage(err.message, { names: ['LATTICE_E2E_WORK_DIR', '/proc/lattice-work/run', 'cannot be created'] });
  assert.ok(Date.now() - started < 10_000, 'no mkdir loop');
});

test('B38 a reports folder that is a file: one line before Cucumber opens its reports', async (t) => {
  const dir = scratch(t);
  writeFileSync(join(dir, 'reports'), '');
  const line = reportsDirProblem({ LATTICE_E2E_REPORTS_DIR: 'reports' }, dir);
  assert.ok(line);
  assertClearMessage(line, { names: ['LATTICE_E2E_REPORTS_DIR', '"reports"', 'not a folder'] });
  assert.equal(reportsDirProblem({ LATTICE_E2E_REPORTS_DIR: join(dir, 'fresh', 'reports') }, dir), undefined, 'a missing folder is fine: it is created');
});

test('B39 a reports folder that cannot be written (under /proc, read-only): one line, no mkdir loop', async () => {
  const started = Date.now();
  const line = reportsDirProblem({ LATTICE_E2E_REPORTS_DIR: '/proc/lattice-reports' });
  assert.ok(line);
  assertClearMessage(line, { names: ['LATTICE_E2E_REPORTS_DIR', '/proc/lattice-reports', 'not writable'] });
  assert.ok(Date.now() - started < 10_000);
});

test('B40 LATTICE_RANDOM_MESH_SEED=-1: refused at start-up, with the other bad settings, not when the random mesh scenario starts', async () => {
  const err = await thrown(() => config({ LATTICE_RANDOM_MESH_SEED: '-1' }));
  assert.ok(err instanceof ConfigError);
  assertClearMessage(err.message, { names: ['LATTICE_RANDOM_MESH_SEED', '"-1"', '0..4294967295'] });
});

test('B41 a LATTICE_CLI that prints garbage and exits 0: refused at start-up as not the lattice CLI', async (t) => {
  const dir = scratch(t);
  const cli = join(dir, 'lattice');
  writeFileSync(cli, '#!/bin/sh\necho "%%garbage%% 0xdeadbeef"\nexit 0\n');
  chmodSync(cli, 0o755);
  const err = await thrown(() => preflight(cliConfig(cli)));
  assert.ok(err instanceof PrerequisiteError);
  assertClearMessage(err.message, { names: [cli, '--version', 'lattice <version>'] });
});

test('B42 a second run on a target a live run holds (same LATTICE_SIM_HOME): refused at start-up naming that run, before any sweep', async (t) => {
  const dir = scratch(t);
  const home = join(dir, 'sim');
  mkdirSync(home);
  const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
  t.after(() => { holder.kill('SIGKILL'); });
  writeFileSync(join(home, '.lattice-run.json'), JSON.stringify({ runId: 'rholder', pid: holder.pid, pidStart: processStartTicks(holder.pid!), startedAt: '2026-12-03T10:00:00Z' }));
  const err = await thrown(async () => { try { await startRun({ LATTICE_SIM_HOME: home, LATTICE_E2E_WORK_DIR: join(dir, 'w'), LATTICE_E2E_RUN_ID: 'rsecond' }); } finally { endRun(); } });
  assertClearMessage(err.message, { names: [home, 'rholder', `pid ${holder.pid}`] });
});
