// Canary secrets planted in every place a run gets them from (cloud credentials in the environment,
// the registry credentials file, the kubeconfigs the target issues) must appear in no output of a
// run: reports, attachments, diagnostics, the run log, the console. The run fails on purpose (a
// seeded fault) so diagnostics are written too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { listFiles, sandbox, startSuite } from './helpers.js';

const canary = (what: string) => `canary-${what}-${randomBytes(6).toString('hex')}`;

interface KubeconfigSecrets { token?: string; 'client-key-data'?: string; 'client-certificate-data'?: string }

/** The credentials in a kubeconfig: users' tokens, client keys and certificates, and the CA data. */
function kubeconfigSecrets(text: string): string[] {
  const kc = yaml.load(text) as { users?: Array<{ user?: KubeconfigSecrets }>; clusters?: Array<{ cluster?: { 'certificate-authority-data'?: string } }> };
  const out: string[] = [];
  for (const u of kc.users ?? []) for (const k of ['token', 'client-key-data', 'client-certificate-data'] as const) if (u.user?.[k]) out.push(u.user[k]!);
  for (const c of kc.clusters ?? []) if (c.cluster?.['certificate-authority-data']) out.push(c.cluster['certificate-authority-data']);
  return out;
}

/** A secret and the forms it could leak in: as is, base64, and (for base64 data) decoded key material lines. */
function forms(secret: string): string[] {
  const f = new Set([secret, Buffer.from(secret).toString('base64')]);
  if (/^[A-Za-z0-9+/=]{40,}$/.test(secret)) {
    const decoded = Buffer.from(secret, 'base64').toString('utf8');
    // PEM body lines (64 chars of base64) identify the key/certificate if dumped decoded.
    for (const line of decoded.split('\n')) if (/^[A-Za-z0-9+/=]{60,}$/.test(line)) f.add(line);
  }
  return [...f];
}

test('no canary secret (env, registry credentials, kubeconfig tokens/keys/certificates) reaches any output of a failing run', { timeout: 300_000 }, async (t) => {
  const box = sandbox(t, 'secrets');
  const work = join(box.workRoot, 'run');
  const regUser = canary('reguser');
  const regPass = canary('regpass');
  const regAuth = Buffer.from(`${regUser}:${regPass}`).toString('base64');
  const credsFile = join(box.dir, 'registry.json');
  writeFileSync(credsFile, JSON.stringify({ auths: { 'ghcr.io': { auth: regAuth, password: regPass, identitytoken: canary('regidtoken') } } }), { mode: 0o600 });
  const env = {
    AWS_ACCESS_KEY_ID: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    AWS_SECRET_ACCESS_KEY: canary('aws-secret'),
    AWS_SESSION_TOKEN: canary('aws-session'),
    PROXMOX_TOKEN: canary('proxmox-token'),
    PROXMOX_SECRET: canary('proxmox-secret'),
    // Declared a secret though its name does not say so (support/config/VARIABLES.md).
    PROXMOX_URL: `https://${canary('proxmox-url')}.example:8006/api2/json`,
    GHCR_USER: 'someone',
    GHCR_TOKEN: canary('ghcr-token'),
  };
  const planted = [...Object.entries(env).filter(([k]) => k !== 'GHCR_USER').map(([, v]) => v), regPass, regAuth, JSON.parse(readFileSync(credsFile, 'utf8')).auths['ghcr.io'].identitytoken as string];

  const run = startSuite(t, ['--tags', '@media'], {
    ...env, LATTICE_SIM_HOME: box.home, LATTICE_E2E_WORK_DIR: work, LATTICE_E2E_REPORTS_DIR: box.reports,
    REGISTRY_CREDENTIALS_FILE: credsFile, LATTICE_SIM_FAULTS: 'pvc-missing',
  });
  // The target issues the kubeconfigs during the run (and the run removes them at its end): read them as they appear.
  const issued = new Set<string>();
  let done = false;
  void run.exited.then(() => { done = true; });
  while (!done) {
    if (existsSync(work)) {
      for (const f of readdirSync(work).filter((n) => n.endsWith('.kubeconfig'))) {
        try { for (const s of kubeconfigSecrets(readFileSync(join(work, f), 'utf8'))) issued.add(s); } catch { /* being written */ }
      }
    }
    await Promise.race([run.exited, new Promise((r) => setTimeout(r, 100))]);
  }
  const { code } = await run.exited;
  assert.equal(code, 1, `the seeded fault fails the run; stderr:\n${run.err()}`);
  assert.ok(issued.size >= 4, `tokens and CA data of both clusters were captured (${issued.size})`);

  const outputs = [...listFiles(box.reports), ...listFiles(work)].filter((f) => statSync(f).isFile());
  assert.ok(outputs.some((f) => f.includes(`${join('reports', 'diagnostics')}`)), `diagnostics were written: ${outputs.join(', ')}`);
  assert.ok(outputs.some((f) => f.endsWith('run.log')) && outputs.some((f) => f.endsWith('cucumber.json')), 'reports were written');
  const texts: Array<[string, string]> = [...outputs.map((f) => [f, readFileSync(f, 'utf8')] as [string, string]), ['stdout', run.out()], ['stderr', run.err()]];
  // The scan itself can fail: a planted secret in a text is found, as is and base64-encoded.
  assert.equal(findLeaks([planted[0]!], [['probe', `x ${planted[0]} y`], ['probe64', Buffer.from(planted[0]!).toString('base64')]]).length, 2);
  assert.deepEqual(findLeaks([...planted, ...issued], texts), [], 'secrets found in outputs');
});

function findLeaks(secrets: string[], texts: Array<[string, string]>): string[] {
  const leaks: string[] = [];
  for (const secret of secrets) {
    for (const form of forms(secret)) {
      for (const [where, text] of texts) if (text.includes(form)) leaks.push(`${secret.slice(0, 16)}… (as ${form === secret ? 'is' : 'encoded'}) in ${where}`);
    }
  }
  return leaks;
}
