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
