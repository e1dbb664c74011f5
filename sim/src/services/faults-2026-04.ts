/** The seeded 2026-04 service faults (sim/FAULTS.md) as the 2026-04 controller reads them. */
import { faultOn } from '../faults.js';
import type { V2026_04Faults } from '../versions/v2026-04/services/controller.js';

export function faults2026_04(): V2026_04Faults {
  return {
    wildcardPermitNotRequired: faultOn('wildcard-permit-not-required'),
    externalPermitNotRequired: faultOn('external-permit-not-required'),
    securityOverrideNotGated: faultOn('security-override-not-gated'),
    allowedConsumersIgnored: faultOn('allowed-consumers-ignored'),
    restrictedDefaultsMissing: faultOn('restricted-defaults-missing'),
    waypointMissingWithExternals: faultOn('waypoint-missing-with-externals'),
  };
}
