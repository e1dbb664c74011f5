/** Boolean switches: the spec's `true`/`1`, plus the usual spellings, case-insensitively. */

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/** What the error line says is accepted. */
export const BOOLEAN_ACCEPTED = 'is not a boolean; use true/false, 1/0 or yes/no';

/** Parses a switch value; `undefined` when the text is none of the accepted words. */
export function parseBoolean(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}
