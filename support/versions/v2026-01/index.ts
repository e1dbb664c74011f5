/** Lattice API version 2026-01 (upstream faultdomain/lattice 1236706e). */
import type { LatticeVersionSpelling } from '../types.js';
import { clusters2026_01 } from './clusters.js';
import { services2026_01 } from './service/index.js';

export const spelling2026_01: LatticeVersionSpelling = {
  version: '2026-01',
  upstream: '1236706e',
  clusters: clusters2026_01,
  // A child's kubeconfig: the parent's CAPI secret, read before the pivot (lattice-facts §2.3).
  access: { childKubeconfig: 'capi-secret' },
  // 1236706e lattice-operator/src/main.rs:192-212; install.rs:78 (docs/LATTICE-2026-04.md §1).
  detection: { decisiveCrd: 'latticeexternalservices.lattice.dev', installHelpFlag: '--dry-run' },
  services: services2026_01,
};
