/** Kubernetes versions as the fixtures write them: `x.y.z`, no `v` prefix, no suffix. */

export type KubeVersion = readonly [major: number, minor: number, patch: number];

const PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export const VERSION_ACCEPTED = 'is not a version; use x.y.z like 1.31.0 (no "v" prefix)';

export function parseKubeVersion(text: string): KubeVersion | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareKubeVersions(a: KubeVersion, b: KubeVersion): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
