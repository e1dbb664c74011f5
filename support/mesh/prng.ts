/**
 * A small seeded PRNG (mulberry32): same seed, same sequence on every machine and Node version,
 * since it uses only 32-bit integer arithmetic. Never Math.random.
 */
export interface Prng {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Up to k distinct items, in a random order; the input is not changed. */
  sample<T>(items: readonly T[], k: number): T[];
}

export const MAX_SEED = 0xffffffff;

export function createPrng(seed: number): Prng {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new RangeError(`seed must be an integer in 0..${MAX_SEED}, got ${seed}`);
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number): number => {
    if (hi < lo) throw new RangeError(`empty range ${lo}..${hi}`);
    return lo + Math.floor(next() * (hi - lo + 1));
  };
  return {
    seed,
    next,
    int,
    chance: (p) => next() < p,
    sample<T>(items: readonly T[], k: number): T[] {
      const n = Math.min(k, items.length);
      if (n <= 0) return [];
      // Partial Fisher-Yates over a sparse swap map: O(k) even for large inputs.
      const swapped = new Map<number, number>();
      const out: T[] = [];
      for (let i = 0; i < n; i++) {
        const j = int(i, items.length - 1);
        const vi = swapped.get(i) ?? i;
        const vj = swapped.get(j) ?? j;
        swapped.set(j, vi);
        out.push(items[vj] as T);
      }
      return out;
    },
  };
}
