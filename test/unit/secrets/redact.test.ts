import { test } from 'node:test';
import { scratch as scratchDir } from '../../helpers/scratch.js';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as yaml from 'js-yaml';
import { redact, registryCredentialValues, secretValuesFromEnv } from '../../../support/redact.js';
import { scrubForDiagnostics } from '../../../support/diagnostics/collect.js';
import { RunLog } from '../../../support/run/run-log.js';

const scratch = (t: { after: (fn: () => void) => void }): string => scratchDir(t, 'lattice-secrets-');

const SECRET = 'Zq9canaryS3cr3tValue';

// Each form a secret was seen to slip through before: JSON keys, basic auth, URL passwords, env-style keys.
const FORMS: Array<[string, string]> = [
  ['YAML kubeconfig token', `users:\n- name: a\n  user:\n    token: ${SECRET}\n`],
  ['JSON token', `{"token":"${SECRET}"}`],
  ['JSON client key', `{"client-key-data": "${SECRET}"}`],
  ['JSON password', `{"password":"${SECRET}"}`],
  ['registry auth', `{"auths":{"ghcr.io":{"auth":"${SECRET}"}}}`],
  ['bearer header', `Authorization: Bearer ${SECRET}`],
  ['basic header', `authorization: Basic ${SECRET}`],
  ['URL password', `pulling https://bob:${SECRET}@registry.example.com/v2/`],
  ['env-style AWS key', `aws_secret_access_key = ${SECRET}`],
  ['flag', `lattice --token=${SECRET} install`],
  ['id token', `id-token: ${SECRET}`],
  ['secret data key', `tls.key: ${SECRET}`],
  ['PEM block', `-----BEGIN RSA PRIVATE KEY-----\n${SECRET}\n-----END RSA PRIVATE KEY-----`],
];

for (const [name, text] of FORMS) {
  test(`redact masks a secret given as ${name}`, () => {
    const out = redact(text, []);
    assert.ok(!out.includes(SECRET), out);
    assert.ok(out.includes('«redacted»'), out);
  });
}

test('redact leaves ordinary fields alone', () => {
  for (const text of ['secretName: media-tls', 'author: me', 'tokens: 5', 'phase: Ready', 'https://example.com/a:b']) assert.equal(redact(text, []), text);
});

test('credential variables in the environment are masked wherever they appear, AWS key ids included', () => {
  const env = { AWS_SECRET_ACCESS_KEY: 'canary-aws-1234', AWS_ACCESS_KEY_ID: 'AKIACANARY123456', PROXMOX_TOKEN: 'canary-px-99', GHCR_TOKEN: 'canary-ghcr-7', LATTICE_TARGET: 'embedded' };
  const values = secretValuesFromEnv(env);
  assert.deepEqual(values.sort(), ['AKIACANARY123456', 'canary-aws-1234', 'canary-ghcr-7', 'canary-px-99']);
  const out = redact('creds canary-aws-1234 and AKIACANARY123456 / canary-px-99 on embedded', values);
  assert.equal(out, 'creds «redacted» and «redacted» / «redacted» on embedded');
});

test("the registry auth form of GHCR_USER:GHCR_TOKEN and *_PASS / *_KEY variables are masked in every output, not only the CLI's", () => {
  const auth = Buffer.from('someone:canary-ghcr-7').toString('base64');
  const values = secretValuesFromEnv({ GHCR_USER: 'someone', GHCR_TOKEN: 'canary-ghcr-7', PROXMOX_PASS: 'canary-pass-1', SSH_KEY: 'canary-key-22' });
  assert.equal(redact(`auth ${auth} pass canary-pass-1 key canary-key-22 user someone`, values), 'auth «redacted» pass «redacted» key «redacted» user someone');
});

test("the registry credentials file's values (and the password inside a base64 auth) are known secrets", (t) => {
  const dir = scratch(t);
  const file = join(dir, 'config.json');
  const auth = Buffer.from('user1:canary-regpass-42').toString('base64');
  writeFileSync(file, JSON.stringify({ auths: { 'ghcr.io': { auth, identitytoken: 'canary-idtoken-9' } } }));
  assert.deepEqual(registryCredentialValues(file).sort(), [auth, 'canary-idtoken-9', 'canary-regpass-42'].sort());
  const values = secretValuesFromEnv({ REGISTRY_CREDENTIALS_FILE: file });
  assert.equal(redact('login failed for canary-regpass-42 (canary-idtoken-9)', values), 'login failed for «redacted» («redacted»)');
  writeFileSync(join(dir, 'bad.json'), 'not json canary');
  assert.deepEqual(registryCredentialValues(join(dir, 'bad.json')), []);
  assert.deepEqual(registryCredentialValues(join(dir, 'missing.json')), []);
});

test('property: no token or key of a kubeconfig survives redact, in YAML or JSON form', () => {
  const secret = fc.stringMatching(/^[A-Za-z0-9_\-.]{8,40}$/);
  fc.assert(fc.property(secret, secret, (token, key) => {
    const kc = { apiVersion: 'v1', kind: 'Config', users: [{ name: 'u', user: { token, 'client-key-data': key } }] };
    for (const text of [yaml.dump(kc), JSON.stringify(kc), JSON.stringify(kc, null, 2)]) {
      const out = redact(text, []);
      if (out.includes(token) || out.includes(key)) return false;
    }
    return true;
  }), { numRuns: 2000, examples: [['00_0._00', 'AAaA-0-.'], ['12345678', '0x1A2B3C4D'], ['true_yes', '1e100000']] });
});

test('diagnostics drop the last-applied copy and credential-looking env values before writing', () => {
  const obj = {
    metadata: { name: 'svc', managedFields: [{}], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"token":"x"}', keep: 'me' } },
    spec: { containers: { main: { env: [{ name: 'API_TOKEN', value: 'canary-env-1' }, { name: 'DB_PASSWORD', value: 'canary-env-2' }, { name: 'LOG_LEVEL', value: 'debug' }] } } },
  };
  const out = JSON.stringify(scrubForDiagnostics(obj));
  assert.ok(!out.includes('canary-env'), out);
  assert.ok(!out.includes('last-applied'), out);
  assert.ok(out.includes('"keep":"me"') && out.includes('"debug"'), out);
  assert.ok(!('managedFields' in (scrubForDiagnostics(obj) as { metadata: object }).metadata));
});

test('the run log writes redacted lines only, fresh per run', (t) => {
  const dir = scratch(t);
  const path = join(dir, 'run.log');
  writeFileSync(path, 'from an earlier run\n');
  const log = new RunLog(path, false, true);
  log.line('lattice install: token: canary-runlog-1');
  const text = readFileSync(path, 'utf8');
  assert.ok(!text.includes('earlier run'), 'fresh');
  assert.ok(!text.includes('canary-runlog-1'), text);
  assert.match(text, /token: «redacted»/);
});
