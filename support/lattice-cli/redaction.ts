/**
 * Line-by-line masking of the CLI's output before it reaches the scenario log. Builds on the
 * project's `redact` (keys, tokens, passwords, credential env values) and adds what only shows up
 * line by line: PEM blocks spanning lines, long base64 blobs and AWS key ids.
 */
import { redact, secretValuesFromEnv } from '../redact.js';

const MASK = '«redacted»';
const AWS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;
// 40+ base64 characters mixing cases and digits: key material, not a hex digest or a word
const BASE64_BLOB = /[A-Za-z0-9+/]{40,}={0,2}/g;
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]+-----/;
const PEM_END = /-----END [A-Z0-9 ]+-----/;

type Env = Record<string, string | undefined>;

/** Secret values to mask, from the environment the CLI runs with. */
export function secretValuesFor(env: Env): string[] {
  const values = new Set(secretValuesFromEnv(env as NodeJS.ProcessEnv));
  // longest first, so a value containing another is masked whole
  return [...values].sort((a, b) => b.length - a.length);
}

function looksLikeKey(blob: string): boolean {
  return /[A-Z]/.test(blob) && /[a-z]/.test(blob) && /[0-9+/]/.test(blob);
}

/** Masks secrets in one line (no PEM state): for one-off messages. */
export function redactLine(line: string, secrets: string[]): string {
  let out = redact(line, secrets);
  out = out.replace(AWS_KEY_ID, MASK);
  out = out.replace(BASE64_BLOB, (m) => (looksLikeKey(m) ? MASK : m));
  return out;
}

/**
 * A stateful redactor for one output stream: returns the line to show, or `undefined` for a line
 * inside a PEM block (the block shows as its BEGIN line, a mask, and its END line).
 */
export function createLineRedactor(env: Env = process.env): (line: string) => string | undefined {
  const secrets = secretValuesFor(env);
  let inPem = false;
  return (line) => {
    if (inPem) {
      if (PEM_END.test(line)) { inPem = false; return line.replace(/^.*?(-----END)/, `${MASK} $1`); }
      return undefined;
    }
    if (PEM_BEGIN.test(line) && !PEM_END.test(line)) {
      inPem = true;
      return line.replace(/(-----BEGIN [A-Z0-9 ]+-----).*$/, `$1 ${MASK}`);
    }
    return redactLine(line, secrets);
  };
}
