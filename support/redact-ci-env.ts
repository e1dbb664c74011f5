/**
 * Cucumber writes what it detects of the CI system (build URL, git remote) into the `meta` message
 * of the ndjson and HTML reports, straight from the environment: a CI URL carrying user info
 * (`https://x-access-token:…@github.com`) or a secret would land in every report. This scrubs,
 * in the environment Cucumber reads, exactly the variables that reach that description.
 */
import { secretValuesFromEnv } from './redact.js';

const MASK = '«redacted»';
// scheme://user[:password]@ — the user info of a URL, anywhere in a value
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi;

/** The value without URL user info and without any secret. */
export function scrubValue(value: string, secrets: readonly string[]): string {
  let out = value.replace(USER_INFO, '$1');
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s) out = out.split(s).join(MASK);
  return out;
}

/**
 * Scrubs, in place, each variable whose scrubbing changes what `describeCi` (Cucumber's CI
 * detection) reports; returns their names. Variables that do not reach the description (a proxy
 * URL the CLI needs, the credentials themselves) are left as they are.
 */
export function scrubCiEnv(env: NodeJS.ProcessEnv, describeCi: (env: NodeJS.ProcessEnv) => unknown, secrets: readonly string[] = secretValuesFromEnv(env)): string[] {
  const describe = () => JSON.stringify(describeCi(env) ?? null);
  const scrubbed: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string') continue;
    const clean = scrubValue(value, secrets);
    if (clean === value) continue;
    const before = describe();
    env[name] = clean;
    if (describe() === before) env[name] = value;
    else scrubbed.push(name);
  }
  return scrubbed;
}
