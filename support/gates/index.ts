export * from './catalogue.js';
export * from './cluster-ops.js';
export * from './evidence.js';
export * from './pod-security.js';
export { CONTAINER, SERVER_PORT, latticeService, cedarPolicy, type LatticeObject } from './lattice-service.js';
