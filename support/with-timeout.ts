/** Settles as `work` does, or rejects with `onTimeout()` after `ms`; the timer never outlives it. */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(onTimeout()), ms); });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
