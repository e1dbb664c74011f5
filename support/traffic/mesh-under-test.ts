import type { MeshCheck, MeshDeclarations } from '../mesh/index.js';

/** A mesh as the cluster-facing steps need it: declarations, probes, sources and deploy order. */
export interface MeshUnderTest {
  declarations: MeshDeclarations;
  checks: MeshCheck[];
  /** Services that run probe scripts. */
  sources: string[];
  /** Deploy order, deepest first. */
  tiers: string[][];
}

/** Log lines to read per pod: enough for a few whole cycles of the mesh's largest source. */
export const meshTailLines = (mesh: MeshUnderTest): number => Math.max(200, 4 * (mesh.checks.length + 2 * mesh.sources.length));
