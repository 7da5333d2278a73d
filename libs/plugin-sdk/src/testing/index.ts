export * from './conformance.js';
export * from './webhook-corpus.js';
