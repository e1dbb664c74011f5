// The media domain: claims, co-location, marker plan and agreements of the media stack.
export * from './volumes.js';
export * from './marker-plan.js';
export * from './media-model.js';
export * from './call-verdict.js';
