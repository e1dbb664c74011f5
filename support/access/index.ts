export * from './proxy-endpoint.js';
export * from './permits.js';
export * from './proxy-client.js';
export * from './scenario.js';
