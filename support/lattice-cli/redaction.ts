/**
 * Line-by-line masking of the CLI's output before it reaches the scenario log. Builds on the
 * project's `redact` (keys, tokens, passwords, credential env values) and adds what only shows up
 * line by line: PEM blocks spanning lines, long base64 blobs and AWS key ids.
 */
import { allSecretForms, redact, secretValuesFromEnv, splitSecretPattern } from '../redact.js';

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

/**
 * Masks a secret that one line ends and the next begins (wrapped output): the part on each line
 * becomes the mask. Returns both lines; unchanged when no secret crosses the break.
 */
export function maskAcrossBreak(prev: string, line: string, secrets: readonly string[]): [string, string] {
  const joined = `${prev}\n${line}`;
  const at = prev.length;
  for (const form of allSecretForms(secrets)) {
    for (const m of joined.matchAll(splitSecretPattern(form))) {
      const end = m.index + m[0].length;
      if (m.index < at && end > at + 1) return [`${prev.slice(0, m.index)}${MASK}`, `${MASK}${joined.slice(end)}`];
    }
  }
  return [prev, line];
}

export interface StreamRedactor {
  /** Takes the next raw line; returns the lines now safe to show. */
  push(line: string): string[];
  /** The stream ended: returns a held line, masked. */
  end(): string[];
}

// A line ending in this many characters of a secret's start is held until the next line is known.
const HOLD_AT = 3;

/** Whether the line ends with the first HOLD_AT or more characters of a secret (but not all of it). */
function endsWithSecretStart(line: string, forms: readonly string[]): boolean {
  for (const f of forms) {
    for (let k = HOLD_AT; k < f.length; k++) if (line.endsWith(f.slice(0, k))) return true;
  }
  return false;
}

/**
 * The redactor of one output stream. A line goes out at once, unless it ends like the start of a
 * secret: then it waits for the next line, and a secret split across the two is masked on both (a
 * line ending in fewer characters of one still has the rest masked on the next line). Each line
 * then goes through the line redactor (PEM blocks, keys, blobs).
 */
export function createStreamRedactor(env: Env = process.env): StreamRedactor {
  const secrets = secretValuesFor(env);
  const forms = allSecretForms(secrets);
  const perLine = createLineRedactor(env);
  let held: string | undefined;
  let lastShown: string | undefined;
  const shown = (line: string): string[] => { const r = perLine(line); return r === undefined ? [] : [r]; };
  return {
    push(line) {
      const out: string[] = [];
      let next = line;
      if (held !== undefined) {
        const [before, after] = maskAcrossBreak(held, next, secrets);
        out.push(...shown(before));
        next = after;
        held = undefined;
      } else if (lastShown !== undefined) {
        next = maskAcrossBreak(lastShown, next, secrets)[1];
      }
      if (endsWithSecretStart(next, forms)) held = next;
      else out.push(...shown(next));
      lastShown = next;
      return out;
    },
    end() {
      const last = held;
      held = undefined;
      return last === undefined ? [] : shown(last);
    },
  };
}
