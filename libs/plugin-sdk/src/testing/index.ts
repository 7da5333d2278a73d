export * from './conformance.js';
export * from './conformance-rules.js';
export * from './webhook-corpus.js';
export * from './webhook-signing.js';
export * from './test-context.js';
