export * from './policy-cases.js';
