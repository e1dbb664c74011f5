import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FixtureError, PrerequisiteError } from '../../../support/errors.js';
import {
  checkCli, CliCancelledError, CliFailedError, CliNotFoundError, CliTimeoutError, createLineRedactor, installCluster, uninstallCluster,
} from '../../../support/lattice-cli/index.js';
import { makeFakeLatticeCli, type FakeLatticeCli } from '../../helpers/fake-lattice-cli.js';

async function fixture(fake: FakeLatticeCli): Promise<string> {
  const file = join(fake.dir, 'docker-mgmt.yaml');
  await writeFile(file, 'apiVersion: lattice.dev/v1alpha1\nkind: LatticeCluster\nmetadata:\n  name: e2e-mgmt\n');
  return file;
}

/** Whether `pid` runs; a zombie (killed, not reaped by a container's init) counts as ended. */
async function isRunning(pid: number): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /, '')[0] !== 'Z';
  } catch {
    try { process.kill(pid, 0); return true; } catch { return false; }
  }
}

const args = async (fake: FakeLatticeCli) => (await readFile(fake.argsFile, 'utf8')).split('\n').filter(Boolean);

test('install streams stdout and stderr line by line and resolves on exit 0', async (t) => {
  const fake = await makeFakeLatticeCli(t);
  const lines: string[] = [];
  const result = await installCluster({ cli: fake.cli, file: await fixture(fake), timeoutMs: 10_000, onOutput: (l) => lines.push(l), env: { FAKE_LATTICE_MODE: 'ok' } });
  assert.equal(result.exitCode, 0);
  assert.deepEqual([...lines].sort(), ['Creating bootstrap cluster lattice-bootstrap', 'Done without newline', 'Waiting for phase Pivoting', 'warning: docker is slow'].sort());
  assert.ok(lines.indexOf('Creating bootstrap cluster lattice-bootstrap') < lines.indexOf('Waiting for phase Pivoting'));
});

test('output lines arrive while the CLI is still running', async (t) => {
  const fake = await makeFakeLatticeCli(t);
  const lines: string[] = [];
  // the script prints its second line only once the first has reached us
  const onOutput = (l: string) => { lines.push(l); if (l === 'first') writeFileSync(join(fake.dir, 'seen'), ''); };
  await installCluster({ cli: fake.cli, file: await fixture(fake), timeoutMs: 15_000, onOutput, env: { FAKE_LATTICE_MODE: 'slow' } });
  assert.deepEqual(lines, ['first', 'second']);
});

test('install passes exactly the flags it was given', async (t) => {
  const fake = await makeFakeLatticeCli(t);
  const file = await fixture(fake);
  const creds = join(fake.dir, 'registry.json');
  await writeFile(creds, '{}');
  await installCluster({
    cli: fake.cli, file, image: 'ghcr.io/evan-hines-js/lattice:dev', registryCredentialsFile: creds, keepBootstrapOnFailure: true,
    kubeconfigOut: '/tmp/x/e2e-mgmt.kubeconfig', timeoutMs: 10_000, onOutput: () => {},
  });
  assert.deepEqual(await args(fake), [
    'install', '-f', file, '--image', 'ghcr.io/evan-hines-js/lattice:dev', '--registry-credentials-file', creds,
    '--keep-bootstrap-on-failure', '--kubeconfig-out', '/tmp/x/e2e-mgmt.kubeconfig',
  ]);
  await installCluster({ cli: fake.cli, file, timeoutMs: 10_000, onOutput: () => {} });
  assert.deepEqual(await args(fake), ['install', '-f', file]);
});

test('uninstall passes -k, -n and -y (and the keep flag only when asked)', async (t) => {
  const fake = await makeFakeLatticeCli(t);
  const kubeconfig = join(fake.dir, 'mgmt.kubeconfig');
  await writeFile(kubeconfig, 'apiVersion: v1\n');
  await uninstallCluster({ cli: fake.cli, kubeconfig, name: 'e2e-mgmt', timeoutMs: 10_000, onOutput: () => {} });
  assert.deepEqual(await args(fake), ['uninstall', '-k', kubeconfig, '-n', 'e2e-mgmt', '-y']);
  await uninstallCluster({ cli: fake.cli, kubeconfig, name: 'e2e-mgmt', keepBootstrapOnFailure: true, timeoutMs: 10_000, onOutput: () => {} });
  assert.deepEqual(await args(fake), ['uninstall', '-k', kubeconfig, '-n', 'e2e-mgmt', '-y', '--keep-bootstrap-on-failure']);
});

test('exit 3 fails with the exit code and the last 20 lines of output', async (t) => {
  const fake = await makeFakeLatticeCli(t);
  await assert.rejects(installCluster({ cli: fake.cli, file: await fixture(fake), timeoutMs: 10_000, onOutput: () => {}, env: { FAKE_LATTICE_MODE: 'fail' } }), (err: unknown) => {
    assert.ok(err instanceof CliFailedError, String(err));
    assert.equal(err.exitCode, 3);
    assert.match(err.message, /^lattice install -f \S+docker-mgmt\.yaml failed with exit code 3 after \d+\.\ds; last 20 lines:/);
    assert.equal(err.tail.length, 20);
    assert.ok(err.tail.includes('error: CAPI cluster never became ready'));
    assert.match(err.message, /\| step 30\n/);
    assert.doesNotMatch(err.message, /\| step 10\n/);
    return true;
  });
});

