// The embedded target's Kubernetes API: object store, kinds and (server.ts) the HTTPS front.
export { createStore, applyMergePatch, apiVersionOf, splitApiVersion, qualifiedResource, type StoreOptions } from './store.js';
export { registerKinds } from '../kinds/index.js';
export * from './types.js';
export type * from './hooks.js';
export { startApiServer, type ApiServer, type ApiServerOptions } from './server.js';
