/**
 * Durations of timeouts and poll intervals: `500ms`, `30s`, `10m`, `1h`, or a plain number of
 * seconds (`90`, `1.5`). Must be positive and at most a day (beyond that it is surely a typo,
 * and node's timers misbehave past ~24.8 days anyway).
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PATTERN = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/i;

export const MAX_DURATION_MS = 24 * 3_600_000;

/** What the error line says is accepted. */
export const DURATION_ACCEPTED = 'is not a positive duration; use e.g. 500ms, 30s, 10m, 1h or a plain number of seconds (at most 24h)';

/** Milliseconds for the text, or `undefined` when it is garbage, zero, negative or too long. */
export function parseDuration(text: string): number | undefined {
  const match = PATTERN.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  const ms = Math.round(amount * (UNIT_MS[unit] ?? NaN));
  if (!Number.isFinite(ms) || ms < 1 || ms > MAX_DURATION_MS) return undefined;
  return ms;
}

/** Short human form for summaries: `1800s`, `250ms`, `1.5s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s}s` : `${s.toFixed(1)}s`;
}
