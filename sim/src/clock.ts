/**
 * Simulated time. Real infrastructure takes minutes to provision; the target plays the same
 * transitions in the same order, scaled by LATTICE_SIM_SPEED (default 1 = the fast default
 * durations below; 0.1 = ten times slower, closer to reality for observation).
 */
let speed = 1;

export function setSpeed(s: number): void {
  if (!(s > 0)) throw new Error(`LATTICE_SIM_SPEED must be a positive number, got ${s}`);
  speed = s;
}
export function getSpeed(): number { return speed; }

/** Default simulated durations in milliseconds at speed 1. */
export const DURATIONS = {
  providerInstall: 150,
  machineBoot: 300,
  pivot: 200,
  unpivot: 200,
  // Replacing a node is provisioning a new machine and draining the old one: far longer than a probe
  // cycle on a real cluster (minutes against 30 s), so here too a roll outlasts several cycles at the suite's speed (10).
  nodeRoll: 8000,
  podStart: 100,
  compile: 50,
} as const;

/** Waits a simulated duration (the target stands in for slow infrastructure, so it may sleep). */
export function simulate(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(signal.reason); return; }
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, Math.max(0, ms / speed));
    const onAbort = () => { clearTimeout(t); reject(signal?.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
