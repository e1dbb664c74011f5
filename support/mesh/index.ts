// The mesh domain: agreements, meshes, manifests, probe scripts, verdicts, truth tables, monitor.
export * from './agreement.js';
export * from './checks.js';
export * from './prng.js';
export * from './fixed-mesh.js';
export * from './random-mesh-config.js';
export * from './random-mesh.js';
export * from './lattice-objects.js';
export * from './manifests.js';
export * from './probe-script.js';
export * from './probe-log.js';
export * from './probe-log-format.js';
export * from './verify.js';
export * from './truth-table.js';
export * from './fail-closed-monitor.js';
export * from './external-acceptance.js';