test('a CLI that runs too long is stopped with its whole process group and reported as a timeout', async (t) => {
  const fake = await makeFakeLatticeCli(t);
  const started = Date.now();
  await assert.rejects(installCluster({ cli: fake.cli, file: await fixture(fake), timeoutMs: 400, onOutput: () => {}, env: { FAKE_LATTICE_MODE: 'hang' } }), (err: unknown) => {
    assert.ok(err instanceof CliTimeoutError, String(err));
    assert.match(err.message, /^lattice install -f \S+ timed out after 0\.4s and was stopped; last 1 lines:\n {2}\| waiting for machines$/);
    return true;
  });
  assert.ok(Date.now() - started < 5000, 'did not wait for the background sleep');
  const pid = Number(await readFile(fake.pidFile, 'utf8'));
  assert.equal(await isRunning(pid), false, 'the CLI\'s child process was killed too');
});

test('an AbortSignal cancels the run', async (t) => {
  const fake = await makeFakeLatticeCli(t);
  const ctl = new AbortController();
  const run = installCluster({ cli: fake.cli, file: await fixture(fake), timeoutMs: 10_000, onOutput: () => ctl.abort(), env: { FAKE_LATTICE_MODE: 'hang' }, signal: ctl.signal });
  await assert.rejects(run, CliCancelledError);
});

test('a missing binary is a prerequisite error that says how to fix it', async (t) => {
  const fake = await makeFakeLatticeCli(t);
  const missing = join(fake.dir, 'no-such-lattice');
  await assert.rejects(installCluster({ cli: missing, file: await fixture(fake), timeoutMs: 10_000, onOutput: () => {} }), (err: unknown) => {
    assert.ok(err instanceof CliNotFoundError && err instanceof PrerequisiteError);
    assert.equal(err.message, `lattice CLI not found at ${missing}; set LATTICE_CLI or install it`);
    return true;
  });
  await assert.rejects(checkCli(missing), /lattice CLI not found at/);
  const notExec = join(fake.dir, 'not-exec');
  await writeFile(notExec, '#!/bin/sh\n');
  await chmod(notExec, 0o644);
  await assert.rejects(checkCli(notExec), /is not executable; chmod \+x it or set LATTICE_CLI/);
});

test('a missing cluster file fails before the CLI runs', async (t) => {
  const fake = await makeFakeLatticeCli(t);
  await assert.rejects(installCluster({ cli: fake.cli, file: join(fake.dir, 'nope.yaml'), timeoutMs: 10_000, onOutput: () => {} }), FixtureError);
  await assert.rejects(readFile(fake.argsFile), /ENOENT/);
});

test('checkCli returns the version line', async (t) => {
  const fake = await makeFakeLatticeCli(t);
  assert.equal(await checkCli(fake.cli), 'lattice 0.1.0-fake');
  assert.deepEqual(await args(fake), ['--version']);
});

test('secrets in the output never reach the log or the error', async (t) => {
  const fake = await makeFakeLatticeCli(t);
  const lines: string[] = [];
  const env = { FAKE_LATTICE_MODE: 'secrets', GHCR_USER: 'robot', GHCR_TOKEN: 'ghp_plantedToken123456', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  await installCluster({ cli: fake.cli, file: await fixture(fake), timeoutMs: 10_000, onOutput: (l) => lines.push(l), env });
  const log = lines.join('\n');
  for (const secret of [
    'eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQyJ9', 'k8s-token-0123456789', 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVB', 'hunter2hunter2',
    'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw', '7onLRnrq0', 'ghp_plantedToken123456',
    Buffer.from('robot:ghp_plantedToken123456').toString('base64'), 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  ]) assert.ok(!log.includes(secret), `leaked ${secret.slice(0, 12)}…:\n${log}`);
  assert.match(log, /-----BEGIN RSA PRIVATE KEY----- «redacted»/);
  assert.match(log, /-----END RSA PRIVATE KEY-----/);
  // what is not secret stays readable
  assert.match(log, /lattice@sha256:0f3e4c5d6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f/);
  assert.match(log, /registry token is «redacted»/);
});

test('the line redactor hides a PEM block spread over lines and keeps ordinary lines', () => {
  const r = createLineRedactor({});
  const out = ['starting', '-----BEGIN CERTIFICATE-----', 'MIIBszCCAVmgAwIBAgIUQ', '-----END CERTIFICATE-----', 'done'].map(r).filter((l) => l !== undefined);
  assert.deepEqual(out, ['starting', '-----BEGIN CERTIFICATE----- «redacted»', '«redacted» -----END CERTIFICATE-----', 'done']);
});
