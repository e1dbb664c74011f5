/**
 * The run id labels everything a run creates (`lattice-acceptance/run-id=<runId>`) and names its
 * work folder, so it must be a valid label value and short enough to go into resource names.
 */
import { randomBytes } from 'node:crypto';

export const RUN_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
export const RUN_ID_ACCEPTED = 'is not a run id; use 1-32 characters of a-z, 0-9 and "-", starting and ending with a letter or digit';

/** `r` + base36 milliseconds + 4 random base36 characters, e.g. `rmi3k2x9aq7f2`. */
export function generateRunId(now: number = Date.now()): string {
  const random = randomBytes(4).readUInt32BE(0).toString(36).padStart(4, '0').slice(-4);
  return `r${now.toString(36)}${random}`;
}

export function isValidRunId(text: string): boolean {
  return RUN_ID_PATTERN.test(text);
}
