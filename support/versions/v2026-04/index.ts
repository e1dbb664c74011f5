/** Lattice API version 2026-04 (upstream faultdomain/lattice b5d50e90; docs/LATTICE-2026-04.md). */
import type { LatticeVersionSpelling } from '../types.js';
import { clusters2026_04 } from './clusters.js';
import { services2026_04 } from './service/index.js';

export const spelling2026_04: LatticeVersionSpelling = {
  version: '2026-04',
  upstream: 'b5d50e90',
  clusters: clusters2026_04,
  // The parent's CAPI secret points at the in-cluster proxy URL (cluster/phases/provisioning.rs:37-151):
  // from outside a child is reached through the management cluster's auth proxy (docs §7).
  access: { childKubeconfig: 'auth-proxy' },
  // lattice-operator/src/startup/crds.rs:23-110; cli/commands/install.rs:112-123 (docs §1).
  detection: { decisiveCrd: 'infraproviders.lattice.dev', installHelpFlag: '--validate' },
  services: services2026_04,
};
