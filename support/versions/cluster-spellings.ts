/**
 * The cluster part of every version's spelling, without the service part: support/fixtures needs it
 * to load a cluster fixture, and the service spellings load service fixtures (an import cycle
 * through index.ts otherwise). Register a new version here and in index.ts.
 */
import { clusters2026_01 } from './v2026-01/clusters.js';
import { clusters2026_04 } from './v2026-04/clusters.js';
import type { ClusterSpelling, LatticeApiVersion } from './types.js';

export const CLUSTER_SPELLINGS: Readonly<Record<LatticeApiVersion, ClusterSpelling>> = {
  '2026-01': clusters2026_01,
  '2026-04': clusters2026_04,
};

type Obj = Record<string, unknown>;

/**
 * The version whose LatticeCluster shape `manifest` has, with the fields that show it; undefined
 * when it shows none (a broken manifest, judged by the caller's default version's schema).
 */
export function clusterShapeVersion(manifest: Obj): { version: LatticeApiVersion; fields: string[] } | undefined {
  let best: { version: LatticeApiVersion; fields: string[] } | undefined;
  for (const [version, spelling] of Object.entries(CLUSTER_SPELLINGS) as [LatticeApiVersion, ClusterSpelling][]) {
    const fields = spelling.shapeFields(manifest);
    if (fields.length > (best?.fields.length ?? 0)) best = { version, fields };
  }
  return best;
}
