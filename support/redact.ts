/**
 * Masks secrets before text reaches a log, an attachment or a report: kubeconfig keys and
 * certificates, bearer tokens, passwords, and the values of credential variables in the
 * environment (registry, AWS, Proxmox, GHCR).
 */
const SECRET_ENV = /(TOKEN|SECRET|PASSWORD|ACCESS_KEY|CREDENTIALS?|AUTH)$/i;
const MASK = '«redacted»';

const PATTERNS: RegExp[] = [
  /((?:client-key-data|client-certificate-data|certificate-authority-data|token|password|secret|auth)\s*[:=]\s*)("?)[^\s"',}]+\2/gi,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/g,
  /(-----BEGIN [A-Z ]+-----)[\s\S]*?(-----END [A-Z ]+-----)/g,
  /("auth"\s*:\s*")[^"]+(")/g,
];

export function secretValuesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([k, v]) => SECRET_ENV.test(k) && typeof v === 'string' && v.length >= 6)
    .map(([, v]) => v as string);
}

export function redact(text: string, extraSecrets: string[] = secretValuesFromEnv()): string {
  let out = text;
  for (const s of extraSecrets) if (s) out = out.split(s).join(MASK);
  out = out.replace(PATTERNS[0]!, (_m, key: string) => `${key}${MASK}`);
  out = out.replace(PATTERNS[1]!, (_m, b: string) => `${b}${MASK}`);
  out = out.replace(PATTERNS[2]!, (_m, a: string, b: string) => `${a}\n${MASK}\n${b}`);
  out = out.replace(PATTERNS[3]!, (_m, a: string, b: string) => `${a}${MASK}${b}`);
  return out;
}
