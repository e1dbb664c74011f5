/**
 * Masks secrets before text reaches a log, an attachment or a report: kubeconfig keys and
 * certificates, bearer and basic credentials, passwords in URLs, secret-looking fields in YAML,
 * JSON and `k=v` form, the values of credential variables in the environment (registry, AWS,
 * Proxmox, GHCR) and the values in the registry credentials file (REGISTRY_CREDENTIALS_FILE).
 */
import { readFileSync, statSync } from 'node:fs';

const SECRET_ENV = /(TOKEN|SECRET|PASSWORD|PASSWD|PASS|ACCESS_KEY|KEY_ID|_KEY|PRIVATE_KEY|API_KEY|CREDENTIALS?|AUTH)$/i;
/** Variables support/config/VARIABLES.md declares secret whose names do not say so. */
export const DECLARED_SECRETS = ['PROXMOX_URL'] as const;
const MASK = '«redacted»';

// A field whose name ends like a secret, in YAML (`token: x`), JSON (`"token": "x"`) or flag/env
// form (`--token=x`, `aws_secret_access_key = x`); the value runs to a quote, space, comma or brace.
const SECRET_KEY = String.raw`[\w.-]*(?:client-key-data|client-certificate-data|certificate-authority-data|token|secret|password|passwd|auth|access[_-]?key(?:[_-]?id)?|private[_-]?key|api[_-]?key|identitytoken|credentials?|\.key)`;
// YAML quotes a value that looks like a number ('00_0._00') with single quotes: both quote kinds count.
// A key starts where a run of key characters starts (the lookbehind): without it every position of
// a long run began a match that scanned to the run's end, quadratic time (100 KB took minutes).
const FIELD = new RegExp(String.raw`(?<![\w.-])(${SECRET_KEY}["']?\s*[:=]\s*)(["']?)(?!«redacted»)[^\s"',}]+\2`, 'gi');
const AUTHORIZATION = /((?:authorization|proxy-authorization)"?\s*[:=]\s*"?)(?:(?:Bearer|Basic|Token)\s+)?[^\s"',}]+/gi;
const SCHEME_CREDENTIALS = /((?:Bearer|Basic)\s+)(?!«redacted»)[A-Za-z0-9._~+/=-]+/g;
// Same reason: a scheme starts where a run of scheme characters starts.
const URL_PASSWORD = /((?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/]+@/gi;
const PEM = /(-----BEGIN [A-Z ]+-----)[\s\S]*?(-----END [A-Z ]+-----)/g;

export function secretValuesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = Object.entries(env)
    .filter(([k, v]) => (SECRET_ENV.test(k) || (DECLARED_SECRETS as readonly string[]).includes(k)) && typeof v === 'string' && v.length >= 6)
    .map(([, v]) => v as string);
  // The registry's `auth` form of the GHCR credentials (base64 of user:token).
  if (env.GHCR_USER && env.GHCR_TOKEN) values.push(Buffer.from(`${env.GHCR_USER}:${env.GHCR_TOKEN}`).toString('base64'));
  return [...values, ...registryCredentialValues(env.REGISTRY_CREDENTIALS_FILE)];
}

let cached: { key: string; values: string[] } | undefined;

/**
 * The secret strings of a docker config.json-style credentials file: every `auth`, `password`,
 * `identitytoken`, `registrytoken` value and the password inside a base64 `auth`. Read once per
 * file version; a missing or unparsable file yields none (start-up refuses such a file).
 */
export function registryCredentialValues(path: string | undefined): string[] {
  if (!path) return [];
  let key: string;
  try {
    const st = statSync(path);
    // A FIFO would block the open and /dev/zero never end: only a regular file of sane size is read.
    if (!st.isFile() || st.size > 1024 * 1024) return [];
    key = `${path}@${st.mtimeMs}@${st.size}`;
  } catch { return []; }
  if (cached?.key === key) return cached.values;
  const values = new Set<string>();
  try {
    const walk = (node: unknown, name: string) => {
      if (typeof node === 'string') {
        if (/^(auth|password|identitytoken|registrytoken|token|secret)$/i.test(name) && node.length >= 6) {
          values.add(node);
          if (name.toLowerCase() === 'auth') {
            const decoded = Buffer.from(node, 'base64').toString('utf8');
            const pass = decoded.slice(decoded.indexOf(':') + 1);
            if (decoded.includes(':') && pass.length >= 6) values.add(pass);
          }
        }
      } else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) walk(v, k);
      }
    };
    walk(JSON.parse(readFileSync(path, 'utf8')), '');
  } catch { /* not JSON: refused at start-up */ }
  cached = { key, values: [...values] };
  return cached.values;
}

/**
 * The forms a secret takes in what the suite writes: as is, URL-encoded (either hex case, and the
 * form encoding of query strings), JSON-escaped and base64. Each is masked wherever it appears.
 */
export function secretForms(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const forms = new Set([
    secret, uri, uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), encodeURI(secret),
    new URLSearchParams({ v: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64').replace(/=+$/, ''),
  ]);
  return [...forms].filter((f) => f.length >= 4);
}

const splitPatterns = new Map<string, RegExp>();

/**
 * Matches a secret with a line break (and the next line's indentation) anywhere inside it, as
 * wrapped output or a YAML continuation would print it. Cached: redact runs on every log line.
 */
export function splitSecretPattern(form: string): RegExp {
  let re = splitPatterns.get(form);
  if (!re) {
    re = new RegExp([...form].map((c) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')).join(String.raw`(?:\r?\n[ \t]*)?`), 'g');
    if (splitPatterns.size > 1000) splitPatterns.clear();
    splitPatterns.set(form, re);
  }
  re.lastIndex = 0;
  return re;
}

/** Every form of every secret, longest first, so a value containing another is masked whole. */
export function allSecretForms(secrets: readonly string[]): string[] {
  return [...new Set(secrets.filter(Boolean).flatMap(secretForms))].sort((a, b) => b.length - a.length);
}

export function redact(text: string, extraSecrets: string[] = secretValuesFromEnv()): string {
  let out = text;
  const multiline = text.includes('\n');
  for (const s of allSecretForms(extraSecrets)) out = multiline ? out.replace(splitSecretPattern(s), MASK) : out.split(s).join(MASK);
  out = out.replace(PEM, (_m, a: string, b: string) => `${a}\n${MASK}\n${b}`);
  out = out.replace(AUTHORIZATION, (_m, key: string) => `${key}${MASK}`);
  out = out.replace(SCHEME_CREDENTIALS, (_m, scheme: string) => `${scheme}${MASK}`);
  out = out.replace(URL_PASSWORD, (_m, pre: string) => `${pre}${MASK}@`);
  out = out.replace(FIELD, (_m, key: string, quote: string) => `${key}${quote}${MASK}${quote}`);
  return out;
}
