import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact, secretValuesFromEnv } from '../../../support/redact.js';
import { createStreamRedactor } from '../../../support/lattice-cli/redaction.js';

// A secret with characters that URL and JSON encoding change.
const TOKEN = 'Zq9/canary+S3cr3t=Value';

test('PROXMOX_URL is a declared secret (its name ends in no secret-looking suffix) and is masked', () => {
  const env = { PROXMOX_URL: 'https://pve.internal.example:8006/api2/json' };
  assert.ok(secretValuesFromEnv(env).includes(env.PROXMOX_URL));
  assert.equal(redact(`proxmox at ${env.PROXMOX_URL} refused`, secretValuesFromEnv(env)), 'proxmox at «redacted» refused');
});

test('a secret is masked in every encoding the suite writes: URL-encoded (%2F %2B %3D, either case), form-encoded, JSON-escaped, base64', () => {
  const encodings = [
    encodeURIComponent(TOKEN),
    encodeURIComponent(TOKEN).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    encodeURIComponent(`a b${TOKEN}`).slice('a%20b'.length),
    JSON.stringify(TOKEN).slice(1, -1),
    JSON.stringify('x"' + TOKEN).slice(4, -1),
    Buffer.from(TOKEN).toString('base64'),
  ];
  for (const form of encodings) {
    const out = redact(`GET /login?password_hint=${form}&x=1`, [TOKEN]);
    assert.ok(!out.includes(form), `${form} survived: ${out}`);
  }
  assert.ok(!redact(`pass ${encodeURIComponent(TOKEN)} end`, [TOKEN]).includes('S3cr3t'));
});

test('a secret split across lines (wrapped output, a YAML continuation) is masked in whole text', () => {
  for (const at of [1, 5, TOKEN.length - 1]) {
    for (const brk of ['\n', '\r\n', '\n    ']) {
      const text = `before ${TOKEN.slice(0, at)}${brk}${TOKEN.slice(at)} after`;
      const out = redact(text, [TOKEN]);
      assert.ok(!out.includes(TOKEN.slice(0, Math.max(at, 4))) || at < 4, `head survived (${at}): ${JSON.stringify(out)}`);
      assert.ok(!out.includes(TOKEN.slice(at)) || TOKEN.length - at < 4, `tail survived (${at}): ${JSON.stringify(out)}`);
      assert.match(out, /^before .*«redacted».* after$/s);
    }
  }
});

test("the CLI's stream redactor masks a secret split across two output lines", () => {
  const r = createStreamRedactor({ PROXMOX_SECRET: TOKEN });
  const out = [...r.push('starting'), ...r.push(`token part ${TOKEN.slice(0, 10)}`), ...r.push(`${TOKEN.slice(10)} rest`), ...r.push('done'), ...r.end()];
  const text = out.join('\n');
  assert.ok(!text.includes(TOKEN.slice(0, 10)), text);
  assert.ok(!text.includes(TOKEN.slice(10)), text);
  assert.deepEqual(out, ['starting', 'token part «redacted»', '«redacted» rest', 'done']);
});

test('the stream redactor shows an ordinary line at once, and masks the rest of a secret begun by a line it already showed', () => {
  const r = createStreamRedactor({ PROXMOX_SECRET: TOKEN });
  assert.deepEqual(r.push('installing'), ['installing']);
  assert.deepEqual(r.push(`key ${TOKEN.slice(0, 2)}`), [`key ${TOKEN.slice(0, 2)}`]);
  assert.deepEqual(r.push(`${TOKEN.slice(2)} ok`), ['«redacted» ok']);
  assert.deepEqual(r.end(), []);
});
