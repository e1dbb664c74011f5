export * from './policy-cases.js';
export * from './proxy-kubeconfig.js';
