export * from './bad-specs.js';
export * from './cluster-ops.js';
export * from './refusal.js';
export * from './table.js';
